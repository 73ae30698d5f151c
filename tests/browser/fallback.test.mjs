// Fallback.*: a page that is not cross-origin isolated (a plain static host, an iframe in a course
// page) runs the single-threaded build: threads are fibers under a deterministic scheduler on the
// main thread. The same lessons run, with their timelines, and a run repeats exactly. Processes
// are browser processes, as in the isolated page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, assertChildChangedOnlyItsOwnCounter, assertSquareAndCubeInterleaved, clickWidget, launchBrowser, mostAtOnce, runThreadsDemoAndCheck, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };
let browser, server;
// A host that sends no isolation headers; ?coi-sw=0 keeps the service worker from fixing that.
before(async () => { browser = await launchBrowser(); server = await startServer({ isolationHeaders: false }); });
after(async () => { await browser?.close(); server?.stop(); });

// Opens the not-isolated page at `?coi-sw=0&query` and checks that it is the labelled fallback.
async function openFallback(query) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const console = watchConsole(page);
  page.consoleLines = console;
  await page.goto(`${server.url}?coi-sw=0&${query}`);
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
  assert.equal(await page.evaluate(() => typeof SharedArrayBuffer), 'undefined', 'no shared memory here');
  const banner = page.locator('#fallback-banner');
  await banner.waitFor({ state: 'visible', timeout: 15_000 });
  assert.match(await banner.innerText(),
    /Single-threaded fallback: this page is not cross-origin isolated, so threads are simulated by a cooperative, deterministic scheduler on one core; timings are not real parallelism\. Open in a new tab for real threads\./);
  const newTab = new URL(await page.locator('#fallback-open-in-tab').getAttribute('href'));
  assert.equal(newTab.searchParams.get('coi-sw'), null, 'the new tab may isolate itself');
  assert.equal(newTab.searchParams.get('lesson'), new URLSearchParams(query).get('lesson'), 'the new tab opens the same lesson');
  return page;
}

