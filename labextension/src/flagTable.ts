/**
 * One docker command's flag table (`docker run`, `docker ps`, `docker volume` and its
 * subcommands), as exported by `python -m runmagic.grammar.export`
 * (src/generated/flag-table.json, generated at build time from runmagic/grammar).
 *
 * Pure: no JupyterLab or DOM imports, so it can be unit-tested under node.
 */

/** One flag of a docker command, as the JSON export writes it. */
export interface IFlagSpec {
  /** Long name without dashes: `restart`. */
  name: string;
  /** One-letter short form without the dash, or "". */
  short: string;
  /** docker's type name: `string`, `list`, `bytes`, ... ("" for a boolean flag). */
  kind: string;
  help: string;
  default: unknown;
  /** The closed set of values, for completion. */
  choices: string[];
  /** What the value names on the engine: image, container, network, volume, signal, file. */
  completes: string;
  /** Hidden names meaning the same flag (`net` for `network`). */
  aliases: string[];
  min_api: string;
  os: string;
  hidden: boolean;
  takes_value: boolean;
  repeatable: boolean;
  /** Fields added to the Python table later are exported too. */
  [field: string]: unknown;
}

/** One command, as the JSON export writes it; a group's subcommands by name. */
export interface ICommandJSON {
  /** As docker names it in errors: `run`, `volume create`. */
  name: string;
  usage: string;
  summary: string;
  flags: IFlagSpec[];
  /** False when parsing stops at the first argument (`docker run`, `docker exec`). */
  interspersed?: boolean;
  /** What each positional argument names, read off the usage line by runmagic/grammar:
   * `image`, `container`, `volume`, `network`, `context`, `command`, or `` for another value. */
  arguments?: string[];
  /** The last of `arguments` stands for any number of them (`[CONTAINER...]`). */
  last_argument_repeats?: boolean;
  subcommands?: Record<string, ICommandJSON>;
  /** Fields added to the Python table later are exported too. */
  [field: string]: unknown;
}

/** What a positional argument names, by its place in the usage line. */
export type PositionalKind = 'image' | 'command' | 'arg';

/**
 * A command's flag table with look-ups by long name (and alias) and by short letter, and
 * for a group (`docker volume`) its subcommands.
 */
export class FlagTable {
  readonly name: string;
  readonly flags: ReadonlyArray<IFlagSpec>;
  readonly usage: string;
  readonly summary: string;
  readonly interspersed: boolean;
  /** A group's subcommands by name, in the table's order (empty for a plain command). */
  readonly subcommands: ReadonlyMap<string, FlagTable>;
  private readonly _byLong = new Map<string, IFlagSpec>();
  private readonly _byShort = new Map<string, IFlagSpec>();
  private readonly _subcommandAliases: Readonly<Record<string, string>>;
  private readonly _positionals: PositionalKind[];
  private readonly _lastRepeats: boolean;

  /** `subcommandAliases`: the other names docker accepts for subcommands (`list` for `ls`). */
  constructor(json: ICommandJSON, subcommandAliases: Readonly<Record<string, string>> = {}) {
    this.flags = json.flags.map(f => ({
      ...f,
      short: f.short ?? '',
      kind: f.kind ?? '',
      help: f.help ?? '',
      choices: f.choices ?? [],
      aliases: f.aliases ?? [],
      completes: f.completes ?? '',
      hidden: !!f.hidden,
      takes_value: f.takes_value ?? f.kind !== '',
      repeatable: !!f.repeatable
    }));
    this.name = json.name ?? '';
    this.usage = json.usage ?? '';
    this.summary = json.summary ?? '';
    this.interspersed = json.interspersed ?? true;
    this._subcommandAliases = subcommandAliases;
    this.subcommands = new Map(
      Object.entries(json.subcommands ?? {}).map(([word, sub]) => [word, new FlagTable(sub, subcommandAliases)])
    );
    this._positionals = (json.arguments ?? []).map(positionalKindOf);
    this._lastRepeats = !!json.last_argument_repeats;
    for (const flag of this.flags) {
      for (const name of [flag.name, ...flag.aliases]) {
        this._byLong.set(name, flag);
      }
      if (flag.short) {
        this._byShort.set(flag.short, flag);
      }
    }
  }

