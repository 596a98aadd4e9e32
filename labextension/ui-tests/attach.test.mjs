// A detached TTY container: its panel says "detached" and its Attach button inserts a
// %docker_attach cell; the Containers panel names the engine and its "Open terminal" inserts a
// %docker_exec -it NAME sh cell that opens a live terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, cellSources, createNotebook, labelsCell, openNotebook, screenshot, waitForKernelIdle, withPage } from './helpers.mjs';
import { runCell, typeInto, waitForText } from './terminals.mjs';

test('a detached TTY container offers Attach in its panel and Open terminal in the side panel', async () => {
  const name = `rm-open-term-${process.pid}-${Date.now()}`;
  await createNotebook('ui-attach.ipynb', [labelsCell(), `shell = %docker_run -itd --network none --name ${name} busybox sh`]);
  await withPage('attach', async page => {
    await openNotebook(page, 'ui-attach.ipynb');
    await runCell(page, 0);
    await waitForKernelIdle(page);
    await runCell(page, 1);
    await waitForKernelIdle(page);
    let id = '';
    try {
      // Started with -itd: nobody is attached to its TTY.
      const panel = page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.runmagic-panel');
      await panel.locator('.runmagic-terminal[data-terminal="detached"]').waitFor({ timeout: 30_000 });
      await panel.locator('button.runmagic-attach').click();
      await page.waitForFunction(n => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        return notebook.widgets.length === 3 && notebook.activeCellIndex === 2 && notebook.mode === 'edit';
      }, name);
      assert.equal((await cellSources(page))[2], `%docker_attach ${name}`);
      await screenshot(page, 'panel-detached', panel);

      // The Containers side panel: the engine in its header, Open terminal on the container.
      await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="runmagic-containers"]').click();
      const side = page.locator('#runmagic-containers');
      const item = side.locator(`.rm-container[data-name="${name}"]`);
      await item.waitFor({ timeout: 30_000 });
      id = await item.getAttribute('data-id');
      const { engine } = await api('runmagic/containers');
      assert.equal((await side.locator('.rm-engine').innerText()).trim(), `engine: ${engine.description}`);
      await item.locator('button[data-action="terminal"]').click();
      await page.waitForFunction(() => {
        const notebook = window.jupyterapp.shell.currentWidget.content;
        return notebook.widgets.length === 4 && notebook.activeCellIndex === 3 && notebook.mode === 'edit';
      });
      assert.equal((await cellSources(page))[3], `%docker_exec -it ${name} sh`);

      // Run as inserted: a live terminal on a shell in the container.
      await page.keyboard.press('Shift+Enter');
      const exec = page.locator('.jp-NotebookPanel .jp-Cell').nth(3).locator('.rm-terminal-output[data-state="live"]');
      await waitForText(page, exec, /\/ # $/m, 30_000);
      await typeInto(page, exec, 'echo $((6*7))\n');
      await waitForText(page, exec, /^42$/m);
      await typeInto(page, exec, 'exit\n');
      await waitForKernelIdle(page);
      await page.locator('.jp-NotebookPanel .jp-Cell').nth(3).locator('.rm-terminal-output[data-state="exited"]').waitFor();
    } finally {
      if (id) {
        await api(`runmagic/containers/${id}?force=1`, { method: 'DELETE' }).catch(() => undefined);
      }
    }
  });
});
