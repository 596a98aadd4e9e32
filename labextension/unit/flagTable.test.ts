import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describeFlag, flagDisplay } from '../src/flagTable';
import { json, table } from './table';

test('the export carries every field of the Python table', () => {
  assert.equal(json.format, 3);
  const run = json.commands.run;
  assert.match(run.usage, /^docker run \[OPTIONS\] IMAGE/);
  const restart = run.flags.find(f => f.name === 'restart')!;
  for (const field of ['name', 'short', 'kind', 'help', 'default', 'choices', 'completes',
    'aliases', 'min_api', 'os', 'hidden', 'takes_value', 'repeatable']) {
    assert.ok(field in restart, field);
  }
  assert.equal('validate' in restart, false, 'code is not exported');
  for (const policy of ['no', 'always', 'on-failure', 'unless-stopped']) {
    assert.ok(restart.choices.includes(policy), policy);
  }
  assert.equal(restart.default, 'no');
});

test('look-ups by long name, alias and short letter', () => {
  assert.equal(table.long('restart')?.name, 'restart');
  assert.equal(table.long('net')?.name, 'network');
  assert.equal(table.short('e')?.name, 'env');
  assert.equal(table.short('h')?.name, 'hostname');
  assert.equal(table.long('nope'), undefined);
  assert.equal(table.long('rm')?.takes_value, false);
});

test('display and description', () => {
  assert.equal(flagDisplay(table.long('memory')!), '-m, --memory');
  const text = describeFlag(table.long('restart')!);
  assert.match(text, /^--restart string\n/);
  assert.match(text, /Restart policy/);
  assert.ok(text.includes(`Values: ${table.long('restart')!.choices.join(', ')}`));
  assert.match(text, /Default: "no"/);
  assert.match(describeFlag(table.long('network')!), /Also: --net/);
  assert.match(describeFlag(table.long('annotation')!), /API 1\.43/);
  assert.equal(describeFlag(table.long('rm')!).split('\n')[0], '--rm');
});
