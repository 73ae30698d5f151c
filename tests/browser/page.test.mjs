// Page.*: the served page is isolated, renders ImGui in chromium, and runs real threads;
// without isolation it explains what to do instead of showing a blank page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, clickWidget, launchBrowser, primesBelow, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Presses Start and checks every thread's report against an independent count.
async function runThreadsAndCheck(page, screenshotName) {
  const before = await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
  assert.equal(before.first_threads.phase, 'idle');
  await clickWidget(page, 'start_threads');
  const state = await waitForState(page, (s) => s.first_threads.phase === 'done', { what: 'the threads to be joined' });
  const run = state.first_threads;

  assert.equal(run.threads.length, 4, 'the default is four threads');
  assert.ok(run.threads.every((t) => t.finished), 'every thread reported back');
  assert.equal(new Set(run.threads.map((t) => t.thread_id)).size, 4, 'each report came from a different thread');
  assert.equal(run.threads.reduce((sum, t) => sum + t.primes, 0), run.total_primes);
  assert.equal(run.total_primes, primesBelow(run.limit), `the threads found all primes below ${run.limit}`);
  // Slices tile [0, limit) exactly: no number counted twice or missed.
  run.threads.forEach((t, i) => assert.equal(t.begin, i === 0 ? 0 : run.threads[i - 1].end));
  assert.equal(run.threads.at(-1).end, run.limit);
  await page.screenshot({ path: join(SCREENSHOT_DIR, screenshotName) });
}

test('Page.IsolatedRunsRealThreads.4threads', TEST_TIMEOUT, async () => {
  const server = await startServer();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const console = watchConsole(page);
  try {
    await page.goto(server.url);
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true, 'served with COOP/COEP');
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'function');
    await runThreadsAndCheck(page, 'threads-demo.png');
    assert.equal(await page.locator('#overlay').isHidden(), true, 'the loading overlay is gone');
  } catch (error) {
    error.message += `\nconsole:\n${console.join('\n')}`;
    throw error;
  } finally {
    await page.close();
    server.stop();
  }
});

test('Page.StaticHostIsolatesWithServiceWorker.4threads', TEST_TIMEOUT, async () => {
  // A host that cannot send headers: coi-serviceworker adds them after one reload.
  const server = await startServer({ isolationHeaders: false });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => window.crossOriginIsolated === true, null, { timeout: 30_000 });
    await runThreadsAndCheck(page, 'threads-demo-static-host.png');
  } finally {
    await context.close();
    server.stop();
  }
});

for (const [name, url, contextOptions] of [
  ['Page.NotIsolatedShowsExplanation.ServiceWorkerOff', '?coi-sw=0', {}],
  ['Page.NotIsolatedShowsExplanation.ServiceWorkerBlocked', '', { serviceWorkers: 'block' }],
]) {
  test(name, TEST_TIMEOUT, async () => {
    const server = await startServer({ isolationHeaders: false });
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, ...contextOptions });
    const page = await context.newPage();
    try {
      await page.goto(server.url + url);
      const card = page.locator('#not-isolated');
      await card.waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
      const text = await card.innerText();
      assert.match(text, /cross-origin isolated/);
      assert.match(text, /\.\/build-wasm\.sh serve/);
      assert.match(text, /Cross-Origin-Embedder-Policy: require-corp/);
      assert.equal(await page.evaluate(() => typeof window.Module), 'undefined', 'the module was not loaded');
      await page.screenshot({ path: join(SCREENSHOT_DIR, `not-isolated${url ? '-sw-off' : '-sw-blocked'}.png`) });
    } finally {
      await context.close();
      server.stop();
    }
  });
}