// Runs `check` on an open page, then closes it; a failure carries the page's console.
async function checkThenClose(page, check) {
  try {
    await check();
  } catch (error) {
    error.message += `\nconsole:\n${page.consoleLines.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
}

// Runs a lesson with autorun to its end; returns its state.
async function runLesson(query, { timeout = 60_000 } = {}) {
  const page = await openFallback(query);
  try {
    const state = await waitForState(page, (s) => ['done', 'failed', 'stopped'].includes(s.lesson.state),
      { what: 'the lesson to finish', timeout, everyMs: timeout > 60_000 ? 1000 : 100 });
    assert.equal(state.single_threaded, true, 'the single-threaded build runs it');
    return { page, state: state.lesson };
  } catch (error) {
    error.message += `\nconsole:\n${page.consoleLines.join('\n')}`;
    await page.close();
    throw error;
  }
}

const spans = (lane, kind) => lane.events.filter(([k]) => k === kind);

test('Fallback.ThreadPoolRunsWithTimeline.3threads', TEST_TIMEOUT, async () => {
  const { page, state } = await runLesson('lesson=thread-pool&tasks=5&workers=3&scale=0.1&autorun=1');
  assert.equal(state.state, 'done', state.error);
  assert.deepEqual(state.console, ['Number: 1', 'Number: 2', 'Number: 3', 'Number: 4', 'Number: 5'], 'results in input order');
  const workers = state.lanes.filter((l) => l.name.startsWith('ThreadPoolExecutor-'));
  assert.deepEqual(workers.map((w) => w.name).sort(), ['ThreadPoolExecutor-0_0', 'ThreadPoolExecutor-0_1', 'ThreadPoolExecutor-0_2'],
    'one lane per simulated worker thread');
  assert.equal(new Set(state.lanes.map((l) => l.tid)).size, state.lanes.length, 'each lane its own thread id');
  // Five tenth-of-a-second sleeps on three workers: two rounds on the virtual clock, as in Python.
  const runs = workers.flatMap((w) => spans(w, 'TaskRun'));
  assert.equal(runs.length, 5);
  assert.deepEqual(runs.map(([, begin]) => begin).sort((a, b) => a - b), [0, 0, 0, 100, 100]);
  for (const w of workers) for (const [, begin, end] of spans(w, 'Sleep')) assert.equal(end - begin, 100);
  const [main] = spans(state.lanes.find((l) => l.name === 'MainThread'), 'TaskRun');
  assert.equal(main[2] - main[1], 200, 'the main program took two rounds of sleeps');
  await page.waitForTimeout(300);  // let the final timeline frame draw
  await page.screenshot({ path: join(SCREENSHOT_DIR, 'fallback-thread-pool.png') });
  await page.close();
});

test('Fallback.ConsoleAndTimelineShareOneVirtualClock.3threads', TEST_TIMEOUT, async () => {
  // Time here is virtual: the console and the timeline read the same clock, and both say so.
  const { page, state } = await runLesson('lesson=thread&workers=3&autorun=1');
  await checkThenClose(page, async () => {
    assert.equal(state.state, 'done', state.error);
    assert.equal(state.virtual_time, true);
    const lastLine = state.console_ms.at(-1);
    // The last line is printed just before the main program ends, which ends the timeline.
    assert.ok(Math.abs(lastLine - state.timeline_end_ms) <= 17,
      `last console line at ${lastLine} ms, timeline ends at ${state.timeline_end_ms} ms`);
    assert.ok(Math.abs(state.elapsed_ms - state.timeline_end_ms) <= 17, `run ${state.elapsed_ms} ms vs ${state.timeline_end_ms} ms`);
  });
});

test('Fallback.SameRunSameEvents.3threads', TEST_TIMEOUT, async () => {
  // The thread lesson's lost updates depend on exactly where threads switch: with real threads
  // they vary from run to run; here two runs must switch at the same points and agree entirely.
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const { page, state } = await runLesson('lesson=thread&workers=3&autorun=1');
    assert.equal(state.state, 'done', state.error);
    runs.push(state);
    await page.close();
  }
  const [first, second] = runs;
  const without = (s) => s.console.find((l) => l.startsWith('Without a lock:'));
  assert.match(without(first), /Without a lock: \d+ of 60000 increments counted \(\d*[1-9]\d* lost\)/, 'updates were lost');
  assert.match(first.console.find((l) => l.startsWith('With a lock:')), /60000 of 60000 increments counted \(0 lost\)/);
  assert.equal(without(second), without(first), 'the same updates were lost');
  const events = (s) => s.lanes.map((l) => [l.name, l.tid, l.events]);
  assert.deepEqual(events(second), events(first), 'the same events, in the same order, at the same virtual times');
});

test('Fallback.FirstThreadsDemoCountsPrimes.4threads', TEST_TIMEOUT, async () => {
  const page = await openFallback('');
  await checkThenClose(page, async () => {
    await runThreadsDemoAndCheck(page, 'fallback-threads-demo.png');
  });
});

test('Fallback.PageStaysResponsiveAndStops.2threads', TEST_TIMEOUT, async () => {
  // CPU-bound fibers share the main thread with the page: the scheduler runs them a slice per
  // frame, so frames keep coming and the Stop button still works mid-computation.
  const page = await openFallback('lesson=use-cases&workers=2&tasks=4&scale=0.1&autorun=1');
  await checkThenClose(page, async () => {
    const busy = await waitForState(page, (s) => s.lesson.state === 'running' &&
      s.lesson.console.some((l) => /^I\/O-bound: processes +2 workers/.test(l)), { what: 'the CPU-bound part' });
    // Ten more frames while the CPU-bound fibers still run: a fact about the page, not a frame
    // rate (a busy machine draws fewer per second). Fibers that kept the main thread would let
    // no frame through before the run ended.
    const later = await waitForState(page, (s) => s.frame >= busy.frame + 10, { what: 'ten frames during the CPU work', timeout: 30_000 });
    assert.equal(later.lesson.state, 'running', `still computing after ${later.frame - busy.frame} frames`);
    await clickWidget(page, 'stop');
    const stopped = await waitForState(page, (s) => s.lesson.state === 'stopped', { what: 'the stop', timeout: 15_000 });
    assert.ok(!stopped.lesson.console.some((l) => l.startsWith('Speedup')), 'the run ended early');
  });
});

// Browser processes need no shared memory: Web Workers with their own instances, bytes by
// postMessage. Here the transport's thread is a fiber, and replies come through the main thread.
const processLanes = (lesson) => lesson.lanes.filter((l) => l.pid !== 1);

test('Fallback.ProcessPoolRunsInWorkers.3procs', TEST_TIMEOUT, async () => {
  const { page, state } = await runLesson('lesson=process-pool&scale=0.1&autorun=1');
  await checkThenClose(page, async () => {
    assert.equal(state.state, 'done', state.error);
    assert.deepEqual(state.console, ['1', '4', '9', '16', '25'], 'results in input order');
    const lanes = processLanes(state);
    const pids = [...new Set(lanes.map((l) => l.pid))];
    assert.equal(pids.length, 3, `max_workers=3 processes: ${JSON.stringify(pids)}`);
    const runs = lanes.flatMap((l) => spans(l, 'TaskRun'));
    assert.equal(runs.length, 5);
    assert.equal(mostAtOnce(runs), 3, `three at once (real Web Workers), in two rounds: ${JSON.stringify(lanes.map((l) => [l.pid, spans(l, 'TaskRun')]))}`);
    // The workers stamp real time from the page's clock at their start; the page's clock is
    // virtual, kept in step while it waits: their runs fall inside the page's run of the lesson.
    const [main] = spans(state.lanes.find((l) => l.name === 'MainThread'), 'TaskRun');
    for (const [, begin, end] of runs)
      assert.ok(begin >= main[1] - 50 && end <= main[2] + 50, `process run ${begin}..${end} ms inside the lesson's ${main[1]}..${main[2]} ms`);
    const procs = (await page.evaluate(() => window.ppProcesses())).filter((p) => pids.includes(p.pid));
    assert.deepEqual(procs.map((p) => p.how), Array(3).fill('exited with code 0'), 'shutdown stopped every worker');
    assert.ok(procs.every((p) => !p.relayed), 'no relay thread in this page: frames go through the main thread');
  });
});

