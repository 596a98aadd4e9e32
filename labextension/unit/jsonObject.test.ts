import assert from 'node:assert/strict';
import { test } from 'node:test';

import { jsonObject } from '../src/jsonObject';

test('a JSON object as text or already parsed; anything else is null', () => {
  assert.deepEqual(jsonObject('{"a": 1, "b": [2]}'), { a: 1, b: [2] });
  const parsed = { id: 'abc' };
  assert.equal(jsonObject(parsed), parsed);
  for (const other of ['not json', '[1, 2]', '3', '"text"', 'null', [1], 7, null, undefined, '']) {
    assert.equal(jsonObject(other), null, JSON.stringify(other));
  }
});
