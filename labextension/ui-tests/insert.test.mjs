// "Insert run cell" in the Images view adds a %%docker_run --rm IMAGE cell below the active cell.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cellSources, createNotebook, openNotebook, withPage } from './helpers.mjs';

test('Insert run cell inserts a %%docker_run cell below the active cell', async () => {
  await createNotebook('ui-insert.ipynb', ['print("first")', 'print("last")']);
  await withPage('insert', async page => {
    await openNotebook(page, 'ui-insert.ipynb');
    // Make the first cell the active one.
    await page.locator('.jp-NotebookPanel .jp-Cell').first().locator('.jp-InputPrompt').click();

    await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="runmagic-images"]').click();
    const panel = page.locator('#runmagic-images');
    const item = panel.locator('.rm-image-item[data-ref="busybox:latest"]');
    await item.waitFor({ timeout: 30_000 });
    assert.match(await item.locator('.rm-sub').innerText(), /\d+(\.\d+)?[kMG]?B · created .* ago/);
    await item.locator('button[data-action="insert"]').click();

    await page.waitForFunction(() => window.jupyterapp.shell.currentWidget?.content?.widgets?.length === 3);
    const sources = await cellSources(page);
    assert.equal(sources[0], 'print("first")');
    assert.match(sources[1], /^%%docker_run --rm busybox:latest\n\S/);
    assert.equal(sources[2], 'print("last")');
    // The new cell is active and highlighted as a docker_run cell.
    const inserted = page.locator('.jp-NotebookPanel .jp-Cell').nth(1);
    assert.match(await inserted.getAttribute('class'), /jp-mod-active/);
    await inserted.locator('.rm-dr-image', { hasText: 'busybox:latest' }).waitFor();

    // Edit mode, the cursor in the new cell with the placeholder selected: typing is the
    // container's input, not notebook commands (in command mode "a" would insert a cell).
    await page.waitForFunction(() => window.jupyterapp.shell.currentWidget.content.mode === 'edit', null, { timeout: 5000 });
    await page.waitForTimeout(300); // and stays there
    await page.keyboard.type('echo hello');
    assert.equal((await cellSources(page))[1], '%%docker_run --rm busybox:latest\necho hello');
    assert.equal(await page.evaluate(() => window.jupyterapp.shell.currentWidget.content.mode), 'edit');
    assert.equal((await cellSources(page)).length, 3);
  });
});
