import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tokenizeShell } from '../src/shellTokens';

function toks(text: string) {
  return tokenizeShell(text).map(t => [text.slice(t.from, t.to), t.kind]);
}

test('commands, strings, comments, variables and operators', () => {
  assert.deepEqual(toks(`echo "hi $USER" 'x' | cat # done`), [
    ['echo', 'builtin'],
    ['"hi ', 'string'],
    ['$USER', 'variable'],
    ['"', 'string'],
    [`'x'`, 'string'],
    ['|', 'operator'],
    ['# done', 'comment']
  ]);
});

test('keywords only where a command starts; numbers; assignments', () => {
  assert.deepEqual(toks('for i in 1 2; do echo $i; done\nN=3 ls if'), [
    ['for', 'keyword'],
    ['in', 'keyword'],
    ['1', 'number'],
    ['2', 'number'],
    [';', 'operator'],
    ['do', 'keyword'],
    ['echo', 'builtin'],
    ['$i', 'variable'],
    [';', 'operator'],
    ['done', 'keyword'],
    ['N', 'variable'],
    ['3', 'number']
  ]);
});

test('${...}, $(...), redirections, # inside a word', () => {
  assert.deepEqual(toks('x=${A:-b} && y=$(echo 1) >&2 a#b'), [
    ['x', 'variable'],
    ['${A:-b}', 'variable'],
    ['&&', 'operator'],
    ['y', 'variable'],
    ['$(', 'operator'],
    ['echo', 'builtin'],
    ['1', 'number'],
    [')', 'operator'],
    ['>&', 'operator'],
    ['2', 'number']
  ]);
});

test('multi-line strings and unterminated input do not throw', () => {
  assert.deepEqual(toks(`echo "a\nb" 'c`), [
    ['echo', 'builtin'],
    ['"a\nb"', 'string'],
    [`'c`, 'string']
  ]);
  assert.deepEqual(toks('$'), []);
  assert.deepEqual(toks(''), []);
});
