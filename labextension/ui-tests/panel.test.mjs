// A container started by a cell shows in the Containers panel, and its Stop button stops it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, createNotebook, LABELS, openNotebook, waitForKernelIdle, withPage } from './helpers.mjs';

const NOTEBOOK_LABEL = 'org.runmagic.notebook';

test('a container started by a cell shows in the side panel and Stop stops it', async () => {
  const labels = { ...LABELS, [NOTEBOOK_LABEL]: '1' };
  await createNotebook('ui-panel.ipynb', [
    '%load_ext runmagic',
    // The magics label their containers org.runmagic.notebook=1; the test labels add the
    // test session's, so the test run can account for (and remove) what it made.
    `%config DockerRun.labels = ${JSON.stringify(labels)}`,
    'web = %docker_run -d --init --network none busybox sleep 300'
  ]);
  await withPage('panel', async page => {
    await openNotebook(page, 'ui-panel.ipynb');
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
    // -d prints the full container ID, as docker does.
    const output = page.locator('.jp-NotebookPanel .jp-Cell').nth(2).locator('.jp-OutputArea-output')
      .filter({ hasText: /[0-9a-f]{64}/ }).first();
    await output.waitFor({ timeout: 60_000 });
    await waitForKernelIdle(page);
    const id = /[0-9a-f]{64}/.exec(await output.innerText())[0];

    // Open the Containers panel from the left side bar.
    await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="runmagic-containers"]').click();
    const panel = page.locator('#runmagic-containers');
    await panel.waitFor({ state: 'visible' });
    assert.equal(await panel.locator('select.rm-filter').inputValue(), 'notebook');
    const item = panel.locator(`.rm-container[data-id="${id}"]`);
    await item.waitFor({ timeout: 30_000 });
    assert.equal(await item.getAttribute('data-state'), 'running');
    assert.match(await item.locator('.rm-image').innerText(), /busybox/);

    await item.locator('button[data-action="stop"]').click();
    await panel.locator(`.rm-container[data-id="${id}"][data-state="exited"]`).waitFor({ timeout: 30_000 });
    const state = await api(`runmagic/containers/${id}`);
    assert.equal(state.state, 'exited');

    // "All" lists it too; the filter is the panel's own choice.
    await panel.locator('select.rm-filter').selectOption('all');
    await panel.locator(`.rm-container[data-id="${id}"]`).waitFor();
  });
});
