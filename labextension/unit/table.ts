// The generated flag tables (npm test regenerates them from runmagic/grammar first).
import * as fs from 'fs';
import * as path from 'path';

import { IFlagTablesJSON, MagicTables } from '../src/magicTables';

const file = path.resolve(__dirname, '..', '..', 'src', 'generated', 'flag-table.json');

export const json: IFlagTablesJSON = JSON.parse(fs.readFileSync(file, 'utf8'));
export const magics = new MagicTables(json);
/** `docker run`'s table. */
export const table = magics.run;
