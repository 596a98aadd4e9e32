import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  findMagic,
  flagAt,
  isDockerRunCell,
  magicLineAt,
  splitWords,
  tokenizeMagicLine,
  findCompanionMagic,
  pastMagicWord
} from '../src/magicLine';
import { table } from './table';

/** [text, kind, flag name?] of each token. */
function toks(line: string, start = 0) {
  return tokenizeMagicLine(line, table, start).tokens.map(t => {
    const out: string[] = [line.slice(t.from, t.to), t.kind];
    if (t.flag) {
      out.push(t.flag.name);
    }
    return out;
  });
}

test('splitWords: quotes and offsets', () => {
  const words = splitWords(`a 'b c' "d \\"e\\"" f\\ g`);
  assert.deepEqual(words.map(w => w.value), ['a', 'b c', 'd "e"', 'f g']);
  assert.deepEqual(words.map(w => w.raw), ['a', `'b c'`, `"d \\"e\\""`, 'f\\ g']);
  assert.equal(words[1].from, 2);
  assert.equal(words[1].to, 7);
  assert.deepEqual(splitWords(`x 'open`).map(w => w.value), ['x', 'open']);
});

test('flags, values, image, command and args are told apart', () => {
  assert.deepEqual(toks('%%docker_run --rm -e A=b --restart on-failure busybox sh -c "echo hi"'), [
    ['%%docker_run', 'magic'],
    ['--rm', 'flag', 'rm'],
    ['-e', 'flag', 'env'],
    ['A=b', 'value', 'env'],
    ['--restart', 'flag', 'restart'],
    ['on-failure', 'value', 'restart'],
    ['busybox', 'image'],
    ['sh', 'command'],
    ['-c', 'arg'],
    ['"echo hi"', 'arg']
  ]);
});

test('--flag=value and booleans with values', () => {
  assert.deepEqual(toks('%%docker_run --name=web --rm=false img'), [
    ['%%docker_run', 'magic'],
    ['--name', 'flag', 'name'],
    ['web', 'value', 'name'],
    ['--rm', 'flag', 'rm'],
    ['false', 'value', 'rm'],
    ['img', 'image']
  ]);
});

test('short groups: -it, -v/x:/y, -e=FOO=bar, -eFOO', () => {
  assert.deepEqual(toks('%%docker_run -it -v/x:/y -e=FOO=bar -eBAR img'), [
    ['%%docker_run', 'magic'],
    ['-i', 'flag', 'interactive'],
    ['t', 'flag', 'tty'],
    ['-v', 'flag', 'volume'],
    ['/x:/y', 'value', 'volume'],
    ['-e', 'flag', 'env'],
    ['FOO=bar', 'value', 'env'],
    ['-e', 'flag', 'env'],
    ['BAR', 'value', 'env'],
    ['img', 'image']
  ]);
});

test('a value-taking flag takes the next word even when it starts with -', () => {
  assert.deepEqual(toks('%%docker_run --entrypoint -x img'), [
    ['%%docker_run', 'magic'],
    ['--entrypoint', 'flag', 'entrypoint'],
    ['-x', 'value', 'entrypoint'],
    ['img', 'image']
  ]);
});

test('interspersed flags are off: after the image everything is the command', () => {
  assert.deepEqual(toks('%%docker_run busybox --rm ls -l'), [
    ['%%docker_run', 'magic'],
    ['busybox', 'image'],
    ['--rm', 'command'],
    ['ls', 'arg'],
    ['-l', 'arg']
  ]);
  assert.deepEqual(toks('%%docker_run -- -weird-image'), [
    ['%%docker_run', 'magic'],
    ['--', 'separator'],
    ['-weird-image', 'image']
  ]);
});

test('unknown flags are marked, aliases are known', () => {
  assert.deepEqual(toks('%%docker_run --bogus -Z --net none img'), [
    ['%%docker_run', 'magic'],
    ['--bogus', 'unknown-flag'],
    ['-Z', 'unknown-flag'],
    ['--net', 'flag', 'network'],
    ['none', 'value', 'network'],
    ['img', 'image']
  ]);
});

