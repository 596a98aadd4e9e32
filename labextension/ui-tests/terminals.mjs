// Helpers of the terminal UI tests: run one cell, read and type into a live terminal.

/** Run cell `index` of the current notebook (without waiting for it to end). */
export async function runCell(page, index) {
  await page.evaluate(i => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    notebook.activeCellIndex = i;
    notebook.mode = 'command';
    void window.jupyterapp.commands.execute('notebook:run-cell'); // resolves when the cell ends
  }, index);
}

export async function kernelStatus(page) {
  return page.evaluate(() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status);
}

/** The text of the xterm inside `output` (a locator of a .rm-terminal-output). */
export async function terminalText(output) {
  return output.locator('.rm-terminal-host').evaluate(host => {
    const buffer = host.rmTerminal.buffer.active;
    const lines = [];
    for (let i = 0; i < buffer.length; i++) {
      lines.push(buffer.getLine(i).translateToString(true));
    }
    return lines.join('\n').replace(/\n+$/, '');
  });
}

/** Wait until the terminal's text matches `pattern`; returns the match. */
export async function waitForText(page, output, pattern, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    text = await terminalText(output).catch(() => '');
    const match = pattern.exec(text);
    if (match) {
      return match;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
}

/** Focus the terminal and type `text` (a newline is Enter). */
export async function typeInto(page, output, text) {
  await output.locator('.xterm-helper-textarea').focus();
  for (const part of text.split(/(\n)/)) {
    if (part === '\n') {
      await page.keyboard.press('Enter');
    } else if (part) {
      await page.keyboard.type(part);
    }
  }
}
