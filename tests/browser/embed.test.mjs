// Embed.*: sharing and embedding a lesson, and its exports, in chromium.
//   - a shared link (and the address bar) reproduces the lesson and its settings;
//   - embed=1 is a compact layout that fits small iframes, and opens the full page in a new tab;
//   - the Embed snippet works in an isolated course page (allow="cross-origin-isolated") and in
//     an ordinary one (Document-Isolation-Policy isolates the frame itself);
//   - trace.json, the timeline PNG and the console text download and are well formed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { ROOT, SCREENSHOT_DIR, clickWidget, launchBrowser, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 180_000 };
// thread-pool reads every setting; these differ from its defaults.
const SETTINGS = { lesson: 'thread-pool', workers: '4', tasks: '7', scale: '0.05', sleep: '2', gil: '1', switch: '5' };
const QUERY = new URLSearchParams(SETTINGS).toString();

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); server?.stop(); });

// Runs `body(page, context)` on a fresh page, adding the page's console to a failure's message.
async function withPage(options, body) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, ...options });
  const page = await context.newPage();
  const console = watchConsole(page);
  try {
    await body(page, context);
  } catch (error) {
    error.message += `\nconsole:\n${console.slice(-30).join('\n')}`;
    throw error;
  } finally {
    await context.close();
  }
}

function assertSettings(params, what) {
  assert.equal(params.workers, Number(SETTINGS.workers), `${what}: workers`);
  assert.equal(params.tasks, Number(SETTINGS.tasks), `${what}: tasks`);
  assert.ok(Math.abs(params.scale - Number(SETTINGS.scale)) < 1e-6, `${what}: scale ${params.scale}`);
  assert.ok(Math.abs(params.sleep - Number(SETTINGS.sleep)) < 1e-6, `${what}: sleep ${params.sleep}`);
  assert.equal(params.gil, true, `${what}: gil`);
}

// What the last Share / Copy put on the clipboard (the page records it before the browser answers).
async function copiedText(page) {
  await page.waitForFunction(() => window.ppLastCopyResult && window.ppLastCopyResult !== 'pending', null, { timeout: 10_000 });
  return page.evaluate(() => ({ text: window.ppLastCopied, how: window.ppLastCopyResult }));
}

// Clicks `widget` and returns the file it downloads, as a Buffer.
async function download(page, widget) {
  await clickWidget(page, 'export');
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), clickWidget(page, widget)]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

// The Embed snippet, as the app writes it for `query`.
async function embedSnippetFromApp(query) {
  let snippet;
  await withPage({}, async (page) => {
    await page.goto(`${server.url}?${query}`);
    await waitForState(page, (s) => s.frame > 2 && s.widgets.embed, { what: 'the Embed button' });
    await clickWidget(page, 'embed');
    await clickWidget(page, 'embed_copy');
    snippet = (await copiedText(page)).text;
  });
  return snippet;
}

test('Embed.ShareLinkReproducesLessonAndSettings.4threads', TEST_TIMEOUT, async () => {
  await withPage({}, async (page, context) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    await page.goto(`${server.url}?${QUERY}&autorun=0`);
    const state = await waitForState(page, (s) => s.frame > 2 && s.lesson.id === 'thread-pool', { what: 'the lesson' });
    assertSettings(state.lesson.params, 'opened from the URL');
    assert.deepEqual(state.messages, []);

    // The address bar follows the settings (history.replaceState), so a reload reproduces them.
    await page.waitForFunction(() => !new URLSearchParams(location.search).has('autorun'), null, { timeout: 10_000 });
    const address = Object.fromEntries(new URL(page.url()).searchParams);
    assert.deepEqual(address, SETTINGS, 'the address bar carries the lesson and its settings');
    await page.reload();
    assertSettings((await waitForState(page, (s) => s.frame > 2 && s.lesson.id === 'thread-pool')).lesson.params, 'after a reload');

    await clickWidget(page, 'share');
    const copied = await copiedText(page);
    assert.equal(copied.how, 'clipboard', 'navigator.clipboard took the link');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), copied.text, 'the clipboard holds the link');
    const shared = new URL(copied.text);
    assert.equal(shared.origin + shared.pathname, new URL(server.url).origin + '/');
    assert.deepEqual(Object.fromEntries(shared.searchParams), SETTINGS, 'the link carries the same settings, no more');

    const reopened = await context.newPage();
    await reopened.goto(copied.text);
    const again = await waitForState(reopened, (s) => s.frame > 2 && s.lesson.id === 'thread-pool', { what: 'the shared lesson' });
    assertSettings(again.lesson.params, 'opened from the shared link');
    assert.equal(again.page, 'lesson');
    assert.ok(again.widgets.share && !again.widgets.open_full, 'a shared link opens the full layout');
  });
});

