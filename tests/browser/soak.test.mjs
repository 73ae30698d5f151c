// Soak.*: one page, used for a long time. Every lesson run again and again (memory must stay
// flat, no page error), and the process panel's Kill and Crash buttons used over and over (each
// run ends with a clear error, the next run works).
//
// Short form in the normal browser layer; PP_SOAK=long for the figures:
//   PP_SOAK=long NODE_PATH=/usr/share/nodejs node --test tests/browser/soak.test.mjs
// (every lesson 30 times, and the two buttons 100 times).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { clickWidget, launchBrowser, startServer, waitForState, watchConsole } from './harness.mjs';

const LONG = process.env.PP_SOAK === 'long';
const LESSON_ROUNDS = LONG ? 30 : 2;
const BUTTON_DEEDS = LONG ? 100 : 4;
const TEST_TIMEOUT = { timeout: LONG ? 4 * 3600_000 : 600_000 };
// Fast settings for the lessons that take them (a lesson ignores the ones it does not use).
const LESSONS = ['program', 'process', 'thread', 'start-join', 'multithreading', 'multiprocessing', 'thread-pool',
                 'process-pool', 'use-cases', 'takeaways'];
const FAST = 'scale=0.05&sleep=0.1';

let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); server?.stop(); });

// The page's JS heap after a full garbage collection, and its WebAssembly memory, in bytes.
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const wasm = await page.evaluate(() => wasmMemory.buffer.byteLength);  // kept by name (CMakeLists, pp_minify_js)
  return { js: usedSize, wasm };
}
const mib = (bytes) => (bytes / 1048576).toFixed(2);

// Starts a run of `id` in this page (src/main_app.cpp: pp_test_run_lesson) and waits for its end.
async function runInPage(page, id, query = FAST) {
  const before = await waitForState(page, () => true);
  const started = await page.evaluate((q) => Module.ccall('pp_test_run_lesson', 'number', ['string'], [q]), `lesson=${id}&${query}`);
  assert.equal(started, 1, `lesson ${id} did not start`);
  const run = before.lesson.id === id ? before.lesson.run + 1 : 1;
  return waitForState(page, (s) => s.lesson.id === id && s.lesson.run >= run && ['done', 'failed', 'stopped'].includes(s.lesson.state),
    { timeout: 120_000, what: `lesson ${id} to finish` });
}

test('Soak.EveryLessonAgainAndAgainInOnePage.flatMemory', TEST_TIMEOUT, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const lines = watchConsole(page);
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
    const start = await memory(page, cdp);
    let runs = 0, failed = [];
    const rounds = [];  // memory after each round; after the first, every lesson has made its pools, threads, buffers
    const started = Date.now();
    for (let round = 0; round < LESSON_ROUNDS; round++) {
      for (const id of LESSONS) {
        const state = await runInPage(page, id);
        runs++;
        if (state.lesson.state !== 'done') failed.push(`${id} (round ${round + 1}): ${state.lesson.state} ${state.lesson.error}`);
      }
      rounds.push(await memory(page, cdp));
    }
    const warm = rounds[0], end = rounds.at(-1);
    const errors = lines.filter((line) => line.startsWith('[pageerror]'));
    console.log(`# soak lessons: ${runs} runs (${LESSONS.length} lessons x ${LESSON_ROUNDS}) in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
                `failed ${failed.length}; page errors ${errors.length}; JS heap ${mib(start.js)} MiB at start, ${mib(warm.js)} after ` +
                `round 1, ${mib(end.js)} at the end; wasm memory ${mib(start.wasm)} / ${mib(warm.wasm)} / ${mib(end.wasm)} MiB`);
    console.log(`# soak lessons: JS heap after each round (MiB): ${rounds.map((r) => mib(r.js)).join(' ')}`);
    assert.deepEqual(failed, [], 'every run ends done');
    assert.deepEqual(errors, [], 'no page error');
    // Flat after the first round: the wasm memory never grows again (it cannot shrink), the JS heap
    // (after a full collection) stays within 10 % plus 1 MiB of its size then.
    assert.ok(end.wasm <= warm.wasm, `wasm memory grew from ${warm.wasm} to ${end.wasm} bytes`);
    assert.ok(end.js <= warm.js * 1.1 + 1048576, `JS heap grew from ${warm.js} to ${end.js} bytes`);
  } catch (error) {
    error.message += `\nconsole:\n${lines.slice(-40).join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
});

const children = (state) => state.processes.filter((p) => !p.self);

test('Soak.KillAndCrashButtonsOverAndOver.3processes', TEST_TIMEOUT, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const lines = watchConsole(page);
  try {
    // Tasks that sleep 4 s: time to press a button while all three workers run one.
    const slow = 'workers=3&tasks=5&sleep=4&scale=1';
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
    const counts = { kill: 0, crash: 0, clearError: 0, otherEnd: 0 };
    const started = Date.now();
    for (let deed = 0; deed < BUTTON_DEEDS; deed++) {
      const name = deed % 2 === 0 ? 'kill' : 'crash';
      await page.evaluate((q) => Module.ccall('pp_test_run_lesson', 'number', ['string'], [q]), `lesson=process-pool&${slow}`);
      const running = await waitForState(page,
        (s) => s.lesson.state === 'running' && children(s).filter((p) => p.state === 'running').length === 3,
        { what: `three running processes (deed ${deed + 1})` });
      if (deed === 0) await clickWidget(page, 'tab_processes');  // it stays open for the later runs
      const pid = children(running).find((p) => p.state === 'running').pid;
      await clickWidget(page, `${name}_${pid}`);
      counts[name]++;
      const ended = await waitForState(page, (s) => s.lesson.run === running.lesson.run && s.lesson.state !== 'running',
        { timeout: 60_000, what: `the run to end after ${name} (deed ${deed + 1})` });
      const how = name === 'kill' ? /was killed \(Worker\.terminate\(\)/ : /crashed \(RuntimeError: unreachable/;
      if (ended.lesson.state === 'failed' && new RegExp(`^BrokenProcessPool: worker pid ${pid} `).test(ended.lesson.error) &&
          how.test(ended.lesson.error)) counts.clearError++;
      else counts.otherEnd++, lines.push(`[soak] deed ${deed + 1} (${name}) ended ${ended.lesson.state}: ${ended.lesson.error}`);
    }
    // And the next run works.
    const done = await runInPage(page, 'process-pool', 'workers=3&tasks=5&scale=0.05');
    const errors = lines.filter((line) => line.startsWith('[pageerror]'));
    console.log(`# soak buttons: ${BUTTON_DEEDS} deeds (Kill ${counts.kill}, Crash ${counts.crash}) in ` +
                `${((Date.now() - started) / 1000).toFixed(0)} s; ended with BrokenProcessPool naming the pid and how: ` +
                `${counts.clearError}; otherwise: ${counts.otherEnd}; next run: ${done.lesson.state} ` +
                `${JSON.stringify(done.lesson.console)}; page errors ${errors.length}`);
    assert.equal(counts.clearError, BUTTON_DEEDS, 'every run ends with a clear error');
    assert.equal(done.lesson.state, 'done');
    assert.deepEqual(done.lesson.console, ['1', '4', '9', '16', '25']);
    assert.deepEqual(errors, [], 'no page error');
  } catch (error) {
    error.message += `\nconsole:\n${lines.slice(-40).join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
});
