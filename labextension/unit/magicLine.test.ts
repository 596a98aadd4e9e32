import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FlagTable } from '../src/flagTable';
import {
  cellMagicOf,
  findMagic,
  helpAt,
  helpText,
  magicLineAt,
  pastMagicWord,
  splitWords,
  tokenizeMagicLine
} from '../src/magicLine';
import { magics, table } from './table';

/** [text, kind, flag or subcommand name?] of each token, read with `command`'s table. */
function toks(line: string, start = 0, command: FlagTable = table) {
  return tokenizeMagicLine(line, command, start).tokens.map(t => {
    const out: string[] = [line.slice(t.from, t.to), t.kind];
    if (t.flag) {
      out.push(t.flag.name);
    } else if (t.command && t.kind !== 'magic') {
      out.push(t.command.name);
    }
    return out;
  });
}

/** The table of the magic `name` (without `%`). */
function tableOf(name: string): FlagTable {
  return magics.magic(name)!.table;
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
  const at = (line: string, which?: 'cell' | 'line') => {
    const hit = findMagic(line, magics, which);
    return hit && { start: hit.start, magic: hit.magic, name: hit.spec.name };
  };
  assert.deepEqual(at('%%docker_run --rm x'), { start: 0, magic: '%%docker_run', name: 'docker_run' });
  assert.deepEqual(at('  %%docker_run'), { start: 2, magic: '%%docker_run', name: 'docker_run' });
  assert.equal(at('%%docker_runner x'), null);
  assert.equal(at('x = 1 # %%docker_run'), null);
  assert.deepEqual(at('r = %docker_run --rm x', 'line'), { start: 4, magic: '%docker_run', name: 'docker_run' });
  assert.deepEqual(at('a, b = %docker_run x'), { start: 7, magic: '%docker_run', name: 'docker_run' });
  assert.equal(at('%docker_run x', 'cell'), null);
  assert.equal(at('%%docker_run x', 'line'), null);
});

test('findMagic: the companion magics, each with its own table; cell magics only where IPython has them', () => {
  assert.equal(findMagic('%docker_ps -a', magics)?.spec.table.name, 'ps');
  assert.deepEqual(findMagic('logs = %docker_logs web', magics, 'line')?.start, 7);
  assert.equal(findMagic('%docker_image ls', magics)?.spec.table.name, 'image');
  assert.equal(findMagic('%%docker_build -t x .', magics, 'cell')?.spec.table.name, 'build');
  assert.equal(findMagic('%%docker_exec -i web cat', magics, 'cell')?.spec.table.name, 'exec');
  assert.equal(findMagic('%%docker_ps', magics), null); // a line magic only
  assert.equal(findMagic('%docker_nope -a', magics), null); // not one of runmagic's
  assert.equal(findMagic('print("%docker_ps")', magics), null);
});

test('cellMagicOf decides from the text: first non-blank line', () => {
  assert.equal(cellMagicOf('%%docker_run --rm busybox\necho hi', magics)?.spec.name, 'docker_run');
  assert.equal(cellMagicOf('\n  \n%%docker_run busybox', magics)?.line.from, 4);
  assert.equal(cellMagicOf('%%docker_build -t x .\nFROM busybox', magics)?.spec.name, 'docker_build');
  assert.equal(cellMagicOf('x = 1\n%%docker_run busybox', magics), null);
  assert.equal(cellMagicOf('print("%%docker_run")', magics), null);
  assert.equal(cellMagicOf('', magics), null);
});

test('magicLineAt: the cell magic line, or line-magic lines; never a cell body', () => {
  const cell = '%%docker_run --rm busybox sh\n%docker_run in the body is stdin';
  assert.equal(magicLineAt(cell, 5, magics)?.from, 0);
  assert.equal(magicLineAt(cell, cell.length - 2, magics), null);
  const py = 'x = 1\nr = %docker_run --rm busybox true\n';
  const line = magicLineAt(py, py.indexOf('--rm'), magics)!;
  assert.deepEqual(
    { from: line.from, to: line.to, text: line.text, start: line.start },
    { from: 6, to: py.length - 1, text: 'r = %docker_run --rm busybox true', start: 4 }
  );
  assert.equal(magicLineAt(py, 2, magics), null);
  const build = '%%docker_build -t x .\nRUN %docker_ps -a';
  assert.equal(magicLineAt(build, build.length - 2, magics), null); // a Dockerfile line
});

test('helpAt finds the flag (or its value) under the cursor, or the magic', () => {
  const cell = '%%docker_run -it --restart=always -e A=1 busybox';
  const flagName = (offset: number, text = cell) => {
    const hit = helpAt(text, offset, magics);
    return hit && 'flag' in hit ? hit.flag.name : null;
  };
  assert.equal(flagName(cell.indexOf('restart') + 2), 'restart');
  assert.equal(flagName(cell.indexOf('always') + 1), 'restart');
  assert.equal(flagName(14), 'interactive');
  assert.equal(flagName(15), 'tty');
  assert.equal(flagName(cell.indexOf('A=1') + 1), 'env');
  const magic = helpAt(cell, 3, magics)!;
  assert.ok('command' in magic && magic.command.name === 'run' && magic.magic === '%%docker_run');
  assert.equal(helpAt(cell, cell.indexOf('busybox') + 2, magics), null);
  assert.equal(helpAt('x = "--rm"', 6, magics), null);
});

