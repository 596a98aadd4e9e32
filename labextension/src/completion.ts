/**
 * Completion on a magic's line (`%%docker_run`, `%docker_ps`, `%docker_volume ls`, ...): a
 * group's subcommands, flag names, and the closed-set values of the flag being given a
 * value, all from the command's flag table.
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { describeCommand, describeFlag, FlagTable, IFlagSpec } from './flagTable';
import { magicLineAt, splitWords, tokenizeMagicLine } from './magicLine';
import { MagicTables } from './magicTables';

export interface ICompletionItem {
  label: string;
  /** A flag's name, one of its values, or a group's subcommand. */
  type: 'flag' | 'value' | 'command';
  /** Plain-text help shown beside the item. */
  documentation: string;
}

export interface ICompletionResult {
  /** Offsets (in the cell's text) of the text the chosen item replaces. */
  start: number;
  end: number;
  items: ICompletionItem[];
  /** The flag whose value is completed, for `value` items. */
  flag?: IFlagSpec;
}

/**
 * Completions at `offset` of a cell's `text`, or null when the cursor is not where a magic
 * line takes a flag, a value or a subcommand (not a magic's line, or past `run`'s image).
 */
export function completionsAt(
  text: string,
  offset: number,
  magics: MagicTables
): ICompletionResult | null {
  const line = magicLineAt(text, offset, magics);
  if (!line) {
    return null;
  }
  const col = offset - line.from;
  if (col <= line.start) {
    return null;
  }
  const before = line.text.slice(0, col);
  // The word the cursor is in (its part before the cursor); "" after a blank.
  const words = splitWords(before, line.start);
  if (words.length === 0) {
    return null;
  }
  const atBlank = /\s$/.test(before);
  const current = atBlank ? null : words[words.length - 1];
  if (current && current.from === words[0].from) {
    return null; // still typing the magic word itself
  }
  // The parse state just before the current word.
  const head = current ? before.slice(0, current.from) : before;
  const { state } = tokenizeMagicLine(head, line.spec.table, line.start);
  const table = state.table;
  const prefixFrom = current ? current.from : col;
  const prefix = current ? current.value : '';

  if (state.pendingValue) {
    return valueCompletions(state.pendingValue, prefix, line.from + prefixFrom, offset);
  }
  if (state.wantsSubcommand && !prefix.startsWith('-')) {
    const magic = splitWords(line.text, line.start)[0].value;
    return subcommandCompletions(table, magic, prefix, line.from + prefixFrom, offset);
  }
  if (!state.inFlags) {
    return null;
  }
  if (current && current.raw.startsWith('--')) {
    const eq = current.raw.indexOf('=');
    if (eq > 0) {
      const flag = table.long(current.raw.slice(2, eq));
      if (!flag || !flag.takes_value) {
        return null;
      }
      return valueCompletions(flag, current.raw.slice(eq + 1), line.from + current.from + eq + 1, offset);
    }
  }
  if (current && current.raw.startsWith('-') && !current.raw.startsWith('--') && current.raw.length > 2) {
    // A short group such as -it or -v/x: nothing to offer past the letters.
    return null;
  }
  if (current && !current.raw.startsWith('-')) {
    return null; // the image (or another argument): not a flag
  }
  return flagCompletions(table, prefix, line.from + prefixFrom, offset);
}

function flagCompletions(
  table: FlagTable,
  prefix: string,
  start: number,
  end: number
): ICompletionResult {
  const items: ICompletionItem[] = [];
  for (const flag of table.visible()) {
    const long = `--${flag.name}`;
    if (long.startsWith(prefix)) {
      items.push({ label: long, type: 'flag', documentation: describeFlag(flag) });
    }
  }
  if (prefix === '-' || (prefix.length === 2 && prefix[0] === '-' && prefix[1] !== '-')) {
    const shorts = table
      .visible()
      .filter(f => f.short && `-${f.short}`.startsWith(prefix))
      .map(f => ({ label: `-${f.short}`, type: 'flag' as const, documentation: describeFlag(f) }));
    items.unshift(...shorts);
  }
  return { start, end, items };
}

function subcommandCompletions(
  group: FlagTable,
  magic: string,
  prefix: string,
  start: number,
  end: number
): ICompletionResult {
  const items = [...group.subcommands.entries()]
    .filter(([word]) => word.startsWith(prefix))
    .map(([word, sub]) => ({ label: word, type: 'command' as const, documentation: describeCommand(sub, magic) }));
  return { start, end, items };
}

function valueCompletions(
  flag: IFlagSpec,
  prefix: string,
  start: number,
  end: number
): ICompletionResult | null {
  if (!flag.choices.length) {
    return null;
  }
  const items = flag.choices
    .filter(choice => choice.startsWith(prefix))
    .map(choice => ({
      label: choice,
      type: 'value' as const,
      documentation: `--${flag.name} ${choice}\n${flag.help}`
    }));
  return { start, end, items, flag };
}
