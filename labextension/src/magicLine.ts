/**
 * The `%%docker_run` / `%docker_run` magic line: shell-like words, then docker's flag rules
 * (pflag with interspersed flags off, as the magics parse it), for highlighting, completion
 * and hover help.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { FlagTable, IFlagSpec } from './flagTable';

export const CELL_MAGIC = '%%docker_run';
export const LINE_MAGIC = '%docker_run';

/** One shell word of the line, with its offsets in the line and its unquoted value. */
export interface IWord {
  from: number;
  to: number;
  /** The text as written, quotes included. */
  raw: string;
  /** The value after shell quote removal. */
  value: string;
}

export type TokenKind =
  | 'magic'
  | 'flag'
  | 'unknown-flag'
  | 'value'
  | 'separator'
  | 'image'
  | 'command'
  | 'arg';

/** A highlighted piece of the magic line; offsets are within the line. */
export interface IToken {
  from: number;
  to: number;
  kind: TokenKind;
  /** The flag a `flag` or `value` token belongs to. */
  flag?: IFlagSpec;
}

/** Where a value-taking flag stands when the line ends without its value. */
export interface IParseState {
  /** Still before the image: a new word may be a flag. */
  inFlags: boolean;
  /** The flag whose value the next word is, if any. */
  pendingValue?: IFlagSpec;
  /** Positional words seen (image, command, args). */
  positionals: number;
}

/** Split a line into shell words (quotes and backslashes as POSIX sh treats them). */
export function splitWords(line: string, start = 0): IWord[] {
  const words: IWord[] = [];
  let i = start;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i])) {
      i++;
    }
    if (i >= n) {
      break;
    }
    const from = i;
    let value = '';
    while (i < n && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === "'") {
        const end = line.indexOf("'", i + 1);
        const stop = end < 0 ? n : end;
        value += line.slice(i + 1, stop);
        i = end < 0 ? n : end + 1;
      } else if (c === '"') {
        i++;
        while (i < n && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1])) {
            i++;
          }
          value += line[i];
          i++;
        }
        i = Math.min(n, i + 1);
      } else if (c === '\\' && i + 1 < n) {
        value += line[i + 1];
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
    words.push({ from, to: i, raw: line.slice(from, i), value });
  }
  return words;
}

/**
 * Where the magic word starts on `line`, or -1. The cell magic must open the line (after
 * blanks); the line magic may follow an assignment (`r = %docker_run ...`).
 */
