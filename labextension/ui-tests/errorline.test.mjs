// A failed run's error line reads at a glance: docker's own message, then the exit status it
// carries (125 for a rejected option).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createNotebook, labelsCell, openNotebook, runAll, withPage } from './helpers.mjs';

test('an error line ends with its exit status', async () => {
  await createNotebook('ui-errorline.ipynb', [labelsCell(), '%docker_run --rm --network none --cpus abc busybox true']);
  await withPage('errorline', async page => {
    await openNotebook(page, 'ui-errorline.ipynb');
    await runAll(page);
    const error = page.locator('.jp-NotebookPanel .jp-Cell').nth(1)
      .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    await error.first().waitFor({ timeout: 30_000 });
    const text = (await error.first().innerText()).trim();
    assert.match(text, /invalid argument "abc" for "--cpus" flag/);
    assert.match(text, /exit status 125\)?$/m, text);
    assert.equal(text.split('\n').length, 1, `one line: ${text}`);
  });
});