test('Embed.RefusedClipboardShowsTheLinkSelected.1thread', TEST_TIMEOUT, async () => {
  await withPage({}, async (page) => {
    // A browser that refuses the clipboard (no permission, an iframe without clipboard-write).
    await page.addInitScript(() => {
      Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
    });
    await page.goto(`${server.url}?${QUERY}`);
    await waitForState(page, (s) => s.frame > 2 && s.widgets.share, { what: 'the Share button' });
    await clickWidget(page, 'share');
    const copied = await copiedText(page);
    assert.notEqual(copied.how, 'clipboard');
    const box = page.locator('#pp-copy-box');
    await box.waitFor({ state: 'visible', timeout: 5_000 });
    const shown = await page.evaluate(() => {
      const area = document.querySelector('#pp-copy-box textarea');
      return { value: area.value, selected: area.value.slice(area.selectionStart, area.selectionEnd),
               focused: document.activeElement === area };
    });
    assert.equal(shown.value, copied.text);
    assert.equal(shown.selected, copied.text, 'the whole link is selected, ready for Ctrl+C');
    assert.ok(shown.focused);
    assert.deepEqual(Object.fromEntries(new URL(shown.value).searchParams), SETTINGS);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'embed-copy-fallback.png') });
    await box.locator('button').click();
    assert.equal(await box.isHidden(), true, 'Close hides the box');
  });
});

test('Embed.BadParamsKeepTheirMessagesWhenEmbedded.1thread', TEST_TIMEOUT, async () => {
  await withPage({ viewport: { width: 800, height: 500 } }, async (page) => {
    await page.goto(`${server.url}?lesson=thread-pool&workers=abc&tasks=999&colour=red&export=out&embed=1`);
    const state = await waitForState(page, (s) => s.frame > 2 && s.widgets.open_full, { what: 'the embedded lesson' });
    const messages = state.messages.join('\n');
    assert.match(messages, /workers=abc is not a whole number/);
    assert.match(messages, /tasks must be 1\.\.64, so 999 became 64/);
    assert.match(messages, /unknown setting 'colour' ignored/);
    assert.match(messages, /export=out is for the desktop app; here, use the Export menu/);
    assert.ok(state.widgets.dismiss_messages, 'the messages can be dismissed in the compact layout too');
    assert.equal(state.lesson.params.tasks, 64);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'embed-bad-params.png') });

    await page.goto(`${server.url}?lesson=thread-pool&embed=sideways`);
    const bad = await waitForState(page, (s) => s.frame > 2 && s.lesson.id === 'thread-pool');
    assert.match(bad.messages.join('\n'), /embed=sideways is not 0 or 1/);
    assert.ok(bad.widgets.share, 'a bad embed value gives the full layout');
  });
});

test('Embed.SnippetCarriesIsolationLessonAndSettings.1thread', TEST_TIMEOUT, async () => {
  const snippet = await embedSnippetFromApp(QUERY);
  await withPage({}, async (page) => {
    await page.goto(server.url + 'index.html?coi-sw=0');  // any page: only its DOMParser is used
    const iframe = await page.evaluate((html) => {
      const frame = new DOMParser().parseFromString(html, 'text/html').querySelector('iframe');
      return frame && { src: frame.getAttribute('src'), allow: frame.getAttribute('allow'),
                        width: frame.getAttribute('width'), height: frame.getAttribute('height') };
    }, snippet);
    assert.ok(iframe, `the snippet is an iframe: ${snippet}`);
    assert.match(iframe.allow, /(^|;\s*)cross-origin-isolated(;|$)/);
    const src = new URL(iframe.src);
    assert.equal(src.origin, new URL(server.url).origin, 'the frame loads this page');
    assert.deepEqual(Object.fromEntries(src.searchParams), { ...SETTINGS, embed: '1' });
    assert.ok(Number(iframe.width) >= 640 && Number(iframe.height) >= 400, `size ${iframe.width}x${iframe.height}`);
  });
});