  /** The flag named `name` (no dashes), aliases included. */
  long(name: string): IFlagSpec | undefined {
    return this._byLong.get(name);
  }

  /** The flag whose short form is the letter `letter`. */
  short(letter: string): IFlagSpec | undefined {
    return this._byShort.get(letter);
  }

  /** Flags shown to people: not hidden. */
  visible(): IFlagSpec[] {
    return this.flags.filter(f => !f.hidden);
  }

  /** The subcommand `word` names (`ls`, or its alias `list`) of a group. */
  subcommand(word: string): FlagTable | undefined {
    return this.subcommands.get(this._subcommandAliases[word] ?? word);
  }

  /** What the `index`th positional argument names: `IMAGE` and `COMMAND`
   * (`docker run [OPTIONS] IMAGE [COMMAND] [ARG...]`), else an argument. */
  positionalKind(index: number): PositionalKind {
    if (index < this._positionals.length) {
      return this._positionals[index];
    }
    return this._lastRepeats ? this._positionals[this._positionals.length - 1] : 'arg';
  }
}

/** How the editor shows an argument of the kind the flag table gives it. */
function positionalKindOf(argument: string): PositionalKind {
  return argument === 'image' || argument === 'command' ? argument : 'arg';
}

/** `-r, --restart` or `--rm`, as docker's help names a flag. */
export function flagDisplay(flag: IFlagSpec): string {
  return flag.short ? `-${flag.short}, --${flag.name}` : `--${flag.name}`;
}

/** The help of one flag as plain text: a signature line, the help, and the facts. */
export function describeFlag(flag: IFlagSpec): string {
  const signature = flag.takes_value
    ? `${flagDisplay(flag)} ${flag.kind}`
    : flagDisplay(flag);
  const lines = [signature, flag.help];
  if (flag.choices.length) {
    lines.push(`Values: ${flag.choices.join(', ')}`);
  }
  const shownDefault = formatDefault(flag);
  if (shownDefault) {
    lines.push(`Default: ${shownDefault}`);
  }
  if (flag.aliases.length) {
    lines.push(`Also: ${flag.aliases.map(a => `--${a}`).join(', ')}`);
  }
  if (flag.min_api) {
    lines.push(`Needs Engine API ${flag.min_api} or newer`);
  }
  if (flag.os) {
    lines.push(`Only for ${flag.os} daemons`);
  }
  if (flag.repeatable) {
    lines.push('May be given more than once');
  }
  return lines.filter(l => l).join('\n');
}

/**
 * The help of a command as its magic runs it: the usage line spelt with the magic
 * (`%docker_volume ls [OPTIONS]`), the summary, and a group's subcommands.
 */
export function describeCommand(command: FlagTable, magic: string): string {
  const usage = command.usage.replace(/^(\s*)docker \S+/gm, (_m, indent: string) => indent + magic);
  const lines = [usage, command.summary];
  if (command.subcommands.size) {
    lines.push(`Commands: ${[...command.subcommands.keys()].join(', ')}`);
  }
  // The line magic's spelling: a cell magic cannot run with an empty body.
  const helpLine = [magic.replace(/^%+/, '%'), ...command.name.split(' ').slice(1), '--help'].join(' ');
  lines.push(`${helpLine} shows every option.`);
  return lines.filter(l => l).join('\n');
}

function formatDefault(flag: IFlagSpec): string {
  const d = flag.default;
  if (d === null || d === undefined || d === '' || d === false) {
    return '';
  }
  if (d === 0 && flag.kind !== 'int') {
    return '';
  }
  if (typeof d === 'string') {
    return JSON.stringify(d);
  }
  return String(d);
}
