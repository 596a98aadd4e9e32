/**
 * A small POSIX-shell tokenizer for the body of a `%%docker_run` cell (usually a script fed
 * to `sh` on the container's stdin): comments, strings, variables, keywords, builtins,
 * operators and numbers. It only has to colour text, never to run it.
 *
 * Pure: no JupyterLab or DOM imports.
 */

export type ShellTokenKind =
  | 'comment'
  | 'string'
  | 'variable'
  | 'keyword'
  | 'builtin'
  | 'operator'
  | 'number';

export interface IShellToken {
  from: number;
  to: number;
  kind: ShellTokenKind;
}

const KEYWORDS = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac',
  'in', 'function', 'select', '!', '{', '}'
]);

const BUILTINS = new Set([
  'alias', 'bg', 'break', 'cd', 'command', 'continue', 'echo', 'eval', 'exec', 'exit',
  'export', 'false', 'fg', 'getopts', 'hash', 'jobs', 'kill', 'local', 'printf', 'pwd',
  'read', 'readonly', 'return', 'set', 'shift', 'sleep', 'source', 'test', 'times', 'trap',
  'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait', '.', ':', '['
]);

/** Words after which a command may start again. */
const COMMAND_PREFIX_KEYWORDS = new Set(['then', 'else', 'elif', 'do', 'if', 'while', 'until', '!', '{']);

const OPERATORS = ['&&', '||', ';;', '>>', '<<', '>&', '<&', '|', '&', ';', '<', '>', '(', ')'];

const WORD_BREAK = /[\s|&;<>()'"`$#]/;

/** Tokens of `text`, in order, without overlaps; offsets are within `text`. */
export function tokenizeShell(text: string): IShellToken[] {
  const tokens: IShellToken[] = [];
  const n = text.length;
  let i = 0;
  let commandStart = true;
  const push = (from: number, to: number, kind: ShellTokenKind) => {
    if (to > from) {
      tokens.push({ from, to, kind });
    }
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      commandStart = true;
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|()]/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      push(i, end < 0 ? n : end, 'comment');
      i = end < 0 ? n : end;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      const to = end < 0 ? n : end + 1;
      push(i, to, 'string');
      i = to;
      commandStart = false;
      continue;
    }
    if (c === '"') {
      i = doubleQuoted(text, i, push);
      commandStart = false;
      continue;
    }
    if (c === '$') {
      commandStart = text[i + 1] === '('; // $( ... ) holds a command
      i = variable(text, i, push);
      continue;
    }
    if (c === '`') {
      push(i, i + 1, 'operator');
      i++;
      commandStart = true;
      continue;
    }
    const op = OPERATORS.find(o => text.startsWith(o, i));
    if (op) {
      push(i, i + op.length, 'operator');
      i += op.length;
      commandStart = !['<', '>', '>>', '<<', '>&', '<&', ')'].includes(op);
      continue;
    }
    // A plain word (up to the next break character).
    let j = i;
    while (j < n && !WORD_BREAK.test(text[j])) {
      j++;
    }
    if (j === i) {
      i++;
      continue;
    }
    const word = text.slice(i, j);
    const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(word);
    if (commandStart && assignment) {
      push(i, i + assignment[0].length - 1, 'variable');
      // The value, if a plain number, is still a number; otherwise left plain.
      if (/^\d+$/.test(word.slice(assignment[0].length))) {
        push(i + assignment[0].length, j, 'number');
      }
    } else if (commandStart && KEYWORDS.has(word)) {
      push(i, j, 'keyword');
      commandStart = COMMAND_PREFIX_KEYWORDS.has(word);
    } else if (commandStart && BUILTINS.has(word)) {
      push(i, j, 'builtin');
      commandStart = false;
    } else if (!commandStart && (word === 'in' || word === 'do') ) {
      push(i, j, 'keyword');
      commandStart = word === 'do';
    } else if (/^\d+$/.test(word)) {
      push(i, j, 'number');
      commandStart = false;
    } else {
      commandStart = false;
    }
    i = j;
  }
  return tokens;
}

type Push = (from: number, to: number, kind: ShellTokenKind) => void;

/** `"..."` from `i`: string pieces with variables inside; returns the offset after it. */
function doubleQuoted(text: string, i: number, push: Push): number {
  const n = text.length;
  let segment = i;
  let j = i + 1;
  while (j < n && text[j] !== '"') {
    if (text[j] === '\\' && j + 1 < n) {
      j += 2;
      continue;
    }
    if (text[j] === '$' && j + 1 < n && /[A-Za-z_{(0-9?#@*!$-]/.test(text[j + 1])) {
      push(segment, j, 'string');
      j = variable(text, j, push);
      segment = j;
      continue;
    }
    j++;
  }
  const end = Math.min(n, j + 1);
  push(segment, end, 'string');
  return end;
}

/** `$name`, `${...}`, `$(...)` or `$1` from `i`; returns the offset after it. */
function variable(text: string, i: number, push: Push): number {
  const n = text.length;
  const next = text[i + 1];
  if (next === '{') {
    const end = text.indexOf('}', i + 2);
    const to = end < 0 ? n : end + 1;
    push(i, to, 'variable');
    return to;
  }
  if (next === '(') {
    push(i, i + 2, 'operator'); // $( ... ): the inside is tokenised as commands
    return i + 2;
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*|^[0-9?#@*!$-]/.exec(text.slice(i + 1, i + 64));
  if (m) {
    push(i, i + 1 + m[0].length, 'variable');
    return i + 1 + m[0].length;
  }
  return i + 1;
}