for (const [width, height] of [[800, 500], [640, 400]]) {
  test(`Embed.CompactLayoutFits${width}x${height}.4threads`, TEST_TIMEOUT, async () => {
    await withPage({ viewport: { width, height } }, async (page, context) => {
      await page.goto(`${server.url}?${QUERY}&embed=1&autorun=1`);
      assert.equal(await page.evaluate(() => window.crossOriginIsolated), true);
      // (widgets are the last frame's: wait for a frame drawn after the run ended, with Run back)
      const state = await waitForState(page, (s) => s.lesson.state === 'done' && s.widgets.run, { what: 'the run to finish' });
      assert.equal(state.lesson.console.length, Number(SETTINGS.tasks));
      assert.ok(!state.widgets.share && !state.widgets.embed, 'no Share/Embed inside a frame');
      for (const name of ['run', 'export', 'open_full', 'timeline']) {
        const [x, y, w, h] = state.widgets[name] ?? assert.fail(`${name} was not drawn`);
        assert.ok(x >= 0 && y >= 0 && x + w <= width + 1 && y + h <= height + 1, `${name} [${x},${y},${w},${h}] inside ${width}x${height}`);
      }
      assert.ok(state.widgets.timeline[3] >= 60, `the timeline is tall enough to read: ${state.widgets.timeline[3]} px`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `embed-${width}x${height}.png`) });

      // "Open in Parallel Playground" opens the full page, same settings, in a new tab.
      const [tab] = await Promise.all([context.waitForEvent('page', { timeout: 15_000 }), clickWidget(page, 'open_full')]);
      await tab.waitForLoadState();
      assert.deepEqual(Object.fromEntries(new URL(tab.url()).searchParams), SETTINGS);
      const full = await waitForState(tab, (s) => s.frame > 2 && s.widgets.share, { what: 'the full page' });
      assertSettings(full.lesson.params, 'the full page');
    });
  });
}

test('Embed.BlockedPopupHandsOverTheLink.1thread', TEST_TIMEOUT, async () => {
  await withPage({ viewport: { width: 640, height: 400 } }, async (page) => {
    await page.addInitScript(() => { window.open = () => null; });  // a pop-up blocker
    await page.goto(`${server.url}?${QUERY}&embed=1`);
    await waitForState(page, (s) => s.frame > 2 && s.widgets.open_full, { what: 'the Open button' });
    await clickWidget(page, 'open_full');
    const copied = await copiedText(page);
    assert.deepEqual(Object.fromEntries(new URL(copied.text).searchParams), SETTINGS, 'the full page\'s link, no embed=1');
  });
});

