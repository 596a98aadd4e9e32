// Highlighting: present on a %%docker_run cell (flags, values, image told apart; body as
// shell), absent on a plain Python cell; decided from the text as it is typed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createNotebook, openNotebook, withPage } from './helpers.mjs';

const DOCKER_CELL = '%%docker_run --rm -e A=b --restart on-failure busybox sh\necho "hi $USER" | cat  # a note';
const PYTHON_CELL = 'x = 1  # --rm busybox\nprint("%%docker_run --rm busybox")';
const LINE_MAGIC_CELL = 'import os\nweb = %docker_run -d --restart always busybox sleep 300\n%docker_logs --tail 5 web\nprint(web)';

const texts = locator => locator.allInnerTexts();

test('a %%docker_run cell is highlighted and a plain Python cell is not', async () => {
  await createNotebook('ui-highlight.ipynb', [DOCKER_CELL, PYTHON_CELL, LINE_MAGIC_CELL]);
  await withPage('highlight', async page => {
    await openNotebook(page, 'ui-highlight.ipynb');
    const cells = page.locator('.jp-NotebookPanel .jp-Cell');
    const docker = cells.nth(0).locator('.cm-content');
    const python = cells.nth(1).locator('.cm-content');
    await docker.locator('.rm-dr-image').waitFor();

    assert.deepEqual(await texts(docker.locator('.rm-dr-magic')), ['%%docker_run']);
    assert.deepEqual(await texts(docker.locator('.rm-dr-flag')), ['--rm', '-e', '--restart']);
    assert.deepEqual(await texts(docker.locator('.rm-dr-value')), ['A=b', 'on-failure']);
    assert.deepEqual(await texts(docker.locator('.rm-dr-image')), ['busybox']);
    assert.deepEqual(await texts(docker.locator('.rm-dr-command')), ['sh']);
    assert.deepEqual(await texts(docker.locator('.rm-sh-builtin')), ['echo']);
    assert.deepEqual(await texts(docker.locator('.rm-sh-variable')), ['$USER']);
    assert.deepEqual(await texts(docker.locator('.rm-sh-comment')), ['# a note']);
    assert.deepEqual(await texts(docker.locator('.rm-sh-operator')), ['|']);

    // Flags, values and the image look different from each other.
    const color = l => l.first().evaluate(el => getComputedStyle(el).color);
    const [flag, value, image] = [
      await color(docker.locator('.rm-dr-flag')),
      await color(docker.locator('.rm-dr-value')),
      await color(docker.locator('.rm-dr-image'))
    ];
    assert.equal(new Set([flag, value, image]).size, 3, `flag ${flag}, value ${value}, image ${image}`);

    // The Python cell: none of ours, and its own (Python) highlighting is still there.
    assert.equal(await python.locator('[class*="rm-"]').count(), 0);
    assert.equal(await cells.nth(1).locator('.cm-editor.rm-docker-run-cell').count(), 0);
    assert.ok((await python.locator('span').count()) > 0, 'the Python cell keeps its highlighting');
    const commentColor = await python.locator('span', { hasText: '# --rm busybox' }).first()
      .evaluate(el => getComputedStyle(el).color);
    assert.notEqual(commentColor, flag);

    // Decided from the text as typed: make the Python cell a %%docker_run cell, then undo.
    await python.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('%%docker_run --rm busybox\n');
    await python.locator('.rm-dr-image').waitFor();
    assert.deepEqual(await texts(python.locator('.rm-dr-image')), ['busybox']);
    for (let i = 0; i < 30 && (await python.locator('.rm-dr-image').count()) > 0; i++) {
      await page.keyboard.press('Control+z');
    }
    assert.equal(await python.locator('[class*="rm-"]').count(), 0);
    assert.equal(await docker.locator('.rm-dr-image').count(), 1);
  });
});

test('line magics in a Python cell: highlighted, with hover help; the Python around them untouched', async () => {
  await createNotebook('ui-line-magics.ipynb', [LINE_MAGIC_CELL]);
  await withPage('line-magics', async page => {
    await openNotebook(page, 'ui-line-magics.ipynb');
    const cell = page.locator('.jp-NotebookPanel .jp-Cell').first();
    const editor = cell.locator('.cm-content');
    await editor.locator('.rm-dr-image').waitFor();
    assert.deepEqual(await texts(editor.locator('.rm-dr-magic')), ['%docker_run', '%docker_logs']);
    assert.deepEqual(await texts(editor.locator('.rm-dr-flag')), ['-d', '--restart', '--tail']);
    // --tail's value too: each magic's line is read with its own command's flag table.
    assert.deepEqual(await texts(editor.locator('.rm-dr-value')), ['always', '5']);
    assert.deepEqual(await texts(editor.locator('.rm-dr-image')), ['busybox']);
    assert.deepEqual(await texts(editor.locator('.rm-dr-command')), ['sleep']);
    // Only the magic lines are ours; Python keeps its own highlighting.
    assert.equal(await editor.locator('.cm-line.rm-dr-line').count(), 2);
    assert.equal(await cell.locator('.cm-editor.rm-docker-run-cell').count(), 0);
    const color = l => l.first().evaluate(el => getComputedStyle(el).color);
    const [magic, flag, value, image] = [
      await color(editor.locator('.rm-dr-magic')),
      await color(editor.locator('.rm-dr-flag')),
      await color(editor.locator('.rm-dr-value')),
      await color(editor.locator('.rm-dr-image'))
    ];
    assert.equal(new Set([magic, flag, value, image]).size, 4, `${magic} ${flag} ${value} ${image}`);
    const printColor = await editor.locator('span', { hasText: /^print$/ }).first().evaluate(el => getComputedStyle(el).color);
    assert.notEqual(printColor, flag);

    const tooltip = page.locator('.rm-flag-tooltip');
    await editor.locator('.rm-dr-flag', { hasText: '--restart' }).hover();
    await tooltip.waitFor({ state: 'visible' });
    assert.match(await tooltip.innerText(), /--restart string[\s\S]*Restart policy/);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'hidden' });
    await editor.locator('.rm-dr-magic', { hasText: '%docker_logs' }).hover();
    await tooltip.waitFor({ state: 'visible' });
    assert.match(await tooltip.innerText(), /%docker_logs \[OPTIONS\] CONTAINER[\s\S]*Fetch the logs of a container/);
  });
});
