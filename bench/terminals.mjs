// The browser half of bench/terminals.py: one page, two terminals on the same busybox sh
// container, measured alternately: runmagic's cell terminal (%docker_run -it) and JupyterLab's
// own terminal (terminado) running `docker exec -it`.
//   env: RUNMAGIC_LAB_URL, RUNMAGIC_LAB_TOKEN, RUNMAGIC_LABELS, BENCH_NAME, BENCH_KEYS, BENCH_SEQ
import { createNotebook, labelsCell, openNotebook, launch, waitForKernelIdle } from '../labextension/ui-tests/helpers.mjs';
import { runCell } from '../labextension/ui-tests/terminals.mjs';

const NAME = process.env.BENCH_NAME;
const KEYS = Number(process.env.BENCH_KEYS || 200);
const SEQ = Number(process.env.BENCH_SEQ || 200000);

// In the page: measure one xterm (window.__bench[which]).
async function latencies(page, which, keys) {
  return page.evaluate(async ({ which, keys }) => {
    const term = window.__bench[which];
    const result = [];
    const cursorLine = () => {
      const b = term.buffer.active;
      return b.getLine(b.baseY + b.cursorY)?.translateToString(true) ?? '';
    };
    let typed = '';
    for (let i = 0; i < keys; i++) {
      const char = 'abcdefghijklmnopqrstuvwxyz'[i % 26];
      typed = (typed + char).slice(-12);
      const t0 = performance.now();
      await new Promise((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`${which}: no echo of ${typed}: ${cursorLine()}`)), 5000);
        const d = term.onWriteParsed(() => {
          if (cursorLine().endsWith(typed)) {
            clearTimeout(timeout);
            d.dispose();
            resolve();
          }
        });
        term.input(char, true);
      });
      result.push(performance.now() - t0);
      await new Promise(r => setTimeout(r, 5));
    }
    term.input('\x15', true); // Ctrl-U: the line typed so far goes
    await new Promise(r => setTimeout(r, 300));
    return result;
  }, { which, keys });
}

async function throughput(page, which, n) {
  return page.evaluate(async ({ which, n }) => {
    const term = window.__bench[which];
    let maxGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
    }, 20);
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      setTimeout(() => reject(new Error(`${which}: seq never ended`)), 120_000);
      const done = () => {
        const b = term.buffer.active;
        for (let y = b.baseY + b.cursorY; y >= Math.max(0, b.baseY + b.cursorY - 3); y--) {
          if (b.getLine(y)?.translateToString(true).trim() === String(n)) {
            d.dispose();
            resolve();
            return;
          }
        }
      };
      const d = term.onWriteParsed(done);
      term.input(`seq 1 ${n}\r`, true);
    });
    const took = performance.now() - t0;
    clearInterval(timer);
    await new Promise(r => setTimeout(r, 500));
    return { seconds: took / 1000, maxGapMs: maxGap };
  }, { which, n });
}

const { browser, page } = await launch();
try {
  await createNotebook('bench-terminals.ipynb', [labelsCell(), `%docker_run -it --rm --network none --name ${NAME} busybox sh`]);
  await openNotebook(page, 'bench-terminals.ipynb');
  await runCell(page, 0);
  await waitForKernelIdle(page);
  await runCell(page, 1);
  await page.locator('.rm-terminal-output[data-connected="true"]').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1000);
  // JupyterLab's own terminal, in the same page, docked beside the notebook.
  await page.evaluate(async name => {
    const notebookId = window.jupyterapp.shell.currentWidget.id;
    const widget = await window.jupyterapp.commands.execute('terminal:create-new', { ref: notebookId, mode: 'split-right' });
    window.__labTerminal = widget;
  }, NAME);
  await page.waitForFunction(() => window.__labTerminal?.content?._term, null, { timeout: 30_000 });
  await page.evaluate(name => {
    const mine = document.querySelector('.rm-terminal-host').rmTerminal;
    const lab = window.__labTerminal.content._term;
    window.__bench = { runmagic: mine, jupyterlab: lab };
    lab.input(`exec docker exec -it ${name} sh\r`, true);
  }, NAME);
  await page.waitForTimeout(3000);
  const out = { keys: { runmagic: [], jupyterlab: [] }, seq: { runmagic: [], jupyterlab: [] } };
  // Alternate in rounds so the machine's noise falls on both alike.
  for (let round = 0; round < 4; round++) {
    for (const which of round % 2 ? ['jupyterlab', 'runmagic'] : ['runmagic', 'jupyterlab']) {
      out.keys[which].push(...(await latencies(page, which, KEYS / 4)));
    }
  }
  for (let round = 0; round < 2; round++) {
    for (const which of round % 2 ? ['jupyterlab', 'runmagic'] : ['runmagic', 'jupyterlab']) {
      // A different last number each run: the previous run's is still on the screen.
      out.seq[which].push(await throughput(page, which, SEQ + round));
    }
  }
  console.log(JSON.stringify(out));
} finally {
  await browser.close();
}
