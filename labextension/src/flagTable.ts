/**
 * runmagic's flag table, as exported by `python -m runmagic.grammar.export`
 * (src/generated/flag-table.json, generated at build time from runmagic/flags.py).
 *
 * Pure: no JupyterLab or DOM imports, so it can be unit-tested under node.
 */

/** One flag of `docker run`, as the JSON export writes it. */
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

export interface IFlagTableJSON {
  format: number;
  usage: string;
  summary: string;
  flags: IFlagSpec[];
}

/** The flag table with look-ups by long name (and alias) and by short letter. */
export class FlagTable {
  readonly flags: ReadonlyArray<IFlagSpec>;
  readonly usage: string;
  readonly summary: string;
  private readonly _byLong = new Map<string, IFlagSpec>();
  private readonly _byShort = new Map<string, IFlagSpec>();

  constructor(json: IFlagTableJSON) {
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
    this.usage = json.usage ?? '';
    this.summary = json.summary ?? '';
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
