// Shared set-up of the UI tests: a headless Debian chromium (never a downloaded browser)
// driving the JupyterLab that tests/test_labextension.py started on 127.0.0.1 with a token.
//   RUNMAGIC_LAB_URL     http://127.0.0.1:PORT/  (base URL, with a trailing slash)
//   RUNMAGIC_LAB_TOKEN   the server's token
//   RUNMAGIC_LABELS      JSON object: labels for every container a test starts
//   CHROMIUM             the browser (default /usr/bin/chromium)
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const LAB_URL = process.env.RUNMAGIC_LAB_URL;
export const TOKEN = process.env.RUNMAGIC_LAB_TOKEN;
export const LABELS = JSON.parse(process.env.RUNMAGIC_LABELS || '{}');
const HERE = import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname);
const ARTIFACTS = path.resolve(HERE, 'artifacts');
/** Screenshots a reviewer looks at (panels, completer; light and dark): build/, never committed. */
export const SCREENSHOTS = path.resolve(HERE, '..', '..', 'build', 'ui-screenshots');

if (!LAB_URL || !TOKEN) {
  throw new Error('RUNMAGIC_LAB_URL and RUNMAGIC_LAB_TOKEN must name a running JupyterLab (tests/test_labextension.py starts one)');
}

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run'
    ]
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  return { browser, page, errors };
}

/** A REST call to the Jupyter server, with the token. */
export async function api(pathname, init = {}) {
  const response = await fetch(new URL(pathname, LAB_URL), {
    ...init,
    headers: { Authorization: `token ${TOKEN}`, 'Content-Type': 'application/json', ...(init.headers || {}) }
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${init.method || 'GET'} ${pathname}: ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Write a notebook of code cells (sources) through the contents API. */
export async function createNotebook(name, sources) {
  const content = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' }
    },
    cells: sources.map((source, i) => ({
      cell_type: 'code',
      id: `cell-${i}`,
      metadata: {},
      source,
      outputs: [],
      execution_count: null
    }))
  };
  await api(`api/contents/${encodeURIComponent(name)}`, {
    method: 'PUT',
    body: JSON.stringify({ type: 'notebook', format: 'json', content })
  });
}

/** Open a notebook in a fresh workspace and wait for its kernel to be idle. */
export async function openNotebook(page, name) {
  await page.goto(`${LAB_URL}lab/tree/${encodeURIComponent(name)}?reset&token=${TOKEN}`);
  await page.waitForFunction(() => !!window.jupyterapp, null, { timeout: 60_000 });
  await page.locator('.jp-NotebookPanel .jp-Cell').first().waitFor({ timeout: 60_000 });
  await waitForKernelIdle(page);
}

export async function waitForKernelIdle(page) {
  await page.waitForFunction(
    () => {
      const w = window.jupyterapp.shell.currentWidget;
      const kernel = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
      return !!kernel && kernel.status === 'idle';
    },
    null,
    { timeout: 60_000 }
  );
}

/** Source text of each cell of the current notebook (from the model, not the DOM). */
export async function cellSources(page) {
  return page.evaluate(() => {
    const w = window.jupyterapp.shell.currentWidget;
    return w.content.widgets.map(cell => cell.model.sharedModel.getSource());
  });
}

/** Run `body(page)` with a browser; on failure keep a screenshot in ui-tests/artifacts/. */
export async function withPage(name, body) {
  const { browser, page, errors } = await launch();
  try {
    await body(page);
  } catch (error) {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    const extra = errors.length ? `\npage errors:\n${errors.join('\n')}` : '';
    error.message += `\nscreenshot: ${shot}${extra}`;
    throw error;
  } finally {
    await browser.close();
  }
}

/** Save a screenshot of `locator` (or the page) as build/ui-screenshots/NAME.png. */
export async function screenshot(page, name, locator = null) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await (locator ?? page).screenshot({ path: file, animations: 'disabled' });
  return file;
}

/** Switch JupyterLab's theme ('JupyterLab Light' or 'JupyterLab Dark') and wait for it. */
export async function setTheme(page, theme) {
  await page.evaluate(t => window.jupyterapp.commands.execute('apputils:change-theme', { theme: t }), theme);
  const light = theme === 'JupyterLab Light';
  await page.waitForFunction(l => document.body.dataset.jpThemeLight === String(l), light);
  await page.waitForTimeout(300); // the theme's stylesheet applies
}

/** Run every cell of the current notebook and wait for the kernel to be idle again. */
export async function runAll(page) {
  await page.evaluate(() => window.jupyterapp.commands.execute('notebook:run-all-cells'));
  await page.waitForTimeout(500);
  await waitForKernelIdle(page);
}

/** The labels' line of a notebook: the magics add the test session's labels. */
export function labelsCell(extra = {}) {
  return `%load_ext runmagic\n%config DockerRun.labels = ${JSON.stringify({ ...LABELS, ...extra })}`;
}