test('pastMagicWord: where only runmagic completes (past the magic word of a magic line)', () => {
  const text = 'x = 1\nweb = %docker_run -d busybox\n';
  assert.equal(pastMagicWord(text, text.indexOf('-d'), magics), true);
  assert.equal(pastMagicWord(text, text.indexOf('%docker_run') + 5, magics), false); // still the magic word
  assert.equal(pastMagicWord(text, 3, magics), false);
  assert.equal(pastMagicWord('%%docker_run --rm busybox\nexit 1', 30, magics), false); // the body is stdin
  assert.equal(pastMagicWord('%%docker_run --r', 16, magics), true);
  assert.equal(pastMagicWord('%docker_ps --fo', 15, magics), true);
  assert.equal(pastMagicWord('%docker_ps', 5, magics), false);
});

test('a companion line: its own flags and values; flags the command lacks are refused', () => {
  const ps = tableOf('docker_ps');
  assert.deepEqual(toks('%docker_ps -a --format "{{.ID}}" --rm -n 3', 0, ps), [
    ['%docker_ps', 'magic'],
    ['-a', 'flag', 'all'],
    ['--format', 'flag', 'format'],
    ['"{{.ID}}"', 'value', 'format'],
    ['--rm', 'unknown-flag'], // a run flag: `docker ps` has none such
    ['-n', 'flag', 'last'],
    ['3', 'value', 'last']
  ]);
  // Flags and arguments mix (cobra's default); the usage names what an argument is.
  assert.deepEqual(toks('x = %docker_logs web --tail 5 -f', 4, tableOf('docker_logs')), [
    ['%docker_logs', 'magic'],
    ['web', 'arg'],
    ['--tail', 'flag', 'tail'],
    ['5', 'value', 'tail'],
    ['-f', 'flag', 'follow']
  ]);
  assert.deepEqual(toks('%docker_rmi -f busybox x:1', 0, tableOf('docker_rmi')), [
    ['%docker_rmi', 'magic'],
    ['-f', 'flag', 'force'],
    ['busybox', 'image'],
    ['x:1', 'image']
  ]);
});

test('exec stops reading flags at its command, as docker exec does', () => {
  assert.deepEqual(toks('%docker_exec -it web sh -c "ls -l"', 0, tableOf('docker_exec')), [
    ['%docker_exec', 'magic'],
    ['-i', 'flag', 'interactive'],
    ['t', 'flag', 'tty'],
    ['web', 'arg'],
    ['sh', 'command'],
    ['-c', 'arg'],
    ['"ls -l"', 'arg']
  ]);
});

test('a group: its first word is the subcommand, whose table reads the rest', () => {
  const image = tableOf('docker_image');
  assert.deepEqual(toks('%docker_image ls -q --digests --all-tags', 0, image), [
    ['%docker_image', 'magic'],
    ['ls', 'subcommand', 'image ls'],
    ['-q', 'flag', 'quiet'],
    ['--digests', 'flag', 'digests'],
    ['--all-tags', 'unknown-flag']
  ]);
  // docker's aliases of subcommands: list for ls, remove for rm.
  assert.deepEqual(toks('%docker_volume list -q', 0, tableOf('docker_volume')), [
    ['%docker_volume', 'magic'],
    ['list', 'subcommand', 'volume ls'],
    ['-q', 'flag', 'quiet']
  ]);
  assert.deepEqual(toks('%docker_network bogus -f x', 0, tableOf('docker_network')), [
    ['%docker_network', 'magic'],
    ['bogus', 'unknown-subcommand'],
    ['-f', 'arg'],
    ['x', 'arg']
  ]);
  const { state } = tokenizeMagicLine('%docker_context ', tableOf('docker_context'));
  assert.equal(state.wantsSubcommand, true);
  assert.equal(tokenizeMagicLine('%docker_context use ', tableOf('docker_context')).state.table.name, 'context use');
});

test('hover text: a companion flag\'s help, a magic\'s and a subcommand\'s usage', () => {
  const text = 'x = 1\n%docker_image ls --format json';
  const flag = helpAt(text, text.indexOf('--format') + 3, magics)!;
  assert.match(helpText(flag), /^--format string\nFormat the output: 'table', 'table TEMPLATE', 'json' or a Go TEMPLATE/);
  const sub = helpAt(text, text.indexOf(' ls') + 1, magics)!;
  assert.equal(
    helpText(sub),
    '%docker_image ls [OPTIONS] [REPOSITORY[:TAG]]\nList images\n%docker_image ls --help shows every option.'
  );
  const group = helpAt(text, text.indexOf('%docker_image') + 2, magics)!;
  assert.equal(
    helpText(group),
    '%docker_image COMMAND\nManage images\nCommands: history, inspect, load, ls, prune, rm, save, tag\n' +
      '%docker_image --help shows every option.'
  );
  const run = helpAt('%%docker_run --rm busybox', 3, magics)!;
  assert.match(helpText(run), /^%%docker_run \[OPTIONS\] IMAGE \[COMMAND\] \[ARG\.\.\.\]\nCreate and run a new container/);
  assert.match(helpText(run), /%docker_run --help shows every option\.$/);
});
