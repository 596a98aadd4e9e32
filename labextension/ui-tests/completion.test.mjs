// Completion offers --restart and its values; hovering a flag shows its help.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cellSources, createNotebook, openNotebook, withPage } from './helpers.mjs';

async function completerItems(page) {
  const completer = page.locator('.jp-Completer');
  await completer.waitFor({ state: 'visible' });
  return completer.locator('.jp-Completer-item .jp-Completer-match').allInnerTexts();
}

test('completion offers --restart and its values, and hover shows the help', async () => {
  await createNotebook('ui-completion.ipynb', ['']);
  await withPage('completion', async page => {
    await openNotebook(page, 'ui-completion.ipynb');
    const editor = page.locator('.jp-NotebookPanel .jp-Cell').first().locator('.cm-content');
    await editor.click();
    await page.keyboard.type('%%docker_run --rest');
    await page.keyboard.press('Tab');
    // A single match is inserted at once; several show the list.
    await page.waitForFunction(
      () => !!document.querySelector('.jp-Completer:not(.lm-mod-hidden)') ||
        window.jupyterapp.shell.currentWidget.content.widgets[0].model.sharedModel.getSource().includes('--restart'),
      null
    );
    if (await page.locator('.jp-Completer').isVisible()) {
      const items = await completerItems(page);
      assert.ok(items.includes('--restart'), `items: ${items}`);
      await page.locator('.jp-Completer-item', { hasText: '--restart' }).first().click();
    }
    assert.equal((await cellSources(page))[0], '%%docker_run --restart');

    await page.keyboard.type(' ');
    await page.keyboard.press('Tab');
    const values = await completerItems(page);
    for (const policy of ['no', 'always', 'on-failure', 'unless-stopped']) {
      assert.ok(values.includes(policy), `${policy} in ${values}`);
    }
    await page.locator('.jp-Completer-item', { hasText: 'unless-stopped' }).first().click();
    assert.equal((await cellSources(page))[0], '%%docker_run --restart unless-stopped');

    // Hover help from the flag table.
    await page.keyboard.press('Escape');
    await editor.locator('.rm-dr-flag', { hasText: '--restart' }).hover();
    const tooltip = page.locator('.rm-flag-tooltip');
    await tooltip.waitFor({ state: 'visible' });
    const text = await tooltip.innerText();
    assert.match(text, /--restart string/);
    assert.match(text, /Restart policy/);
  });
});
