// The Containers side panel while no Docker engine answers the server (run by
// tests/test_labextension.py against a JupyterLab whose DOCKER_HOST names a socket nobody
// listens on): one line naming the address, "retrying", no Python exception; it stays one
// line over several refreshes. RUNMAGIC_ENGINE_ADDRESS: the address the server was given.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LAB_URL, screenshot, TOKEN, withPage } from './helpers.mjs';

const ADDRESS = process.env.RUNMAGIC_ENGINE_ADDRESS;

test('the side panel during an engine outage: one line, retrying', async () => {
  await withPage('outage', async page => {
    await page.goto(`${LAB_URL}lab?reset&token=${TOKEN}`);
    await page.waitForFunction(() => !!window.jupyterapp, null, { timeout: 60_000 });
    await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="runmagic-containers"]').click();
    const status = page.locator('#runmagic-containers .rm-status');
    await page.waitForFunction(() => !!document.querySelector('#runmagic-containers .rm-status')?.textContent);
    const expected = `no Docker engine answers at ${ADDRESS}; retrying`;
    assert.equal((await status.innerText()).trim(), expected);
    await page.waitForTimeout(7000); // two more refreshes at the default 3 s
    assert.equal((await status.innerText()).trim(), expected);
    assert.equal(await status.evaluate(el => el.getClientRects().length), 1);
    await screenshot(page, 'side-panel-outage', page.locator('#runmagic-containers'));
  });
});
