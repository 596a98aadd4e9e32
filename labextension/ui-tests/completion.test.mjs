// Completion on magic lines: runmagic's entries only (no words of the notebook, no Python
// names), each on its own row with a short type tag that does not wrap or overlap; flags and
// values of %%docker_run cells and of %docker_run lines in Python cells; a companion magic's
// own flags and a group's subcommands; hover help.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { cellSources, createNotebook, openNotebook, screenshot, setTheme, withPage } from './helpers.mjs';

// Words a context provider would offer: they must not show after a magic line.
const WORDY = 'restart_count = 1\nrestart_policy = "restart"\ndocker_run_notes = "-"';

async function completer(page) {
  const widget = page.locator('.jp-Completer');
  await widget.waitFor({ state: 'visible' });
  await page.waitForTimeout(300); // every provider answered (or timed out)
  return widget;
}

/** Each row: its label, type tag and boxes; the tag's text fits on one line. */
async function rows(page) {
  return page.locator('.jp-Completer .jp-Completer-item').evaluateAll(items =>
    items.map(li => {
      const box = el => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
      };
      const match = li.querySelector('.jp-Completer-match');
      const tag = li.querySelector('.jp-Completer-typeExtended');
      return {
        label: match.textContent,
        type: tag ? tag.textContent : '',
        row: box(li),
        match: box(match),
        tag: tag ? box(tag) : null,
        tagWraps: tag ? tag.scrollHeight > tag.clientHeight + 1 || tag.getClientRects().length > 1 : false
      };
    })
  );
}

/**
 * Press Tab in cell `cell` and take `label`: a single match is inserted at once, several show
 * the list (then `label` is clicked). Returns the labels the list showed ([] when none).
 */
async function tabTo(page, cell, label) {
  await page.keyboard.press('Tab');
  await page.waitForFunction(
    ([index, wanted]) =>
      !!document.querySelector('.jp-Completer:not(.lm-mod-hidden)') ||
      window.jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel.getSource().includes(wanted),
    [cell, label]
  );
  if (!(await page.locator('.jp-Completer').isVisible())) {
    return [];
  }
  const labels = (await rows(page)).map(r => r.label);
  await page.locator('.jp-Completer-item', { hasText: label }).first().click();
  return labels;
}

function assertGeometry(list) {
  assert.ok(list.length > 0);
  for (const [i, r] of list.entries()) {
    assert.ok(!r.tagWraps, `type tag of ${r.label} wraps`);
    assert.ok(r.match.right <= r.tag.left + 0.5, `${r.label}: label and tag overlap`);
    assert.ok(r.tag.bottom <= r.row.bottom + 0.5 && r.tag.top >= r.row.top - 0.5, `${r.label}: tag outside its row`);
    if (i > 0) {
      assert.ok(list[i - 1].row.bottom <= r.row.top + 0.5, `rows ${i - 1} and ${i} overlap`);
    }
  }
}

