import assert from 'node:assert/strict';
import { test } from 'node:test';

import { endLine, parseDescriptor, parseServerMessage, resizeMessage, socketUrl } from '../src/terminalProtocol';

test('descriptors from the kernel, as JSON text or an object', () => {
  const d = parseDescriptor('{"container": "abc", "name": "n", "exec": "", "detachKeys": "ctrl-x", "state": "live"}');
  assert.deepEqual(d, { container: 'abc', name: 'n', exec: '', detachKeys: 'ctrl-x', state: 'live' });
  assert.equal(parseDescriptor({ container: 'abc', state: 'exited', status: 3 })?.status, 3);
  assert.equal(parseDescriptor({ container: 'abcdef0123456789', state: 'bogus' })?.state, 'live');
  assert.equal(parseDescriptor({ container: 'abcdef0123456789' })?.name, 'abcdef012345');
  assert.equal(parseDescriptor('not json'), null);
  assert.equal(parseDescriptor({ name: 'no container' }), null);
});

test('the socket address carries the session and the size, and the token when there is one', () => {
  const d = parseDescriptor({ container: 'c1', exec: 'e1', detachKeys: 'ctrl-p,ctrl-q' })!;
  assert.equal(
    socketUrl('ws://h:1/base', d, { rows: 24, cols: 80 }, 'tok'),
    'ws://h:1/base/runmagic/terminals/socket?container=c1&exec=e1&detachKeys=ctrl-p%2Cctrl-q&rows=24&cols=80&token=tok'
  );
  assert.equal(
    socketUrl('ws://h:1/', parseDescriptor({ container: 'c1' })!, { rows: 5, cols: 6 }),
    'ws://h:1/runmagic/terminals/socket?container=c1&rows=5&cols=6'
  );
});

test('server messages and the line each leaves', () => {
  assert.equal(resizeMessage(30, 100), '{"resize":[30,100]}');
  const exited = parseServerMessage('{"ended": "exited", "status": 0}');
  assert.deepEqual(exited, { kind: 'ended', how: 'exited', status: 0 });
  assert.equal(endLine(exited, 'x'), 'The session ended (exit status 0)');
  const detached = parseServerMessage('{"ended": "detached"}');
  assert.equal(endLine(detached, 'web'), 'Detached: web keeps running (%docker_attach web to come back)');
  assert.deepEqual(parseServerMessage('{"error": "No such container: x"}'), {
    kind: 'error',
    message: 'No such container: x'
  });
  assert.deepEqual(parseServerMessage('[1]'), { kind: 'unknown' });
  assert.deepEqual(parseServerMessage('{'), { kind: 'unknown' });
});
