// The generated flag table (npm test regenerates it from runmagic/flags.py first).
import * as fs from 'fs';
import * as path from 'path';

import { FlagTable, IFlagTableJSON } from '../src/flagTable';

const file = path.resolve(__dirname, '..', '..', 'src', 'generated', 'flag-table.json');

export const json: IFlagTableJSON = JSON.parse(fs.readFileSync(file, 'utf8'));
export const table = new FlagTable(json);