export function findMagic(
  line: string,
  which: 'cell' | 'line' | 'any' = 'any'
): { start: number; magic: string } | null {
  const cell = /^(\s*)%%docker_run(?=\s|$)/.exec(line);
  if (cell) {
    return which === 'line' ? null : { start: cell[1].length, magic: CELL_MAGIC };
  }
  if (which === 'cell') {
    return null;
  }
  const lineMagic =
    /^(\s*(?:[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)?)%docker_run(?=\s|$)/.exec(
      line
    );
  return lineMagic ? { start: lineMagic[1].length, magic: LINE_MAGIC } : null;
}

/** The companion line magics' words: `%docker_ps`, `%docker_logs`, ... (not `%docker_run`). */
const COMPANION = /^(\s*(?:[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)?)%(docker_(?!run\b)[a-z]+)(?=\s|$)/;

/** Where a companion magic (`%docker_ps`, `x = %docker_logs web`) starts on `line`, or null. */
export function findCompanionMagic(line: string): { start: number; magic: string } | null {
  const m = COMPANION.exec(line);
  return m ? { start: m[1].length, magic: `%${m[2]}` } : null;
}

const PLAIN_FLAG_NAME = /^--[A-Za-z0-9][A-Za-z0-9-]*/;

/**
 * Tokenise a magic line whose magic word starts at `start` (see {@link findMagic}).
 * Returns the tokens, in order and without overlaps, and the state at the line's end.
 */
export function tokenizeMagicLine(
  line: string,
  table: FlagTable,
  start = 0
): { tokens: IToken[]; state: IParseState } {
  const words = splitWords(line, start);
  const tokens: IToken[] = [];
  const state: IParseState = { inFlags: true, positionals: 0 };
  if (!words.length) {
    return { tokens, state };
  }
  tokens.push({ from: words[0].from, to: words[0].to, kind: 'magic' });
  for (const word of words.slice(1)) {
    if (state.pendingValue) {
      tokens.push({ from: word.from, to: word.to, kind: 'value', flag: state.pendingValue });
      state.pendingValue = undefined;
      continue;
    }
    if (state.inFlags && word.value === '--') {
      tokens.push({ from: word.from, to: word.to, kind: 'separator' });
      state.inFlags = false;
      continue;
    }
    if (state.inFlags && word.value.startsWith('--') && word.value.length > 2) {
      longFlag(word, table, tokens, state);
      continue;
    }
    if (state.inFlags && word.value.startsWith('-') && word.value.length > 1) {
      shortFlags(word, table, tokens, state);
      continue;
    }
    state.inFlags = false;
    const kind: TokenKind =
      state.positionals === 0 ? 'image' : state.positionals === 1 ? 'command' : 'arg';
    state.positionals++;
    tokens.push({ from: word.from, to: word.to, kind });
  }
  return { tokens, state };
}

function longFlag(word: IWord, table: FlagTable, tokens: IToken[], state: IParseState): void {
  // Split at the first '=' of the raw text when the name part is plain (no quotes).
  const m = PLAIN_FLAG_NAME.exec(word.raw);
  const eq = m && word.raw[m[0].length] === '=' ? m[0].length : -1;
  const name = (eq >= 0 ? word.raw.slice(2, eq) : word.value.slice(2)).split('=')[0];
  const flag = table.long(name);
  if (!flag) {
    tokens.push({ from: word.from, to: word.to, kind: 'unknown-flag' });
    return;
  }
  if (eq >= 0) {
    tokens.push({ from: word.from, to: word.from + eq, kind: 'flag', flag });
    if (word.from + eq + 1 < word.to) {
      tokens.push({ from: word.from + eq + 1, to: word.to, kind: 'value', flag });
    }
    return;
  }
  if (word.value.includes('=')) {
    // Quoted name part: the whole word is flag and value; mark it as the flag.
    tokens.push({ from: word.from, to: word.to, kind: 'flag', flag });
    return;
  }
  tokens.push({ from: word.from, to: word.to, kind: 'flag', flag });
  if (flag.takes_value) {
    state.pendingValue = flag;
  }
}

function shortFlags(word: IWord, table: FlagTable, tokens: IToken[], state: IParseState): void {
  const raw = word.raw;
  if (!/^-[A-Za-z0-9]/.test(raw)) {
    // Quoted: "-it". Judge by the value; mark the whole word.
    const flag = table.short(word.value[1]);
    tokens.push({ from: word.from, to: word.to, kind: flag ? 'flag' : 'unknown-flag', flag });
    if (flag?.takes_value && word.value.length === 2) {
      state.pendingValue = flag;
    }
    return;
  }
  for (let j = 1; j < raw.length; j++) {
    const from = word.from + (j === 1 ? 0 : j);
    const flag = table.short(raw[j]);
    if (!flag) {
      tokens.push({ from, to: word.to, kind: 'unknown-flag' });
      return;
    }
    tokens.push({ from, to: word.from + j + 1, kind: 'flag', flag });
    if (flag.takes_value) {
      let valueFrom = j + 1;
      if (raw[valueFrom] === '=') {
        valueFrom++;
      }
      if (valueFrom < raw.length) {
        tokens.push({ from: word.from + valueFrom, to: word.to, kind: 'value', flag });
      } else if (j + 1 >= raw.length) {
        state.pendingValue = flag;
      }
      return;
    }
    if (raw[j + 1] === '=') {
      // -i=true: a boolean's explicit value.
      if (j + 2 < raw.length) {
        tokens.push({ from: word.from + j + 2, to: word.to, kind: 'value', flag });
      }
      return;
    }
  }
}

/** The line of `text` holding `offset`: its start, end and text. */
export function lineAt(text: string, offset: number): { from: number; to: number; text: string } {
  const from = text.lastIndexOf('\n', offset - 1) + 1;
  let to = text.indexOf('\n', offset);
  if (to < 0) {
    to = text.length;
  }
  return { from, to, text: text.slice(from, to) };
}

/** Offsets of the first non-blank line of `text` (a cell magic must be there). */
export function firstCodeLine(text: string): { from: number; to: number; text: string } | null {
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) {
      to = text.length;
    }
    const line = text.slice(from, to);
    if (line.trim()) {
      return { from, to, text: line };
    }
    if (to >= text.length) {
      return null;
    }
    from = to + 1;
  }
  return null;
}

