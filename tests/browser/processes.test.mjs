// Process.*: the page's browser processes (Web Workers, each its own WebAssembly instance) under
// faults and load, through the page's self-checks (src/platform/web/process_selftest.cpp).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, runProcessSelftest, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };
let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); server?.stop(); });

// Opens the page, runs one self-check on a pthread of the page, returns its JSON result.
async function selfCheck(name) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 650 } });
  const console = watchConsole(page);
  try {
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
    return { page, result: await runProcessSelftest(page, name), console };
  } catch (error) {
    error.message += `\nconsole:\n${console.join('\n')}`;
    await page.close();
    throw error;
  }
}

for (const [check, what] of [['crash-abort', /Aborted\(/], ['crash-trap', /unreachable/]]) {
  test(`Process.TaskThatCrashesBreaksItsPoolOnly.${check}`, TEST_TIMEOUT, async () => {
    const { page, result } = await selfCheck(check);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.crash_error, 'BrokenProcessPool', JSON.stringify(result));
    assert.match(result.crash_message, /^worker pid \d+ crashed \(.*\); its WebAssembly instance was discarded while running a task; the process pool is broken$/);
    assert.match(result.crash_message, what);
    assert.equal(result.submit_after, 'BrokenProcessPool', 'a broken pool refuses new tasks');
    assert.deepEqual(result.new_pool, [1, 4, 9, 16, 25], 'a new pool works afterwards');
    const procs = await page.evaluate(() => window.ppProcesses());
    const crashed = procs.filter((p) => p.state === 'ended' && /crashed|RuntimeError|Aborted|unreachable/.test(p.how));
    assert.ok(crashed.length >= 1, `the page recorded the crash: ${JSON.stringify(procs)}`);
    assert.ok(procs.some((p) => p.how.startsWith('was killed')), 'the broken pool\'s other worker was terminated');
    await page.close();
  });
}

test('Process.WorkerThatNeverAnswersCannotHangShutdown.1proc', TEST_TIMEOUT, async () => {
  const { page, result } = await selfCheck('hang');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.hang_error, 'BrokenProcessPool', JSON.stringify(result));
  assert.match(result.hang_message, /^worker pid \d+ was terminated \(Worker\.terminate\(\), reported as SIGTERM\) by shutdown\(\), after the 300 ms grace period/);
  assert.ok(result.shutdown_ms < 5000, `shutdown took ${result.shutdown_ms} ms`);
  await page.close();
});

test('Process.LiveWorkerReportsItsPidAndMemory.3procs', TEST_TIMEOUT, async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 650 } });
  await page.goto(`${server.url}?lesson=process-pool&scale=1&autorun=1`);  // about 2 s of work
  await waitForState(page, (s) => s.lesson.state === 'running', { what: 'the run' });
  const deadline = Date.now() + 20_000;
  let running = [];
  while (running.length < 3 && Date.now() < deadline) {
    running = (await page.evaluate(() => window.ppProcesses ? window.ppProcesses() : [])).filter((p) => p.state === 'running');
    await page.waitForTimeout(50);
  }
  assert.equal(running.length, 3, 'three live workers');
  const answers = await page.evaluate((pids) => Promise.all(pids.map((pid) => window.ppProcessInfo(pid))), running.map((p) => p.pid));
  for (const [i, answer] of answers.entries()) {
    assert.equal(answer.pid, running[i].pid, 'the worker knows the pid the page gave it');
    assert.ok(answer.memoryBytes >= 1 << 20, `its own memory: ${answer.memoryBytes} bytes`);
  }
  await page.close();
});

// Once its first frame is up, a page that shows no process lesson readies one browser process
// (src/main_app.cpp): the first process of a pool takes that worker instead of starting one, and
// after a spawn the page keeps four ready for the next pool. A course page's frame (embed=1)
// readies none for a thread lesson.
test('Process.PageReadiesOneSpareAfterItsFirstFrame.1proc', TEST_TIMEOUT, async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 650 } });
  await page.goto(`${server.url}?lesson=thread-pool`);
  await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
  await page.waitForFunction(() => window.ppProcessSpares?.() === 1, null, { timeout: 20_000 });
  assert.deepEqual(await page.evaluate(() => window.ppProcesses()), [], 'no process yet: the spare is not one');
  const result = await runProcessSelftest(page, 'spawn-2');
  assert.equal(result.error, undefined, result.error);
  const procs = await page.evaluate(() => window.ppProcesses());
  assert.deepEqual(procs.map((p) => p.fromSpare), [true, false], `the first took the spare: ${JSON.stringify(procs)}`);
  await page.waitForFunction(() => window.ppProcessSpares() === 4, null, { timeout: 20_000 });
  await page.goto(`${server.url}?lesson=thread-pool&embed=1`);
  await waitForState(page, (s) => s.frame > 10, { what: 'ten frames' });
  assert.equal(await page.evaluate(() => typeof window.ppProcessSpares), 'undefined', 'no process readied in a frame');
  await page.close();
});

test('Process.MeasuredFigures.4procs', TEST_TIMEOUT, async () => {
  const { page, result } = await selfCheck('bench');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.map_ok, true, 'map of 10k tasks returned every result, in order');
  console.log(`# browser processes: ${JSON.stringify(result)}`);
  await page.close();
});

// A page out of memory: malloc() returns 0 under ALLOW_MEMORY_GROWTH. Forced here (a real one
// takes gigabytes) through pp_web_alloc (web_worker_transport.cpp), which every copy from JS asks.
test('Process.ReplyWithNoMemoryOnThePageFailsItsTaskOnly.1process', TEST_TIMEOUT, async () => {
  const { page, result } = await selfCheck('reply-oom');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.before, 4);
  assert.equal(result.lost_error, 'RemoteTaskError', `the task fails at once with a clear error: ${JSON.stringify(result)}`);
  assert.equal(result.lost_type, 'std::bad_alloc');
  assert.match(result.lost_message, /^the page ran out of memory receiving this task's reply \(\d+ bytes\) from browser process \d+/);
  assert.equal(result.low_memory_unchanged, true, 'nothing was written at address 0');
  assert.equal(result.after, 64, 'the same pool runs the next task');
  assert.equal(result.broken, false);
  await page.close();
});

test('Program.ImageWithNoMemoryIsUnknownAndWritesNothing', TEST_TIMEOUT, async () => {
  const { page, result } = await selfCheck('image-oom');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.starved_location, '');
  assert.equal(result.low_memory_unchanged, true, 'nothing was written at address 0');
  assert.match(result.location, /playground\.wasm$/);
  await page.close();
});

// Natively a task may start a pool of its own (as in Python); a browser process cannot start Web
// Workers, and says so.
test('Process.TaskThatStartsAPoolGetsAClearError.1process', TEST_TIMEOUT, async () => {
  const { page, result } = await selfCheck('nested-pool');
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.nested_error, 'RemoteTaskError', JSON.stringify(result));
  assert.match(result.nested_message, /cannot start processes of its own: only the page can create Web Workers/);
  assert.equal(result.after, 64, 'the pool carries on');
  await page.close();
});
