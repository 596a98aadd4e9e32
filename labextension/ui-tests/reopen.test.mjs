// A notebook reopened after a kernel restart: each container's output shows its saved summary
// with the real host port (never "Error displaying widget: model not found", never
// "127.0.0.1:random"), and a container that still runs comes back to life (state, link
// through the proxy, actions) without re-running the cell; after Stop and Remove the port stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  createNotebook,
  labelsCell,
  openNotebook,
  runAll,
  screenshot,
  setTheme,
  waitForKernelIdle,
  withPage
} from './helpers.mjs';

const PAGE = 'hello-from-a-revived-panel';
// --init: httpd as PID 1 ignores SIGTERM, so Stop would wait out the 10 s stop timeout.
const HTTPD = `web = %docker_run -d --init -p 127.0.0.1::80 busybox sh -c 'mkdir /www && echo ${PAGE} > /www/index.html && exec httpd -f -p 80 -h /www'`;

async function notebookText(page) {
  return page.locator('.jp-NotebookPanel .jp-Notebook').innerText();
}

test('a reopened notebook: saved summary with the real port, revived panel, no widget error', async () => {
  await createNotebook('ui-reopen.ipynb', [labelsCell(), HTTPD]);
  await withPage('reopen', async page => {
    await openNotebook(page, 'ui-reopen.ipynb');
    await runAll(page);
    const output = page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.rm-container-output');
    // While the kernel lives: the ipywidget, alone.
    await output.locator('.runmagic-panel a.runmagic-port-link').waitFor({ timeout: 60_000 });
    assert.equal(await output.getAttribute('data-mode'), 'widget');
    assert.equal(await output.locator('.rm-container-static').isVisible(), false);
    const address = (await output.locator('a.runmagic-port-link').innerText()).trim();
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    const port = address.split(':')[1];
    await setTheme(page, 'JupyterLab Light');
    await screenshot(page, 'panel-live-light', output);
    await setTheme(page, 'JupyterLab Dark');
    await screenshot(page, 'panel-live-dark', output);
    await setTheme(page, 'JupyterLab Light');

    // The saved form was updated at the cell's end: the port the engine picked.
    const saved = await page.evaluate(() => {
      const cell = window.jupyterapp.shell.currentWidget.content.widgets[1];
      const data = cell.model.outputs.get(0).data;
      return { html: data['text/html'], text: data['text/plain'], ids: data['application/vnd.runmagic.container'] };
    });
    assert.ok(saved.text.includes(`127.0.0.1:${port}`), saved.text);
    assert.ok(!saved.text.includes('random'), saved.text);
    assert.deepEqual(JSON.parse(saved.ids).ports, [{ port: '80/tcp', host: `127.0.0.1:${port}` }]);

    await page.evaluate(() => window.jupyterapp.commands.execute('docmanager:save'));
    await page.waitForFunction(() => !window.jupyterapp.shell.currentWidget.context.model.dirty);
    await page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart());
    await waitForKernelIdle(page);

    await page.reload();
    await openNotebook(page, 'ui-reopen.ipynb');
    const revived = page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.rm-container-output');
    await page.locator('.rm-container-output[data-mode="revived"]').waitFor({ timeout: 30_000 });
    let text = await notebookText(page);
    assert.ok(!/model not found|Error displaying widget/.test(text), text);
    assert.ok(!text.includes('random'), text);
    assert.equal(await revived.getAttribute('data-state'), 'running');
    await revived.locator('.runmagic-badge[data-status="running"]').waitFor();
    const link = revived.locator('a.runmagic-port-link');
    assert.equal((await link.innerText()).trim(), `127.0.0.1:${port}`);
    // The same rule as every other link: through jupyter-server-proxy (installed here).
    const href = await link.getAttribute('href');
    assert.match(href, new RegExp(`/proxy/${port}/$`));
    const body = await page.evaluate(async url => (await fetch(url)).text(), href);
    assert.equal(body.trim(), PAGE);
    await screenshot(page, 'panel-revived-light', revived);
    await setTheme(page, 'JupyterLab Dark');
    await screenshot(page, 'panel-revived-dark', revived);
    await setTheme(page, 'JupyterLab Light');

    // Actions through the server: Stop keeps the port readable (the engine forgot it).
    await revived.locator('button[data-action="stop"]').click();
    await page.locator('.rm-container-output[data-state="exited"]').waitFor({ timeout: 30_000 });
    text = await revived.innerText();
    assert.ok(text.includes(`127.0.0.1:${port}`) && !text.includes('random'), text);
    assert.equal(await revived.locator('a.runmagic-port-link').count(), 0);

    await revived.locator('button[data-action="remove"]').click();
    await page.locator('.jp-Dialog button.jp-mod-warn').click();
    await page.locator('.rm-container-output[data-mode="saved"]').waitFor({ timeout: 30_000 });
    text = await revived.innerText();
    assert.ok(text.includes(`127.0.0.1:${port}`) && !text.includes('random'), text);
    assert.ok(!/model not found|Error displaying widget/.test(await notebookText(page)));
    await screenshot(page, 'panel-saved-light', revived);
    await setTheme(page, 'JupyterLab Dark');
    await screenshot(page, 'panel-saved-dark', revived);
    await setTheme(page, 'JupyterLab Light');
  });
});
