/**
 * A magic's line (`%%docker_run ...`, `%docker_ps -a`, `x = %docker_volume ls -q`): shell-like
 * words, then docker's flag rules for the magic's command (pflag, as the magics parse it:
 * interspersed flags off for `run` and `exec`, a group's first word its subcommand), for
 * highlighting, completion and hover help.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { describeCommand, describeFlag, FlagTable, IFlagSpec } from './flagTable';
import { IMagicSpec, MagicTables } from './magicTables';

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
  | 'subcommand'
  | 'unknown-subcommand'
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
  /** The command a `magic` or `subcommand` token names. */
  command?: FlagTable;
}

/** Where a value-taking flag stands when the line ends without its value. */
export interface IParseState {
  /** The table the next word is read with: the magic's, or its subcommand's once given. */
  table: FlagTable;
  /** A new word may be a flag (before the image of `run`; anywhere for most commands). */
  inFlags: boolean;
  /** The flag whose value the next word is, if any. */
  pendingValue?: IFlagSpec;
  /** Positional words seen for `table` (image, command, args). */
  positionals: number;
  /** A group (`%docker_volume`) still waiting for its subcommand word. */
  wantsSubcommand: boolean;
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

/** A magic word found on a line: where it starts, as written, and the magic. */
export interface IMagicHit {
  start: number;
  /** As written: `%%docker_run`, `%docker_ps`. */
  magic: string;
  spec: IMagicSpec;
}

const CELL_MAGIC_WORD = /^(\s*)%%(\w+)(?=\s|$)/;
/** A line magic opens the line or follows an assignment (`r = %docker_run ...`). */
const LINE_MAGIC_WORD = /^(\s*(?:[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*)?)%(\w+)(?=\s|$)/;

/**
 * The runmagic magic on `line`, or null. A cell magic (`%%docker_build`) must open the line
 * (after blanks) and be one of the cell magics; a line magic may follow an assignment.
 */
export function findMagic(line: string, magics: MagicTables, which: 'cell' | 'line' | 'any' = 'any'): IMagicHit | null {
  const cell = CELL_MAGIC_WORD.exec(line);
  if (cell) {
    const spec = magics.magic(cell[2]);
    return which !== 'line' && spec?.cell ? { start: cell[1].length, magic: `%%${cell[2]}`, spec } : null;
  }
  if (which === 'cell') {
    return null;
  }
  const lineMagic = LINE_MAGIC_WORD.exec(line);
  const spec = lineMagic && magics.magic(lineMagic[2]);
  return lineMagic && spec ? { start: lineMagic[1].length, magic: `%${lineMagic[2]}`, spec } : null;
}

const PLAIN_FLAG_NAME = /^--[A-Za-z0-9][A-Za-z0-9-]*/;

/**
 * Tokenise a magic line whose magic word starts at `start` (see {@link findMagic}), reading
 * its words with `table`, the magic's command. Returns the tokens, in order and without
 * overlaps, and the state at the line's end.
 */
export function tokenizeMagicLine(
  line: string,
  table: FlagTable,
  start = 0
): { tokens: IToken[]; state: IParseState } {
  const words = splitWords(line, start);
  const tokens: IToken[] = [];
  const state: IParseState = { table, inFlags: true, positionals: 0, wantsSubcommand: table.subcommands.size > 0 };
  if (!words.length) {
    return { tokens, state };
  }
  tokens.push({ from: words[0].from, to: words[0].to, kind: 'magic', command: table });
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
      longFlag(word, state.table, tokens, state);
      continue;
    }
    if (state.inFlags && word.value.startsWith('-') && word.value.length > 1) {
      shortFlags(word, state.table, tokens, state);
      continue;
    }
    if (state.wantsSubcommand) {
      subcommandWord(word, tokens, state);
      continue;
    }
    if (!state.table.interspersed) {
      state.inFlags = false;
    }
    tokens.push({ from: word.from, to: word.to, kind: state.table.positionalKind(state.positionals++) });
  }
  return { tokens, state };
}

