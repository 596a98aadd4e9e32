import assert from 'node:assert/strict';
import { test } from 'node:test';

import { completionsAt } from '../src/completion';
import { magics, table } from './table';

/** Complete at the `|` in `text`. */
function complete(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const result = completionsAt(text, offset, magics);
  return result && {
    labels: result.items.map(i => i.label),
    replaced: text.slice(result.start, result.end),
    result
  };
}

test('flag names by prefix, with their help', () => {
  const r = complete('%%docker_run --rest|')!;
  assert.deepEqual(r.labels, ['--restart']);
  assert.equal(r.replaced, '--rest');
  assert.match(r.result.items[0].documentation, /Restart policy/);
  assert.deepEqual(complete('%%docker_run --rm --re|')!.labels, ['--read-only', '--restart']);
});

test('all flags after a blank; hidden flags and aliases are not offered', () => {
  const r = complete('%%docker_run |')!;
  assert.equal(r.replaced, '');
  assert.ok(r.labels.includes('--restart'));
  assert.ok(r.labels.includes('--network'));
  assert.ok(!r.labels.includes('--net'));
  const hidden = table.flags.filter(f => f.hidden).map(f => `--${f.name}`);
  for (const name of hidden) {
    assert.ok(!r.labels.includes(name), name);
  }
});

test('short forms are offered for "-" and "-x"', () => {
  const r = complete('%%docker_run -|')!;
  assert.ok(r.labels.includes('-d'));
  assert.ok(r.labels.includes('--detach'));
  assert.deepEqual(complete('%%docker_run -e|')!.labels, ['-e']);
});

test('closed-set values of the flag being given a value', () => {
  const r = complete('%%docker_run --restart |')!;
  // Exactly the table's closed set (whatever runmagic/flags.py lists), in its order.
  assert.deepEqual(r.labels, table.long('restart')!.choices);
  for (const policy of ['no', 'always', 'on-failure', 'unless-stopped']) {
    assert.ok(r.labels.includes(policy), policy);
  }
  assert.equal(r.result.flag?.name, 'restart');
  assert.deepEqual(complete('%%docker_run --restart on|')!.labels,
    table.long('restart')!.choices.filter(c => c.startsWith('on')));
  assert.ok(complete('%%docker_run --restart on|')!.labels.includes('on-failure'));
  assert.deepEqual(complete('%%docker_run --restart=u|')!.labels, ['unless-stopped']);
  assert.equal(complete('%%docker_run --restart=u|')!.replaced, 'u');
  assert.deepEqual(complete('%%docker_run --pull |')!.labels, table.long('pull')!.choices);
  assert.ok(complete('%%docker_run --log-driver |')!.labels.includes('json-file'));
  assert.ok(complete('%%docker_run --net |')!.labels.includes('none'));
  assert.ok(complete('%%docker_run --network b|')!.labels.includes('bridge'));
});

test('nothing where no closed set or no flag applies', () => {
  assert.equal(complete('%%docker_run --name |'), null); // free-form value
  assert.equal(complete('%%docker_run --rm busybox |'), null); // past the image
  assert.equal(complete('%%docker_run --rm busy|'), null); // the image itself
  assert.equal(complete('%%dock|'), null);
  assert.equal(complete('x = "--re|"'), null); // a Python cell
  assert.equal(complete('%%docker_run --rm busybox sh\necho --re|'), null); // the body
});

test('line magics complete too, even after an assignment', () => {
  assert.deepEqual(complete('x = 1\nr = %docker_run --restart a|\n')!.labels, ['always']);
  assert.ok(complete('%docker_run --det|')!.labels.includes('--detach'));
});

test('the cursor in the middle of a line completes the word before it', () => {
  const r = complete('%%docker_run --rest| busybox')!;
  assert.deepEqual(r.labels, ['--restart']);
});

test('a companion magic completes its own flags, not run\'s', () => {
  const r = complete('%docker_ps --fo|')!;
  assert.deepEqual(r.labels, ['--format']);
  assert.equal(r.replaced, '--fo');
  assert.match(r.result.items[0].documentation, /^--format string\nFormat the output/);
  assert.deepEqual(complete('%docker_ps --rest|')!.labels, []); // --restart is run's
  // Flags and arguments mix: a flag after the container too.
  assert.deepEqual(complete('x = %docker_logs web --ta|')!.labels, ['--tail']);
  // exec's command is the container's: no flags past it.
  assert.equal(complete('%docker_exec -it web sh --|'), null);
  // A closed set of a companion flag.
  assert.ok(complete('%docker_inspect --type |')!.labels.includes('volume'));
});

test('a group completes its subcommands, then the subcommand\'s flags', () => {
  const all = complete('%docker_volume |')!;
  assert.deepEqual(all.labels, ['create', 'inspect', 'ls', 'prune', 'rm']);
  assert.ok(all.result.items.every(i => i.type === 'command'));
  assert.match(all.result.items[2].documentation, /^%docker_volume ls \[OPTIONS\]\nList volumes/);
  const some = complete('%docker_image i|')!;
  assert.deepEqual(some.labels, ['inspect']);
  assert.equal(some.replaced, 'i');
  assert.deepEqual(complete('%docker_network ls --no|')!.labels, ['--no-trunc']);
  assert.deepEqual(complete('%docker_context list -|')!.labels, ['-q', '--format', '--quiet']);
  assert.equal(complete('%docker_volume bogus |'), null); // docker refuses the subcommand
});

test('a companion cell magic completes on its magic line, never in its body', () => {
  assert.deepEqual(complete('%%docker_build --no-c|\nFROM busybox')!.labels, ['--no-cache']);
  assert.equal(complete('%%docker_build -t x .\nRUN --no-c|'), null);
});