test('Fallback.ProcessChildHasItsOwnMemory.1proc', TEST_TIMEOUT, async () => {
  const { page, state } = await runLesson('lesson=process&autorun=1');
  await checkThenClose(page, async () => {
    assert.equal(state.state, 'done', state.error);
    const child = assertChildChangedOnlyItsOwnCounter(state.console);
    const [proc] = (await page.evaluate(() => window.ppProcesses())).filter((p) => p.pid === +child);
    assert.equal(proc?.how, 'exited with code 0');
  });
});

test('Fallback.MultiprocessingInterleavesByTime.2procs', TEST_TIMEOUT, async () => {
  const { page, state } = await runLesson('lesson=multiprocessing&scale=0.2&autorun=1');
  await checkThenClose(page, async () => {
    assert.equal(state.state, 'done', state.error);
    assertSquareAndCubeInterleaved(state.console);
    const runs = processLanes(state).flatMap((l) => spans(l, 'TaskRun'));
    assert.equal(runs.length, 2, 'two child processes ran');
    assert.equal(mostAtOnce(runs), 2, `the two processes ran at the same time: ${JSON.stringify(runs)}`);
    assert.equal(new Set(processLanes(state).map((l) => l.pid)).size, 2, 'on two pids');
  });
});

test('Fallback.UseCasesRunsItsProcessRuns.2procs', { timeout: 240_000 }, async () => {
  // The use-case table in this page: threads measured on the virtual clock (one core), processes
  // in real time (real Web Workers), the last run's tiles labelled by the processes' pids. Every
  // point is a warm-up and three runs, and simulated threads share the page's main thread with
  // its frames: the longest run of these tests.
  const { page, state } = await runLesson('lesson=use-cases&workers=2&tasks=4&scale=0.05&autorun=1', { timeout: 200_000 });
  await checkThenClose(page, async () => {
    assert.equal(state.state, 'done', state.error);
    for (const name of ['I/O-bound: processes', 'CPU-bound: processes'])
      assert.deepEqual(state.measurements.filter(([s]) => s === name).map(([, workers]) => workers), [1, 2], name);
    assert.ok(!state.console.some((l) => /skipped/.test(l)), state.console.join('\n'));
    assert.equal(state.tiles.done, state.tiles.total, 'every tile of the last run was blurred');
    assert.equal(state.tiles.workers.length, 2, 'by two processes');
    assert.ok(state.tiles.workers.every((w) => /^pid \d+$/.test(w) && w !== 'pid 1'), JSON.stringify(state.tiles.workers));
  });
});

test('Fallback.InsideIframeOfPlainPage.3threads', TEST_TIMEOUT, async () => {
  // A course page embeds the playground. Without Document-Isolation-Policy (Firefox, Safari, or a
  // host that does not send it), an iframe of a page that is not isolated cannot be, even from a
  // host that sends COOP/COEP, and the service worker cannot change that: the fallback runs the
  // lesson inside the frame. (With DIP, chromium isolates the frame: Embed.* tests that.)
  const isolatedHost = await startServer({ documentIsolationPolicy: false });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const src = `${isolatedHost.url}?lesson=thread-pool&tasks=4&workers=2&scale=0.1&autorun=1`;
    await page.setContent(`<h1>Course page</h1><iframe src="${src}" width="1200" height="680"></iframe>`);
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await frame.waitForFunction(() => window.ppTestState && window.ppTestState()?.lesson?.state === 'done', null,
      { timeout: 60_000, polling: 200 });
    assert.equal(await frame.evaluate(() => window.crossOriginIsolated), false);
    assert.equal(await frame.locator('#fallback-banner').isVisible(), true);
    const state = await frame.evaluate(() => window.ppTestState());
    assert.equal(state.single_threaded, true);
    assert.deepEqual(state.lesson.console, ['Number: 1', 'Number: 2', 'Number: 3', 'Number: 4']);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'fallback-iframe.png') });
  } finally {
    await page.close();
    isolatedHost.stop();
  }
});
