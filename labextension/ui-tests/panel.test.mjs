// A container started by a cell shows in the Containers panel, and its Stop button stops it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, createNotebook, LABELS, openNotebook, screenshot, setTheme, waitForKernelIdle, withPage } from './helpers.mjs';

const NOTEBOOK_LABEL = 'org.runmagic.notebook';
const PAGE = 'hello-from-the-side-panel';

test('a container started by a cell shows in the side panel and Stop stops it', async () => {
  const labels = { ...LABELS, [NOTEBOOK_LABEL]: '1' };
  await createNotebook('ui-panel.ipynb', [
    '%load_ext runmagic',
    // The magics label their containers org.runmagic.notebook=1; the test labels add the
    // test session's, so the test run can account for (and remove) what it made.
    `%config DockerRun.labels = ${JSON.stringify(labels)}`,
    'web = %docker_run -d --init --network none busybox sleep 300',
    // --init: httpd as PID 1 ignores SIGTERM.
    `site = %docker_run -d --init -p 127.0.0.1::80 busybox sh -c 'mkdir /www && echo ${PAGE} > /www/index.html && exec httpd -f -p 80 -h /www'`,
    'print(site.id)'
  ]);
  await withPage('panel', async page => {
    await openNotebook(page, 'ui-panel.ipynb');
    await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
    // -d prints the full container ID, as docker does.
    const output = page.locator('.jp-NotebookPanel .jp-Cell').nth(2).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]')
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

    // A container that wrote nothing: its logs say so.
    await item.locator('button[data-action="logs"]').click();
    const dialog = page.locator('.jp-Dialog');
    await dialog.waitFor();
    assert.equal((await dialog.locator('.rm-logs-empty').innerText()).trim(), 'no output yet');
    await dialog.locator('button', { hasText: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The published port links through jupyter-server-proxy (installed here), as cell panels do.
    const siteOutput = page.locator('.jp-NotebookPanel .jp-Cell').nth(4).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"]')
      .filter({ hasText: /^[0-9a-f]{64}\s*$/ }).first();
    const siteId = (await siteOutput.innerText()).trim();
    const site = panel.locator(`.rm-container[data-id="${siteId}"]`);
    const link = site.locator('a.rm-port');
    await link.waitFor({ timeout: 30_000 });
    const [, port] = /^127\.0\.0\.1:(\d+)->80\/tcp$/.exec((await link.innerText()).trim());
    const href = await link.getAttribute('href');
    assert.match(href, new RegExp(`^/proxy/${port}/$`));
    assert.equal((await page.evaluate(async url => (await fetch(url)).text(), href)).trim(), PAGE);
    await screenshot(page, 'side-panel-light', panel);
    await setTheme(page, 'JupyterLab Dark');
    await screenshot(page, 'side-panel-dark', panel);
    await setTheme(page, 'JupyterLab Light');

    await item.locator('button[data-action="stop"]').click();
    await panel.locator(`.rm-container[data-id="${id}"][data-state="exited"]`).waitFor({ timeout: 30_000 });
    const state = await api(`runmagic/containers/${id}`);
    assert.equal(state.state, 'exited');

    // "All" lists it too; the filter is the panel's own choice.
    await panel.locator('select.rm-filter').selectOption('all');
    await panel.locator(`.rm-container[data-id="${id}"]`).waitFor();
  });
});
