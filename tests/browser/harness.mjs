// Shared pieces of the browser tests: serve dist/, launch Debian's chromium, click in the canvas.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'build', 'browser');
mkdirSync(SCREENSHOT_DIR, { recursive: true });

// Serves dist/ (or `dir`) on a free port. `isolationHeaders: false` is a plain static host.
// documentIsolationPolicy: false serves like a host (or for a browser) without DIP.
export async function startServer({ isolationHeaders = true, documentIsolationPolicy = true, dir = join(ROOT, 'dist') } = {}) {
  const args = [join(ROOT, 'scripts', 'serve.py'), '--dir', dir, '--port', '0'];
  if (!isolationHeaders) args.push('--no-isolation-headers');
  else if (!documentIsolationPolicy) args.push('--no-document-isolation-policy');
  const server = spawn('python3', args, { env: { ...process.env, PP_SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve.py printed no URL within 10 s')), 10_000);
    server.stdout.on('data', (chunk) => {
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(chunk.toString());
      if (match) { clearTimeout(timer); resolve(match[0]); }
    });
    server.on('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
  return { url, stop: () => server.kill() };
}

// Debian's chromium, never a downloaded one. SwiftShader gives WebGL2 without a GPU.
export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--use-gl=swiftshader', '--enable-unsafe-swiftshader'],
  });
}

// Collects the page's console errors, so a test can show them when it fails.
export function watchConsole(page) {
  const lines = [];
  page.on('console', (msg) => lines.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
  return lines;
}

// Polls window.ppTestState() until `predicate(state)` holds. Each poll builds the whole state on
// the page's main thread: a wait of minutes polls less often (`everyMs`), or the polls slow what
// they wait for (the single-threaded page's use-case run: 92 s unpolled, 148 s polled every 100 ms).
export async function waitForState(page, predicate, { timeout = 60_000, what = 'state', everyMs = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let state = null;
  while (Date.now() < deadline) {
    state = await page.evaluate(() => window.ppTestState && window.ppTestState());
    if (state && predicate(state)) return state;
    await page.waitForTimeout(everyMs);
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(state)?.slice(0, 500)}`);
}

// Clicks the middle of an ImGui widget that the app remembered (src/ui/test_hook.hpp).
// ImGui 1.86 has no input queue: a press and release inside one frame is lost. So each step
// waits for the app to draw two frames, however slow the machine is.
export async function clickWidget(page, name) {
  const state = await waitForState(page, (s) => s.widgets && s.widgets[name], { what: `widget ${name}` });
  const [x, y, width, height] = state.widgets[name];
  const canvas = await page.locator('#canvas').boundingBox();
  const framesPass = async () => {
    const { frame } = await waitForState(page, () => true);
    await waitForState(page, (s) => s.frame >= frame + 2, { what: 'two frames' });
  };
  await page.mouse.move(canvas.x + x + width / 2, canvas.y + y + height / 2);
  await framesPass();
  await page.mouse.down();
  await framesPass();
  await page.mouse.up();
  await framesPass();
}

// The primes below n, by a sieve: an answer computed independently of the C++ code.
export function primesBelow(n) {
  const composite = new Uint8Array(n);
  let count = 0;
  for (let i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}

// The home page's thread demo: presses Start and checks every thread's report against an
// independent count of the primes.
export async function runThreadsDemoAndCheck(page, screenshotName) {
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

// The most spans running at one instant (a sweep over their starts and ends).
export function mostAtOnce(list) {
  const edges = list.flatMap(([, begin, end]) => [[begin, 1], [end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0, most = 0;
  for (const [, delta] of edges) most = Math.max(most, (now += delta));
  return most;
}

// Runs one of the page's process self-checks (src/platform/web/process_selftest.cpp, on a pthread
// of the page) and returns its JSON result. Fails if another one is running, or after `timeout`.
export async function runProcessSelftest(page, name, { timeout = 90_000 } = {}) {
  const started = await page.evaluate((n) => Module.ccall('pp_process_selftest_start', 'number', ['string'], [n]), name);
  assert.equal(started, 1, `self-check ${name} did not start: another one is running`);
  const deadline = Date.now() + timeout;
  for (;;) {
    const text = await page.evaluate(() => Module.ccall('pp_process_selftest_result', 'string', [], []));
    if (text) return JSON.parse(text);
    assert.ok(Date.now() < deadline, `self-check ${name} did not finish in ${timeout / 1000} s`);
    await page.waitForTimeout(100);
  }
}

// True when `out` is `a` and `b` merged, each keeping its own order (both print 0 and 1, so
// which line is whose is found by trying both).
function isMergeOf(out, a, b) {
  if (out.length !== a.length + b.length) return false;
  // can[i][j]: out's first i + j lines are a's first i and b's first j, merged.
  const can = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(false));
  can[0][0] = true;
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      const line = out[i + j - 1];
      if (i > 0 && can[i - 1][j] && line === a[i - 1]) can[i][j] = true;
      if (j > 0 && can[i][j - 1] && line === b[j - 1]) can[i][j] = true;
    }
  }
  return can[a.length][b.length];
}

// The multiprocessing lesson's console: square's and cube's lines, each child's in its own order,
// the two merged by the time they were printed. How far they mix depends on how quickly each
// worker loaded, so the exact order is not checked.
export function assertSquareAndCubeInterleaved(out) {
  assert.equal(out.length, 10, out.join(' '));
  const squares = ['0', '1', '4', '9', '16'], cubes = ['0', '1', '8', '27', '64'];
  assert.ok(isMergeOf(out, squares, cubes), `square's and cube's lines, each complete and in its own order: ${out}`);
  // Run one after the other, all of one child's lines would come before the other's first.
  assert.ok(out.lastIndexOf('0') < out.indexOf('16') && out.indexOf('16') < out.indexOf('64'),
            `interleaved, not one after the other: ${out}`);
}

// The process lesson's console: the child adds 5 to its own counter under its own pid, and the
// parent's counter stays 0. Returns the child's pid.
export function assertChildChangedOnlyItsOwnCounter(out) {
  assert.equal(out.length, 3, out.join('\n'));
  const [, parent] = /^parent: I am process (\d+); counter = 0$/.exec(out[0]);
  const [, child] = /^child:  I am process (\d+); I added 5, so my counter = 5$/.exec(out[1]);
  assert.notEqual(child, parent, 'the child reports its own pid');
  assert.equal(out[2], 'parent: my counter is still 0: separate memory');
  return child;
}
