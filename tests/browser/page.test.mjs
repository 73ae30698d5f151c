// Page.*: the served page is isolated, renders ImGui in chromium, and runs real threads;
// without isolation it runs the single-threaded fallback under a banner that says so, and
// explains on demand how to get real threads (tests/browser/fallback.test.mjs runs its lessons).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, launchBrowser, runThreadsDemoAndCheck, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };
let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('Page.IsolatedRunsRealThreads.4threads', TEST_TIMEOUT, async () => {
  const server = await startServer();
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const console = watchConsole(page);
  try {
    await page.goto(server.url);
    assert.equal(await page.evaluate(() => window.crossOriginIsolated), true, 'served with COOP/COEP');
    assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'function');
    await runThreadsDemoAndCheck(page, 'threads-demo.png');
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
    await runThreadsDemoAndCheck(page, 'threads-demo-static-host.png');
  } finally {
    await context.close();
    server.stop();
  }
});

for (const [name, url, contextOptions] of [
  ['Page.NotIsolatedFallsBackAndExplains.ServiceWorkerOff', '?coi-sw=0', {}],
  ['Page.NotIsolatedFallsBackAndExplains.ServiceWorkerBlocked', '', { serviceWorkers: 'block' }],
]) {
  test(name, TEST_TIMEOUT, async () => {
    const server = await startServer({ isolationHeaders: false });
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 }, ...contextOptions });
    const page = await context.newPage();
    try {
      await page.goto(server.url + url);
      const banner = page.locator('#fallback-banner');
      await banner.waitFor({ state: 'visible', timeout: 15_000 });
      assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
      assert.match(await banner.innerText(), /Single-threaded fallback: this page is not cross-origin isolated/);
      const state = await waitForState(page, (s) => s.frame > 2, { what: 'the fallback to draw' });
      assert.equal(state.single_threaded, true, 'the single-threaded build was loaded');
      // "Why?" shows what the page needs for real threads.
      await page.locator('#fallback-why').click();
      const card = page.locator('#not-isolated');
      await card.waitFor({ state: 'visible', timeout: 5_000 });
      const text = await card.innerText();
      assert.match(text, /cross-origin isolated/);
      assert.match(text, /\.\/build-wasm\.sh serve/);
      assert.match(text, /Cross-Origin-Embedder-Policy: require-corp/);
      // Its new tab may isolate itself: no coi-sw=0 there, whatever this page had.
      assert.equal(new URL(await page.locator('#open-in-tab').getAttribute('href')).searchParams.get('coi-sw'), null);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `not-isolated${url ? '-sw-off' : '-sw-blocked'}.png`) });
      // A click beside the card closes it: back to the running page, still drawing.
      await page.mouse.click(4, 696);
      await page.waitForFunction(() => document.body.dataset.ppState === 'running' && document.getElementById('overlay').hidden,
        null, { timeout: 5_000 });
      const frame = (await waitForState(page, () => true, { what: 'the state' })).frame;
      await waitForState(page, (s) => s.frame > frame, { what: 'frames after the card closed' });
    } finally {
      await context.close();
      server.stop();
    }
  });
}

test('Page.WebGLContextIsTheOneAskedFor.4threads', TEST_TIMEOUT, async () => {
  // The app makes its WebGL2 context itself (src/platform/window_sdl.cpp), not through SDL, so
  // that no extension is enabled that it does not use: each costs start-up time.
  const server = await startServer();
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript(() => {
    window.enabledExtensions = [];
    const getExtension = WebGL2RenderingContext.prototype.getExtension;
    WebGL2RenderingContext.prototype.getExtension = function (name) {
      window.enabledExtensions.push(name);
      return getExtension.call(this, name);
    };
  });
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'frames' });
    const gl = await page.evaluate(() => {
      const attributes = document.getElementById('canvas').getContext('webgl2').getContextAttributes();
      return { alpha: attributes.alpha, depth: attributes.depth, stencil: attributes.stencil, antialias: attributes.antialias,
               extensions: window.enabledExtensions };
    });
    assert.deepEqual(gl, { alpha: false, depth: false, stencil: false, antialias: false, extensions: [] });
  } finally {
    await context.close();
    server.stop();
  }
});

test('Page.WithoutWebGL2SaysSo.0threads', TEST_TIMEOUT, async () => {
  // A browser with WebGL2 turned off: a card that says what is missing, not a blank canvas.
  const server = await startServer();
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
      return type === 'webgl2' ? null : getContext.call(this, type, ...rest);
    };
  });
  const page = await context.newPage();
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.ppState === 'fatal', null, { timeout: 60_000 });
    assert.equal(await page.locator('#fatal').isVisible(), true);
    assert.match(await page.locator('#fatal-message').innerText(), /could not create a WebGL2 context/);
  } finally {
    await context.close();
    server.stop();
  }
});
