// Drives JupyterLab in Debian's headless Chromium for tests/test_panels_browser.py.
// Opens the notebook the test wrote, runs its cells (the second starts busybox httpd on a
// random 127.0.0.1 port), then: the panel shows a port link, the page behind the link is
// the container's, the summary in the same output is not shown beside the live panel, and
// Stop turns the badge to exited. Exits non-zero with the reason on failure; screenshots go to SCREENSHOT_DIR.
//
// Environment: JUPYTER_URL (http://127.0.0.1:PORT), JUPYTER_TOKEN, NOTEBOOK (path in the
// server's root), EXPECTED_PAGE (the body httpd serves), SCREENSHOT_DIR.
import { chromium } from 'playwright-core';

const { JUPYTER_URL, JUPYTER_TOKEN, NOTEBOOK, EXPECTED_PAGE, SCREENSHOT_DIR } = process.env;
const STEP_TIMEOUT = 60_000;

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
context.setDefaultTimeout(STEP_TIMEOUT);
const page = await context.newPage();
try {
  await page.goto(`${JUPYTER_URL}/lab/tree/${NOTEBOOK}?token=${JUPYTER_TOKEN}`);
  // Running cells before the notebook knows its kernel opens a "Select Kernel" dialog:
  // wait until the toolbar names the kernel and says it is idle.
  await page.locator('.jp-Notebook .jp-Cell').first().waitFor();
  await page.locator('.jp-Toolbar-kernelName', { hasText: 'Python 3' }).waitFor();
  await page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').waitFor({ state: 'attached' });

  await page.locator('.lm-MenuBar-itemLabel', { hasText: /^Run$/ }).click();
  await page.locator('.lm-Menu-itemLabel', { hasText: /^Run All Cells$/ }).click();

  const panel = page.locator('.runmagic-panel').first();
  const link = panel.locator('a.runmagic-port-link');
  await link.waitFor();
  const address = await link.textContent();
  check(/^127\.0\.0\.1:\d+$/.test(address), `port link text: ${address}`);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/panel-running.png` });

  // The summary shares the panel's output: while the widget lives, it is not shown.
  const summaries = await page.locator('.runmagic-summary').evaluateAll(
    nodes => nodes.filter(n => n.getClientRects().length > 0).length);
  check(summaries === 0, 'the summary is visible beside the live panel');

  // Follow the link as a user does: it opens a tab.
  const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
  await tab.waitForLoadState();
  const body = (await tab.locator('body').textContent()).trim();
  check(body === EXPECTED_PAGE, `page behind ${await link.getAttribute('href')}: ${body.slice(0, 200)}`);
  console.log(`fetched ${tab.url()}: ${body}`);  // the test checks which way the link went
  await tab.close();

  await panel.locator('.runmagic-badge[data-status="running"]').waitFor();
  await panel.getByRole('button', { name: 'Stop' }).click();
  await panel.locator('.runmagic-badge[data-status="exited"]').waitFor();
  console.log(`badge after Stop: ${await panel.locator('.runmagic-badge').textContent()}`);
  await page.screenshot({ path: `${SCREENSHOT_DIR}/panel-stopped.png` });
} catch (error) {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/failure.png` }).catch(() => {});
  console.error(error.stack || String(error));
  process.exitCode = 1;
} finally {
  await browser.close();
}
