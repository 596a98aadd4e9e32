// Settings (schema/panels.json): served with the extension; the default filter applies.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, LAB_URL, TOKEN, withPage } from './helpers.mjs';

const ID = 'runmagic:panels';

test('the panels settings are served and the default filter applies', async () => {
  const settings = await api(`lab/api/settings/${ID}`);
  assert.deepEqual(Object.keys(settings.schema.properties).sort(), ['defaultFilter', 'refreshInterval']);
  assert.equal(settings.schema.properties.defaultFilter.default, 'notebook');
  await api(`lab/api/settings/${ID}`, {
    method: 'PUT',
    body: JSON.stringify({ raw: JSON.stringify({ defaultFilter: 'all', refreshInterval: 1 }) })
  });
  try {
    await withPage('settings', async page => {
      await page.goto(`${LAB_URL}lab?reset&token=${TOKEN}`);
      await page.waitForFunction(() => !!window.jupyterapp, null, { timeout: 60_000 });
      await page.locator('.jp-SideBar .lm-TabBar-tab[data-id="runmagic-containers"]').click();
      const select = page.locator('#runmagic-containers select.rm-filter');
      await page.waitForFunction(() => document.querySelector('#runmagic-containers select.rm-filter')?.value === 'all');
      assert.equal(await select.inputValue(), 'all');
      // The user's own choice stays until the setting itself changes.
      await select.selectOption('notebook');
      await page.waitForTimeout(1500); // a refresh or two at 1 s
      assert.equal(await select.inputValue(), 'notebook');
    });
  } finally {
    await api(`lab/api/settings/${ID}`, { method: 'PUT', body: JSON.stringify({ raw: '{}' }) });
  }
});
