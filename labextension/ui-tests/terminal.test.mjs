// Live terminals in cell outputs: %docker_run -it, detach keys, %docker_attach, %docker_exec -it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, createNotebook, labelsCell, openNotebook, screenshot, waitForKernelIdle, withPage } from './helpers.mjs';
import { kernelStatus, runCell, terminalText, typeInto, waitForText } from './terminals.mjs';

async function containerNames() {
  const { containers } = await api('runmagic/containers?filter=all');
  return containers.map(c => c.name);
}

test('%docker_run -it --rm busybox sh: type, resize, vi, exit', async () => {
  const name = `rm-term-${process.pid}-${Date.now()}`;
  await createNotebook('ui-terminal.ipynb', [labelsCell(), `%docker_run -it --rm --network none --name ${name} busybox sh`]);
  await withPage('terminal', async page => {
    await openNotebook(page, 'ui-terminal.ipynb');
    await runCell(page, 0);
    await waitForKernelIdle(page);
    await runCell(page, 1);
    const output = page.locator('.rm-terminal-output[data-state="live"]').first();
    await output.locator('.xterm').waitFor();
    await waitForText(page, output, /\/ # $/m);
    assert.equal(await kernelStatus(page), 'busy'); // the cell runs while the shell does

    await typeInto(page, output, 'echo $((6*7))\n');
    await waitForText(page, output, /^42$/m);

    // Notebook shortcuts stay quiet while the terminal has focus: "b" did not add a cell.
    await typeInto(page, output, 'echo abc\n');
    await waitForText(page, output, /^abc$/m);
    assert.equal(await page.locator('.jp-NotebookPanel .jp-Cell').count(), 2);

    await typeInto(page, output, 'stty size\n');
    const before = (await waitForText(page, output, /^(\d+) (\d+)$/m)).slice(1).map(Number);
    await page.setViewportSize({ width: 900, height: 900 });
    await page.waitForTimeout(500);
    await typeInto(page, output, 'clear; stty size\n');
    await waitForText(page, output, new RegExp(`^(\\d+) (?!${before[1]}$)(\\d+)$`, 'm'));
    const after = (await waitForText(page, output, /^(\d+) (\d+)$/m)).slice(1).map(Number);
    assert.ok(after[1] < before[1], `columns follow the page: ${before} -> ${after}`);
    const cols = await page.evaluate(() => document.querySelector('.rm-terminal-host').rmTerminal.cols);
    assert.equal(after[1], cols);

    await typeInto(page, output, 'vi /tmp/notes\n');
    await waitForText(page, output, /^~/m);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300); // vi reads a quick ESC : as one key (an escape sequence)
    await typeInto(page, output, ':q!\n');
    await typeInto(page, output, 'echo back from vi\n');
    await waitForText(page, output, /^back from vi$/m);
    await screenshot(page, 'terminal-live', output);

    await typeInto(page, output, 'exit\n');
    await waitForKernelIdle(page);
    const ended = page.locator('.rm-terminal-output[data-state="exited"]').first();
    await ended.waitFor();
    assert.match(await ended.locator('.rm-terminal-status').innerText(), /exit status 0/);
    // The transcript replaces the terminal, readable, with no escape codes.
    const transcript = await ended.locator('.rm-terminal-transcript').innerText();
    assert.match(transcript, /^42$/m);
    assert.doesNotMatch(transcript, /\x1b|\[6n/);
    assert.equal(await page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count(), 0);
    assert.ok(!(await containerNames()).includes(name), '--rm removed the container');
  });
});

test('Ctrl-P Ctrl-Q detaches; %docker_attach and %docker_exec -it come back', async () => {
  const name = `rm-term-detach-${process.pid}-${Date.now()}`;
  await createNotebook('ui-terminal-detach.ipynb', [
    labelsCell(),
    `%docker_run -it --network none --name ${name} busybox sh`,
    `%docker_attach ${name}`,
    `%docker_exec -it ${name} sh`,
    `%docker_rm -f ${name}`
  ]);
  await withPage('terminal-detach', async page => {
    await openNotebook(page, 'ui-terminal-detach.ipynb');
    await runCell(page, 0);
    await waitForKernelIdle(page);
    await runCell(page, 1);
    const run = page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.rm-terminal-output');
    await waitForText(page, run, /\/ # $/m);
    await typeInto(page, run, 'touch /tmp/was-here\n');
    // The detach keys must arrive together: not split by the terminal's answer to the next
    // prompt's cursor query.
    await waitForText(page, run, /was-here\n\/ # $/);
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+p');
    await page.keyboard.press('Control+q');
    await waitForKernelIdle(page);
    await page.locator('.jp-NotebookPanel .jp-Cell').nth(1).locator('.rm-terminal-output[data-state="detached"]').waitFor();
    const { containers } = await api('runmagic/containers?filter=all');
    assert.equal(containers.find(c => c.name === name)?.state, 'running', 'the container keeps running');

    await runCell(page, 2);
    const attached = page.locator('.jp-NotebookPanel .jp-Cell').nth(2).locator('.rm-terminal-output[data-state="live"]');
    await attached.locator('.xterm').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.rm-terminal-output[data-connected="true"]').length >= 1);
    await typeInto(page, attached, 'ls /tmp\n');
    await waitForText(page, attached, /was-here\n\/ # $/);
    await page.waitForTimeout(300);
    await page.keyboard.press('Control+p');
    await page.keyboard.press('Control+q');
    await waitForKernelIdle(page);

    await runCell(page, 3);
    const exec = page.locator('.jp-NotebookPanel .jp-Cell').nth(3).locator('.rm-terminal-output[data-state="live"]');
    await waitForText(page, exec, /\/ # $/m);
    await typeInto(page, exec, 'echo exec-$((2+3)); exit 4\n');
    await waitForKernelIdle(page);
    const execEnded = page.locator('.jp-NotebookPanel .jp-Cell').nth(3).locator('.rm-terminal-output[data-state="exited"]');
    await execEnded.waitFor();
    assert.match(await execEnded.locator('.rm-terminal-status').innerText(), /exit status 4/);
    // The server handed the exec's output to the kernel: the saved cell keeps the session.
    const execTranscript = await execEnded.locator('.rm-terminal-transcript').innerText();
    assert.match(execTranscript, /^exec-5$/m);
    assert.doesNotMatch(execTranscript, /\x1b/);

    await runCell(page, 4);
    await page.locator('.jp-NotebookPanel .jp-Cell').nth(4).locator('.jp-OutputArea-output', { hasText: name }).waitFor();
    assert.ok(!(await containerNames()).includes(name));
  });
});