// A course page on another origin (another port) holding the app's own snippets, with autorun
// added: a thread lesson, and a process lesson (its browser processes are Web Workers too).
const PROCESS_QUERY = 'lesson=process-pool&workers=2&tasks=4&scale=0.05';
async function runInCoursePage({ isolatedParent }) {
  const snippets = [await embedSnippetFromApp(QUERY), await embedSnippetFromApp(PROCESS_QUERY)];
  const dir = mkdtempSync(join(tmpdir(), 'pp-course-'));
  writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>Course</title>
<h1>Week 3: thread pools</h1>
${snippets.map((snippet) => snippet.replace('embed=1"', 'embed=1&amp;autorun=1"')).join('\n<p>And with processes:</p>\n')}
`);
  const parent = await startServer({ dir, isolationHeaders: isolatedParent });
  try {
    await withPage({ viewport: { width: 1000, height: 1200 } }, async (page) => {
      await page.goto(parent.url);
      assert.equal(await page.evaluate(() => window.crossOriginIsolated), isolatedParent, 'the course page itself');
      await page.waitForFunction(() => document.querySelectorAll('iframe').length === 2);
      const [threadFrame, processFrame] = await Promise.all((await page.$$('iframe')).map((element) => element.contentFrame()));
      for (const frame of [threadFrame, processFrame]) {
        await frame.waitForFunction(() => document.body.dataset.ppState !== 'loading', null, { timeout: 30_000 });
        assert.equal(await frame.evaluate(() => window.crossOriginIsolated), true, 'the frame is cross-origin isolated');
        assert.equal(await frame.evaluate(() => typeof SharedArrayBuffer), 'function');
      }

      const state = await waitForState(threadFrame, (s) => s.lesson.state === 'done', { what: 'the thread lesson in its frame' });
      assert.deepEqual(state.lesson.console, Array.from({ length: Number(SETTINGS.tasks) }, (_, i) => `Number: ${i + 1}`));
      // Real threads: the tasks ran on pool threads, not the lesson's main thread (how many of the
      // four get a task depends on how fast the browser starts them).
      const workerLanes = state.lesson.lanes.filter((lane) => lane.events.some(([kind]) => kind === 'TaskRun') &&
                                                              lane.name !== 'MainThread');
      assert.ok(workerLanes.length >= 1 && workerLanes.length <= Number(SETTINGS.workers), workerLanes.map((l) => l.name).join());
      assert.ok(workerLanes.every((lane) => /^ThreadPoolExecutor/.test(lane.name)), workerLanes.map((l) => l.name).join());

      const processes = await waitForState(processFrame, (s) => s.lesson.state === 'done', { what: 'the process lesson in its frame' });
      assert.deepEqual(processes.lesson.console, ['1', '4', '9', '16']);
      const pids = new Set(processes.lesson.lanes.filter((lane) => lane.pid !== 1).map((lane) => lane.pid));
      assert.equal(pids.size, 2, `two browser processes: ${[...pids]}`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `embed-course-page-${isolatedParent ? 'isolated' : 'plain'}.png`) });
    });
  } finally {
    parent.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('Embed.IframeInIsolatedCoursePageRuns.4threads', TEST_TIMEOUT, () => runInCoursePage({ isolatedParent: true }));
test('Embed.IframeInPlainCoursePageIsolatedByDocumentIsolationPolicy.4threads', TEST_TIMEOUT,
     () => runInCoursePage({ isolatedParent: false }));

// --- Exports ---------------------------------------------------------------------------------

// Every "X" span on a thread either nests in the one before it or starts after it ends.
function assertSpansNest(events) {
  const byLane = new Map();
  for (const e of events.filter((e) => e.ph === 'X')) {
    const key = `${e.pid}/${e.tid}`;
    if (!byLane.has(key)) byLane.set(key, []);
    byLane.get(key).push(e);
  }
  const slack = 0.01;  // the exporter rounds to 0.01 us
  for (const [lane, spans] of byLane) {
    spans.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const open = [];
    for (const span of spans) {
      while (open.length && open.at(-1).ts + open.at(-1).dur <= span.ts + slack) open.pop();
      if (open.length) {
        const parent = open.at(-1);
        assert.ok(span.ts + span.dur <= parent.ts + parent.dur + slack,
                  `on ${lane}, ${span.name}@${span.ts} overlaps ${parent.name}@${parent.ts} without nesting`);
      }
      open.push(span);
    }
  }
  // B/E pairs (the exporter writes none today; a viewer would need them balanced per thread).
  const depth = new Map();
  for (const e of events.filter((e) => e.ph === 'B' || e.ph === 'E')) {
    const key = `${e.pid}/${e.tid}`;
    depth.set(key, (depth.get(key) ?? 0) + (e.ph === 'B' ? 1 : -1));
    assert.ok(depth.get(key) >= 0, `an E without its B on ${key}`);
  }
  for (const [key, d] of depth) assert.equal(d, 0, `unclosed B on ${key}`);
}

// The page's trace.json and `playground-cli run --trace` (when the native build is there) have
// the same shape: each kind of event with the same fields, so the two open side by side.
function assertSameSchemaAsNativeRun(browserEvents) {
  const cli = join(ROOT, 'build', 'native', 'playground-cli');
  if (!existsSync(cli)) return;  // scripts/test.sh builds native first; alone, the browser checks above stand
  const dir = mkdtempSync(join(tmpdir(), 'pp-trace-'));
  try {
    execFileSync(cli, ['run', 'thread-pool', '--workers', '3', '--tasks', '5', '--scale', '0.05', '--trace', join(dir, 't.json')]);
    const nativeEvents = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')).traceEvents;
    const shape = (events) => [...new Set(events.map((e) => `${e.ph}:${e.cat ?? e.name}:${Object.keys(e).sort().join(',')}`))].sort();
    assert.deepEqual(shape(browserEvents), shape(nativeEvents), 'the same kinds of events with the same fields');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// CRC-32 as PNG uses it, bit by bit (independent of the app's table-driven one).
function crc32(bytes) {
  let crc = 0xFFFFFFFF;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xEDB88320 & -(crc & 1));
  }
  return (crc ^ 0xFFFFFFFF) >>> 0;
}

function decodePng(bytes) {
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], 'PNG signature');
  const chunks = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    assert.equal(bytes.readUInt32BE(at + 8 + length), crc32(bytes.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  assert.deepEqual([chunks[0].type, chunks.at(-1).type], ['IHDR', 'IEND']);
  const width = chunks[0].data.readUInt32BE(0), height = chunks[0].data.readUInt32BE(4);
  assert.deepEqual([...chunks[0].data.subarray(8)], [8, 6, 0, 0, 0], '8-bit RGBA, not interlaced');
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));  // zlib checks Adler-32
  assert.equal(raw.length, height * (1 + 4 * width), 'one filter byte and 4 bytes per pixel on every row');
  return { width, height, raw };
}

test('Embed.ExportsDownloadWellFormed.3threads', TEST_TIMEOUT, async () => {
  await withPage({}, async (page) => {
    await page.goto(`${server.url}?lesson=thread-pool&workers=3&tasks=5&scale=0.05&autorun=1`);
    await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the run to finish' });

    const trace = await download(page, 'export_trace');
    assert.equal(trace.name, 'thread-pool-trace.json');
    const { traceEvents } = JSON.parse(trace.bytes.toString('utf8'));
    assert.ok(Array.isArray(traceEvents) && traceEvents.length > 0, 'a traceEvents array');
    for (const e of traceEvents) {
      assert.equal(typeof e.ph, 'string', JSON.stringify(e));
      assert.ok(Number.isInteger(e.pid) && Number.isInteger(e.tid), `pid/tid: ${JSON.stringify(e)}`);
      if (e.ph !== 'M') assert.ok(Number.isFinite(e.ts) && e.ts >= 0, `ts: ${JSON.stringify(e)}`);
      if (e.ph === 'X') assert.ok(Number.isFinite(e.dur) && e.dur >= 0, `dur: ${JSON.stringify(e)}`);
    }
    assertSpansNest(traceEvents);
    const tasks = traceEvents.filter((e) => e.ph === 'X' && e.cat === 'TaskRun' && e.name === 'task');
    assert.deepEqual(tasks.map((e) => e.args.detail).sort(), ['1', '2', '3', '4', '5'], "the lesson's five tasks, with their arguments");
    const threadNames = traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args.name);
    assert.ok(threadNames.includes('MainThread'), threadNames.join());
    // On pool threads (how many of the three get a task depends on how fast the browser starts them).
    const nameOf = (tid) => traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid === tid)?.args.name;
    const taskThreads = new Set(tasks.map((e) => nameOf(e.tid)));
    assert.ok(taskThreads.size >= 1 && taskThreads.size <= 3, [...taskThreads].join());
    assert.ok([...taskThreads].every((name) => /^ThreadPoolExecutor/.test(name)), [...taskThreads].join());
    assert.equal(traceEvents.filter((e) => e.ph === 'X' && e.cat === 'Sleep').length, 5, 'each task slept once');
    assertSameSchemaAsNativeRun(traceEvents);

    const timeline = (await waitForState(page, (s) => s.widgets.timeline)).widgets.timeline;
    const png = await download(page, 'export_png');
    assert.equal(png.name, 'thread-pool-timeline.png');
    const image = decodePng(png.bytes);
    const scale = await page.evaluate(() => window.devicePixelRatio);
    assert.ok(Math.abs(image.width - timeline[2] * scale) <= 2 && Math.abs(image.height - timeline[3] * scale) <= 2,
              `the picture (${image.width}x${image.height}) is the timeline (${timeline[2]}x${timeline[3]})`);
    assert.ok(png.bytes.length > 20_000, `${png.bytes.length} bytes`);
    const colours = new Set();
    for (let y = 0; y < image.height; y += 3)
      for (let x = 0; x < image.width; x += 3) colours.add(image.raw.readUInt32BE(y * (1 + 4 * image.width) + 1 + 4 * x));
    assert.ok(colours.size >= 4, `the picture shows something: ${colours.size} colours`);
    writeFileSync(join(SCREENSHOT_DIR, 'exported-timeline.png'), png.bytes);

    const text = await download(page, 'export_console');
    assert.equal(text.name, 'thread-pool-console.txt');
    const lines = text.bytes.toString('utf8').trimEnd().split('\n');
    assert.match(lines[1], /^# settings: lesson=thread-pool&workers=3&tasks=5&scale=0\.05/);
    assert.deepEqual(lines.slice(2).map((line) => line.replace(/^\s*[\d.]+ s\s+/, '')),
                     ['Number: 1', 'Number: 2', 'Number: 3', 'Number: 4', 'Number: 5']);
  });
});