/** A group's first word: its subcommand, whose table reads the rest of the line. */
function subcommandWord(word: IWord, tokens: IToken[], state: IParseState): void {
  state.wantsSubcommand = false;
  const sub = state.table.subcommand(word.value);
  if (!sub) {
    // docker refuses it ("unknown command"); what follows cannot be read.
    tokens.push({ from: word.from, to: word.to, kind: 'unknown-subcommand' });
    state.inFlags = false;
    state.positionals++;
    return;
  }
  tokens.push({ from: word.from, to: word.to, kind: 'subcommand', command: sub });
  state.table = sub;
  state.positionals = 0;
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

/** The cell magic opening `text` (a cell), if any: `%%docker_run`, `%%docker_build`, ... */
export function cellMagicOf(text: string, magics: MagicTables): (IMagicHit & { line: { from: number; to: number; text: string } }) | null {
  const first = firstCodeLine(text);
  const hit = first && findMagic(first.text, magics, 'cell');
  return hit ? { ...hit, line: first } : null;
}

/** A magic's line in a cell: its offsets and text, where the magic word starts, the magic. */
export interface IMagicLine {
  from: number;
  to: number;
  text: string;
  start: number;
  spec: IMagicSpec;
}

/**
 * The magic line holding `offset` in a cell's `text`, if any: the cell magic's line of a
 * cell magic's cell, or any line with a line magic (not in a cell magic's body).
 */
export function magicLineAt(text: string, offset: number, magics: MagicTables): IMagicLine | null {
  const line = lineAt(text, offset);
  const cell = cellMagicOf(text, magics);
  if (cell) {
    // The body of a cell magic is the container's stdin (or a Dockerfile), not magics.
    return cell.line.from === line.from ? { ...line, start: cell.start, spec: cell.spec } : null;
  }
  const hit = findMagic(line.text, magics, 'line');
  return hit ? { ...line, start: hit.start, spec: hit.spec } : null;
}

/** What hover help is about: a flag (or its value), or a command (the magic word, a
 * group's subcommand) with the magic word as written. */
export type HelpTarget =
  | { from: number; to: number; flag: IFlagSpec }
  | { from: number; to: number; command: FlagTable; magic: string };

/** The flag, magic word or subcommand under `offset` in a cell, for hover help. */
export function helpAt(text: string, offset: number, magics: MagicTables): HelpTarget | null {
  const line = magicLineAt(text, offset, magics);
  if (!line) {
    return null;
  }
  const col = offset - line.from;
  const { tokens } = tokenizeMagicLine(line.text, line.spec.table, line.start);
  const helpful = tokens.filter(t => t.command || ((t.kind === 'flag' || t.kind === 'value') && t.flag));
  // A token under the cursor, else one ending just before it (the cursor after a word).
  const hit = helpful.find(t => col >= t.from && col < t.to) ?? helpful.find(t => col === t.to);
  if (!hit) {
    return null;
  }
  const from = line.from + hit.from;
  const to = line.from + hit.to;
  if (hit.command) {
    return { from, to, command: hit.command, magic: line.text.slice(tokens[0].from, tokens[0].to) };
  }
  return { from, to, flag: hit.flag! };
}

/** The hover text of a help target: the flag's help, or the command's usage. */
export function helpText(target: HelpTarget): string {
  return 'flag' in target ? describeFlag(target.flag) : describeCommand(target.command, target.magic);
}

/** Whether `offset` is on a magic's line, past the magic word (in its options and
 * arguments): where only runmagic's completions make sense. */
export function pastMagicWord(text: string, offset: number, magics: MagicTables): boolean {
  const line = magicLineAt(text, offset, magics);
  if (!line) {
    return false;
  }
  const words = splitWords(line.text, line.start);
  return words.length > 0 && offset - line.from > words[0].to;
}
