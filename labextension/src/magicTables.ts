/**
 * Which command each of runmagic's magics runs (`docker_run` → `docker run`, `docker_ps` →
 * `docker ps`, `docker_volume` → the `volume` group), with its flag table: the export's
 * `magics` and `commands` (src/generated/flag-table.json, from runmagic/grammar/magics.py).
 *
 * Pure: no JupyterLab or DOM imports.
 */
import { FlagTable, ICommandJSON } from './flagTable';

export interface IFlagTablesJSON {
  format: number;
  /** Every magic's command by its docker name (`run`, `ps`, `volume`). */
  commands: Record<string, ICommandJSON>;
  /** Magic name (no `%`) → the command it runs, and whether it is a cell magic too. */
  magics: Record<string, { command: string; cell: boolean }>;
  /** Other names docker accepts for subcommands: `list` for `ls`. */
  subcommand_aliases: Record<string, string>;
}

/** One magic: its name without `%` (`docker_ps`), its command's table, and whether
 * `%%name` is a cell magic. */
export interface IMagicSpec {
  name: string;
  table: FlagTable;
  cell: boolean;
}

/** The magic whose line `%docker_run` and cell `%%docker_run` run `docker run`. */
export const RUN_MAGIC = 'docker_run';

export class MagicTables {
  private readonly _magics = new Map<string, IMagicSpec>();

  constructor(json: IFlagTablesJSON) {
    const aliases = json.subcommand_aliases ?? {};
    const tables = new Map<string, FlagTable>();
    for (const [name, command] of Object.entries(json.commands)) {
      tables.set(name, new FlagTable(command, aliases));
    }
    for (const [name, magic] of Object.entries(json.magics)) {
      const table = tables.get(magic.command);
      if (table) {
        this._magics.set(name, { name, table, cell: magic.cell });
      }
    }
  }

  /** The magic named `name` (without `%`), if runmagic defines it. */
  magic(name: string): IMagicSpec | undefined {
    return this._magics.get(name);
  }

  /** `docker run`'s table. */
  get run(): FlagTable {
    const run = this._magics.get(RUN_MAGIC);
    if (!run) {
      throw new Error(`the flag tables lack %${RUN_MAGIC}`);
    }
    return run.table;
  }
}