test('completion: only runmagic entries after a magic line, aligned, in cell and line magics', async () => {
  await createNotebook('ui-completion.ipynb', ['', WORDY, '']);
  await withPage('completion', async page => {
    await openNotebook(page, 'ui-completion.ipynb');
    const editor = page.locator('.jp-NotebookPanel .jp-Cell').first().locator('.cm-content');
    await editor.click();
    await page.keyboard.type('%%docker_run --rest');
    const offered = await tabTo(page, 0, '--restart');
    assert.ok(offered.every(label => label.startsWith('--rest')), `items: ${offered}`);
    assert.equal((await cellSources(page))[0], '%%docker_run --restart');

    await page.keyboard.type(' ');
    await page.keyboard.press('Tab');
    const widget = await completer(page);
    const values = await rows(page);
    // The flag table's values (on-failure: takes a retry count), no word suggestions.
    assert.deepEqual(
      values.map(r => r.label).sort(),
      ['always', 'no', 'on-failure', 'on-failure:', 'unless-stopped'],
      'the values only: no word suggestions'
    );
    assert.ok(values.every(r => r.type === 'value'), values.map(r => r.type).join());
    assertGeometry(values);
    await screenshot(page, 'completer-values-light', widget);
    await setTheme(page, 'JupyterLab Dark');
    await screenshot(page, 'completer-values-dark', widget);
    await setTheme(page, 'JupyterLab Light');
    await page.locator('.jp-Completer-item', { hasText: 'unless-stopped' }).first().click();
    assert.equal((await cellSources(page))[0], '%%docker_run --restart unless-stopped');

    // All flags after a blank: flags only, each tagged "flag", rows apart.
    await page.keyboard.type(' -');
    await page.keyboard.press('Tab');
    const flagsWidget = await completer(page);
    const flags = await rows(page);
    assert.ok(flags.length > 20, `${flags.length} flags`);
    assert.ok(flags.every(r => r.label.startsWith('-') && r.type === 'flag'), flags.map(r => r.label).join(' '));
    assertGeometry(flags);
    await screenshot(page, 'completer-flags-light', flagsWidget);
    await setTheme(page, 'JupyterLab Dark');
    await screenshot(page, 'completer-flags-dark', flagsWidget);
    await setTheme(page, 'JupyterLab Light');
    await page.keyboard.press('Escape');

    // Hover help from the flag table.
    await editor.locator('.rm-dr-flag', { hasText: '--restart' }).hover();
    const tooltip = page.locator('.rm-flag-tooltip');
    await tooltip.waitFor({ state: 'visible' });
    const text = await tooltip.innerText();
    assert.match(text, /--restart string/);
    assert.match(text, /Restart policy/);

    // A %docker_run line in a Python cell: the same values, nothing else.
    const python = page.locator('.jp-NotebookPanel .jp-Cell').nth(2).locator('.cm-content');
    await python.click();
    await page.keyboard.type('x = 1\nweb = %docker_run -d --restart ');
    await page.keyboard.press('Tab');
    await completer(page);
    const lineValues = (await rows(page)).map(r => r.label).sort();
    assert.deepEqual(lineValues, ['always', 'no', 'on-failure', 'on-failure:', 'unless-stopped']);
    await page.keyboard.press('Escape');
    // Python lines of the same cell keep the kernel's and the editor's word completions.
    await page.keyboard.type('\nrestart_total = 2\nrestart_t');
    await page.keyboard.press('Tab');
    await page.waitForFunction(
      () =>
        !!document.querySelector('.jp-Completer:not(.lm-mod-hidden)') ||
        /restart_total\s*$/.test(window.jupyterapp.shell.currentWidget.content.widgets[2].model.sharedModel.getSource()),
      null
    );
  });
});

test('companion magics: their own flags and subcommands complete, with hover help', async () => {
  await createNotebook('ui-companion.ipynb', ['', WORDY]);
  await withPage('companion', async page => {
    await openNotebook(page, 'ui-companion.ipynb');
    const editor = page.locator('.jp-NotebookPanel .jp-Cell').first().locator('.cm-content');
    await editor.click();
    await page.keyboard.type('%docker_ps --fo');
    // `docker ps` has one flag starting so (run's are not offered).
    const offered = await tabTo(page, 0, '--format');
    assert.ok(offered.every(label => label === '--format'), `items: ${offered}`);
    assert.equal((await cellSources(page))[0], '%docker_ps --format');

    // A group's magic: its subcommands, then the subcommand's flags.
    await page.keyboard.type(' json\nvols = %docker_volume ');
    await page.keyboard.press('Tab');
    await completer(page);
    const subcommands = await rows(page);
    assert.deepEqual(subcommands.map(r => r.label), ['create', 'inspect', 'ls', 'prune', 'rm']);
    assert.ok(subcommands.every(r => r.type === 'command'), subcommands.map(r => r.type).join());
    assertGeometry(subcommands);
    await page.locator('.jp-Completer-item', { hasText: 'ls' }).first().click();
    await page.keyboard.type(' --quiet --restart');
    assert.equal((await cellSources(page))[0], '%docker_ps --format json\nvols = %docker_volume ls --quiet --restart');

    // Highlighted by the command's table: docker volume ls has no --restart.
    await editor.locator('.rm-dr-unknown-flag', { hasText: '--restart' }).waitFor();
    assert.deepEqual(await editor.locator('.rm-dr-subcommand').allInnerTexts(), ['ls']);
    assert.deepEqual(await editor.locator('.rm-dr-value').allInnerTexts(), ['json']);

    // Hover help from the companion's table (run's --quiet is about pull progress).
    const tooltip = page.locator('.rm-flag-tooltip');
    await editor.locator('.rm-dr-flag', { hasText: '--quiet' }).hover();
    await tooltip.waitFor({ state: 'visible' });
    assert.match(await tooltip.innerText(), /-q, --quiet\nShow only volume names/);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'hidden' });
    await editor.locator('.rm-dr-subcommand', { hasText: 'ls' }).hover();
    await tooltip.waitFor({ state: 'visible' });
    assert.match(await tooltip.innerText(), /%docker_volume ls \[OPTIONS\][\s\S]*List volumes/);
  });
});