test('a value left pending at the end of the line', () => {
  const { state } = tokenizeMagicLine('%%docker_run --restart ', table);
  assert.equal(state.pendingValue?.name, 'restart');
  assert.equal(state.inFlags, true);
  const after = tokenizeMagicLine('%%docker_run --rm img', table).state;
  assert.equal(after.pendingValue, undefined);
  assert.equal(after.inFlags, false);
});

test('findMagic: the cell magic opens the line; the line magic may follow an assignment', () => {
  assert.deepEqual(findMagic('%%docker_run --rm x'), { start: 0, magic: '%%docker_run' });
  assert.deepEqual(findMagic('  %%docker_run'), { start: 2, magic: '%%docker_run' });
  assert.equal(findMagic('%%docker_runner x'), null);
  assert.equal(findMagic('x = 1 # %%docker_run'), null);
  assert.deepEqual(findMagic('r = %docker_run --rm x', 'line'), { start: 4, magic: '%docker_run' });
  assert.deepEqual(findMagic('a, b = %docker_run x'), { start: 7, magic: '%docker_run' });
  assert.equal(findMagic('%docker_run x', 'cell'), null);
  assert.equal(findMagic('%%docker_run x', 'line'), null);
});

test('isDockerRunCell decides from the text: first non-blank line', () => {
  assert.equal(isDockerRunCell('%%docker_run --rm busybox\necho hi'), true);
  assert.equal(isDockerRunCell('\n  \n%%docker_run busybox'), true);
  assert.equal(isDockerRunCell('x = 1\n%%docker_run busybox'), false);
  assert.equal(isDockerRunCell('print("%%docker_run")'), false);
  assert.equal(isDockerRunCell(''), false);
});

test('magicLineAt: the cell magic line, or line-magic lines; never a cell body', () => {
  const cell = '%%docker_run --rm busybox sh\n%docker_run in the body is stdin';
  assert.equal(magicLineAt(cell, 5)?.from, 0);
  assert.equal(magicLineAt(cell, cell.length - 2), null);
  const py = 'x = 1\nr = %docker_run --rm busybox true\n';
  const at = py.indexOf('--rm');
  assert.deepEqual(magicLineAt(py, at), { from: 6, to: py.length - 1, text: 'r = %docker_run --rm busybox true', start: 4 });
  assert.equal(magicLineAt(py, 2), null);
});

test('flagAt finds the flag (or its value) under the cursor', () => {
  const cell = '%%docker_run -it --restart=always -e A=1 busybox';
  assert.equal(flagAt(cell, cell.indexOf('restart') + 2, table)?.flag?.name, 'restart');
  assert.equal(flagAt(cell, cell.indexOf('always') + 1, table)?.flag?.name, 'restart');
  assert.equal(flagAt(cell, 14, table)?.flag?.name, 'interactive');
  assert.equal(flagAt(cell, 15, table)?.flag?.name, 'tty');
  assert.equal(flagAt(cell, cell.indexOf('A=1') + 1, table)?.flag?.name, 'env');
  assert.equal(flagAt(cell, 3, table)?.magic, true);
  assert.equal(flagAt(cell, cell.indexOf('busybox') + 2, table), null);
  assert.equal(flagAt('x = "--rm"', 6, table), null);
});

test('pastMagicWord: where only runmagic completes (past the magic word of a docker_run line)', () => {
  const text = 'x = 1\nweb = %docker_run -d busybox\n';
  assert.equal(pastMagicWord(text, text.indexOf('-d')), true);
  assert.equal(pastMagicWord(text, text.indexOf('%docker_run') + 5), false); // still the magic word
  assert.equal(pastMagicWord(text, 3), false);
  assert.equal(pastMagicWord('%%docker_run --rm busybox\nexit 1', 30), false); // the body is stdin
  assert.equal(pastMagicWord('%%docker_run --r', 16), true);
});

test('findCompanionMagic: the other line magics, after an assignment too', () => {
  assert.deepEqual(findCompanionMagic('%docker_ps -a'), { start: 0, magic: '%docker_ps' });
  assert.deepEqual(findCompanionMagic('logs = %docker_logs web'), { start: 7, magic: '%docker_logs' });
  assert.equal(findCompanionMagic('%docker_run -d busybox'), null);
  assert.equal(findCompanionMagic('print("%docker_ps")'), null);
});