/** Whether `text` (a cell) is a `%%docker_run` cell. */
export function isDockerRunCell(text: string): boolean {
  const first = firstCodeLine(text);
  return !!first && !!findMagic(first.text, 'cell');
}

/**
 * The magic line holding `offset` in a cell's `text`, if any: the cell magic's line of a
 * `%%docker_run` cell, or any line with the `%docker_run` line magic.
 */
export function magicLineAt(
  text: string,
  offset: number
): { from: number; to: number; text: string; start: number } | null {
  const line = lineAt(text, offset);
  const first = firstCodeLine(text);
  if (first && first.from === line.from) {
    const cell = findMagic(line.text, 'cell');
    if (cell) {
      return { ...line, start: cell.start };
    }
  }
  if (isDockerRunCell(text)) {
    return null; // the body of a %%docker_run cell is the container's stdin
  }
  const lm = findMagic(line.text, 'line');
  return lm ? { ...line, start: lm.start } : null;
}

/** The flag (or the magic word) under `offset` in a cell, for hover help. */
export function flagAt(
  text: string,
  offset: number,
  table: FlagTable
): { from: number; to: number; flag?: IFlagSpec; magic?: boolean } | null {
  const line = magicLineAt(text, offset);
  if (!line) {
    return null;
  }
  const col = offset - line.from;
  const { tokens } = tokenizeMagicLine(line.text, table, line.start);
  const helpful = tokens.filter(t => t.kind === 'magic' || ((t.kind === 'flag' || t.kind === 'value') && t.flag));
  // A token under the cursor, else one ending just before it (the cursor after a word).
  const hit =
    helpful.find(t => col >= t.from && col < t.to) ?? helpful.find(t => col === t.to);
  if (hit) {
    return hit.kind === 'magic'
      ? { from: line.from + hit.from, to: line.from + hit.to, magic: true }
      : { from: line.from + hit.from, to: line.from + hit.to, flag: hit.flag };
  }
  return null;
}

/** Whether `offset` is on a docker_run magic line, past the magic word (in its options, image
 * or command): where only runmagic's completions make sense. */
export function pastMagicWord(text: string, offset: number): boolean {
  const line = magicLineAt(text, offset);
  if (!line) {
    return false;
  }
  const words = splitWords(line.text, line.start);
  return words.length > 0 && offset - line.from > words[0].to;
}

/** The companion magic word under `offset` in a cell (not in a %%docker_run cell's body). */
export function companionMagicAt(text: string, offset: number): { from: number; to: number; magic: string } | null {
  if (isDockerRunCell(text)) {
    return null;
  }
  const line = lineAt(text, offset);
  const found = findCompanionMagic(line.text);
  if (!found) {
    return null;
  }
  const from = line.from + found.start;
  const to = from + found.magic.length;
  return offset >= from && offset <= to ? { from, to, magic: found.magic } : null;
}
