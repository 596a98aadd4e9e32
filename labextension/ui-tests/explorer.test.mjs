// The image explorer: `%docker_image inspect IMAGE` rendered by runmagic's renderer (layers
// expandable to their files, the merged tree, the wasted space, the buttons), and the Images
// view (filter, explore tab, a refused remove of an image in use). The image and a container
// using it are made by tests/test_labextension.py (RUNMAGIC_EXPLORER_IMAGE) and removed after.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  cellSources,
  createNotebook,
  labelsCell,
  openNotebook,
  runAll,
  screenshot,
  setTheme,
  withPage
} from './helpers.mjs';

const IMAGE = JSON.parse(process.env.RUNMAGIC_EXPLORER_IMAGE || 'null');
const escape = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('the explorer in a notebook and in the Images view', async () => {
  assert.ok(IMAGE, 'RUNMAGIC_EXPLORER_IMAGE names the test image (tests/test_labextension.py)');
  const { ref, id, container } = IMAGE;
  const repo = ref.split(':')[0];
  await createNotebook('ui-explorer.ipynb', [labelsCell(), `%docker_image inspect ${ref}`]);
  // "Copy a file out" never overwrites: clear what an earlier run copied.
  await api('api/contents/new', { method: 'DELETE' }).catch(() => undefined);

  await withPage('explorer', async page => {
    await openNotebook(page, 'ui-explorer.ipynb');
    await runAll(page);
    const explorer = page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.rm-image-explorer');
    await explorer.waitFor({ timeout: 60_000 });
    assert.equal(await explorer.getAttribute('data-image-id'), id);
    assert.match(await explorer.locator('.rm-ex-ref').innerText(), new RegExp(escape(ref)));

    // Config: the exposed ports, the volume, the secret masked.
    const config = await explorer.locator('.rm-ex-config').innerText();
    assert.match(config, /Exposed ports\s+53\/udp, 8080\/tcp/);
    assert.match(config, /Volumes\s+\/data/);
    assert.match(config, /API_TOKEN=••••••/);
    assert.doesNotMatch(config, /hunter2/);

    // The last layer, expanded: /app/new among the files it added, /app/keep removed.
    const layers = explorer.locator('.rm-ex-layer');
    const last = layers.nth((await layers.count()) - 1);
    assert.match(await last.locator('.rm-ex-command').innerText(), /head -c 5000/);
    await last.locator('summary').click();
    await last.locator('[data-kind="added"] li[data-path="/app/new"]').waitFor();
    await last.locator('[data-kind="removed"] li[data-path="/app/keep"]').waitFor();
    assert.match(await last.locator('[data-kind="modified"]').innerText(), /\/app\/big/);

    // The merged tree: /app/new put there by that layer.
    await explorer.locator('.rm-ex-dir > summary', { has: page.locator('[data-path="/app"]') }).click();
    const file = explorer.locator('.rm-ex-row[data-path="/app/new"]');
    await file.waitFor();
    const lastIndex = await last.getAttribute('data-layer');
    assert.equal(await file.locator('.rm-ex-index').innerText(), `L${lastIndex}`);
    assert.match(await file.locator('.rm-ex-size').innerText(), /^6B$/);

    // Wasted space: /app/big written twice (3000 + 5000 bytes) and /app/keep removed.
    const figure = explorer.locator('.rm-ex-waste-figure');
    assert.ok(Number(await figure.getAttribute('data-wasted-bytes')) >= 8000);
    assert.match(await figure.innerText(), /wasted \d+(\.\d+)?kB \(\d+ files?\), efficiency \d+\.\d\d %/);
    await explorer.locator('.rm-ex-waste-files tr[data-path="/app/big"]').waitFor();

    // Copy a file out: the selected file lands beside the notebook.
    assert.equal(await explorer.locator('button[data-action="copy"]').isDisabled(), true);
    await file.click();
    await explorer.locator('button[data-action="copy"]').click();
    await page.waitForFunction(
      () => document.querySelector('.rm-image-explorer .rm-ex-message')?.dataset.copied === 'new'
    );
    assert.match(await explorer.locator('.rm-ex-message').innerText(), /Copied \/app\/new to new \(6B\)/);
    assert.equal((await api('api/contents/new?content=1')).content, 'added\n');

    for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
      await setTheme(page, theme);
      await screenshot(page, `explorer-output-${theme.endsWith('Dark') ? 'dark' : 'light'}`, explorer);
    }
    await setTheme(page, 'JupyterLab Light');

    // Insert a run cell: below the explorer's cell, ports on 127.0.0.1, the volume named.
    await explorer.locator('button[data-action="run"]').click();
    await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.content.widgets.length === 3);
    const runLine = new RegExp(
      `^%docker_run --rm -p 127\\.0\\.0\\.1::53/udp -p 127\\.0\\.0\\.1::8080 -v [\\w.-]+:/data ${escape(ref)}$`
    );
    assert.match((await cellSources(page))[2], runLine);
    await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.content.mode === 'edit');

    // Run a shell here: the same way, below the explorer's cell.
    await explorer.locator('button[data-action="shell"]').click();
    await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.content.widgets.length === 4);
    assert.equal((await cellSources(page))[2], `%docker_run -it --rm ${ref} sh`);

    // The Images view: the filter, the containers using an image, the explore tab.
    await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="runmagic-images"]').click();
    const panel = page.locator('#runmagic-images');
    await panel.locator('.rm-image-item[data-ref="busybox:latest"]').waitFor();
    await panel.locator('.rm-image-filter').fill(repo);
    await page.waitForFunction(
      () => document.querySelectorAll('#runmagic-images .rm-image-item').length === 1,
      null,
      { timeout: 15_000 }
    );
    const item = panel.locator(`.rm-image-item[data-ref="${ref}"]`);
    assert.match(await item.locator('.rm-image-users').innerText(), new RegExp(`used by ${container}`));
    await panel.locator('.rm-image-filter').fill('no-such-image-anywhere');
    await panel.locator('.rm-empty', { hasText: 'No image matches' }).waitFor();
    await panel.locator('.rm-image-filter').fill(repo);
    await item.waitFor();

    await item.locator('button[data-action="explore"]').click();
    const view = page.locator('.rm-explorer-view .rm-image-explorer');
    await view.waitFor({ timeout: 60_000 });
    assert.equal(await view.getAttribute('data-image-id'), id);
    assert.match(await view.locator('.rm-ex-waste-figure').innerText(), /wasted/);
    for (const theme of ['JupyterLab Light', 'JupyterLab Dark']) {
      await setTheme(page, theme);
      const name = theme.endsWith('Dark') ? 'dark' : 'light';
      await screenshot(page, `explorer-tab-${name}`);
    }
    await setTheme(page, 'JupyterLab Light');

    // Remove, confirmed: refused while a container uses the image, with docker's words.
    await item.locator('button[data-action="remove"]').click();
    await page.locator('.jp-Dialog .jp-mod-accept').click();
    const message = panel.locator('.rm-image-message.rm-error');
    await message.waitFor();
    assert.match(await message.innerText(), /^Remove failed: conflict: unable to (remove|delete) .*must (be )?force/);
    await item.waitFor();
    assert.equal((await api(`runmagic/images?name=${encodeURIComponent(repo)}`)).images.length, 1);
  });
});
