// ProcessPanel.*: the Processes tab in the page. It lists every browser process (pid, state, its
// own copy of a variable); its Crash and Kill buttons end one mid-task: the lesson reports
// BrokenProcessPool, the page keeps drawing, and the next run works. Plus the watchdog that ends a
// worker which never answers.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SCREENSHOT_DIR, clickWidget, launchBrowser, runProcessSelftest, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 150_000 };
let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); server?.stop(); });

const children = (state) => state.processes.filter((p) => !p.self);

// Opens a lesson with autorun and waits until `count` browser processes run a task.
async function openRunning(query, count, viewport = { width: 1280, height: 720 }) {
  const page = await browser.newPage({ viewport });
  const console = watchConsole(page);
  await page.goto(`${server.url}?${query}&autorun=1`);
  const state = await waitForState(page, (s) => children(s).filter((p) => p.state === 'running').length === count,
    { what: `${count} running processes` });
  await clickWidget(page, 'tab_processes');
  return { page, console, state };
}

// Clicks Kill or Crash on the first running process; returns its pid.
async function endFirstFromPanel(page, state, deed) {
  const pid = children(state).find((p) => p.state === 'running').pid;
  await clickWidget(page, `${deed}_${pid}`);
  return pid;
}

for (const [deed, ended, how] of [['crash', 'crashed', /crashed \(RuntimeError: unreachable/], ['kill', 'killed', /was killed \(Worker\.terminate\(\)/]]) {
  test(`ProcessPanel.${deed[0].toUpperCase() + deed.slice(1)}ButtonBreaksThePoolAndANewRunWorks.3procs`, TEST_TIMEOUT, async () => {
    const { page, console, state } = await openRunning('lesson=process-pool&sleep=4&scale=1', 3);
    try {
      // The panel's rows: the page is pid 1; each worker has its own g_squared, the page's is 0.
      assert.equal(state.processes[0].pid, 1);
      assert.equal(state.processes[0].self, true);
      const pids = children(state).map((p) => p.pid);
      assert.equal(new Set(pids).size, 3);
      assert.ok(pids.every((pid) => pid > 1), JSON.stringify(pids));
      const running = await waitForState(page, (s) => children(s).filter((p) => p.variables.length === 1).length === 3,
        { what: 'each worker publishing g_squared' });
      assert.deepEqual(running.processes[0].variables.map((v) => [v.name, v.value]), [['g_squared', 0]]);
      // Each copy counts only the tasks its own worker took (on a busy machine the first worker
      // may be on its second task before the third starts): shared memory would show one count in
      // every row, adding up to more than the 5 tasks there are.
      for (const p of children(running)) {
        assert.equal(p.task, 'process_pool.square');
        assert.deepEqual(p.variables.map((v) => v.name), ['g_squared']);
        assert.ok(p.variables[0].value >= 1, `its own copy counted its own task: ${JSON.stringify(p.variables)}`);
        assert.ok(p.messages_sent >= 1 && p.bytes_sent > 0, JSON.stringify(p));
      }
      const counted = children(running).reduce((sum, p) => sum + p.variables[0].value, 0);
      assert.ok(counted <= 5, `the copies together counted ${counted} of 5 tasks: ${JSON.stringify(children(running))}`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `process-panel-${deed}-1280.png`) });

      const pid = await endFirstFromPanel(page, running, deed);
      const failed = await waitForState(page, (s) => s.lesson.state === 'failed', { timeout: 30_000, what: 'the run to fail' });
      assert.match(failed.lesson.error, new RegExp(`^BrokenProcessPool: worker pid ${pid} `));
      assert.match(failed.lesson.error, how);
      const row = failed.processes.find((p) => p.pid === pid);
      assert.equal(row.state, ended);
      assert.match(row.how, how);
      // The pool ended its other workers (Python does the same); the page kept drawing.
      const frame = failed.frame;
      await waitForState(page, (s) => s.frame > frame + 10, { what: 'frames after the crash' });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `process-panel-${deed}-after-1280.png`) });

      // A new run works: new processes, the tutorial's results.
      await clickWidget(page, 'run');
      const done = await waitForState(page, (s) => s.lesson.run === failed.lesson.run + 1 && s.lesson.state === 'done',
        { timeout: 60_000, what: 'the next run' });
      assert.deepEqual(done.lesson.console, ['1', '4', '9', '16', '25']);
      assert.ok(children(done).every((p) => !pids.includes(p.pid)), 'new processes, new pids');
      assert.ok(children(done).every((p) => p.state === 'exited'), JSON.stringify(children(done)));
    } catch (error) {
      error.message += `\nconsole:\n${console.join('\n')}`;
      throw error;
    } finally {
      await page.close();
    }
  });
}

test('ProcessPanel.CrashingProcessIsReported.2procs', TEST_TIMEOUT, async () => {
  // multiprocessing: two pp::Process children (no pool). Crash the first while it sleeps. As in
  // Python, the parent's join() returns and the run goes on: the panel says how the child ended,
  // and the other child runs to its end.
  const { page, state } = await openRunning('lesson=multiprocessing&sleep=2&scale=1', 2, { width: 800, height: 500 });
  try {
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'process-panel-800.png') });
    const [first, second] = children(state);
    await clickWidget(page, `crash_${first.pid}`);
    const done = await waitForState(page, (s) => s.lesson.state !== 'running', { timeout: 60_000, what: 'the run to end' });
    assert.equal(done.lesson.state, 'done', done.lesson.error);
    const rows = Object.fromEntries(children(done).map((p) => [p.pid, p]));
    assert.equal(rows[first.pid].state, 'crashed');
    assert.match(rows[first.pid].how, /^crashed \(RuntimeError: unreachable/);
    assert.equal(rows[second.pid].state, 'exited', 'the other process ran to its end');
    assert.equal(rows[second.pid].variables[0].value, 4, 'its own i reached 4');
    // cube printed all its lines; square, crashed mid-sleep, not its last one.
    assert.ok(done.lesson.console.includes('64'), done.lesson.console.join(' '));
    assert.ok(!done.lesson.console.includes('16'), done.lesson.console.join(' '));
  } finally {
    await page.close();
  }
});

test('ProcessPanel.ThreadsShareOneCounter.3threads', TEST_TIMEOUT, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  try {
    await page.goto(`${server.url}?lesson=thread&workers=3&autorun=1`);
    const done = await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the run' });
    const self = done.processes[0];
    assert.equal(self.self, true);
    const counters = self.variables.filter((v) => v.name === 'counter');
    const mine = self.variables.filter((v) => v.name === 'my_increments');
    assert.equal(counters.length, 6, 'three threads per round, two rounds');
    assert.equal(new Set(counters.map((v) => v.address)).size, 1, 'one counter, at one address, for every thread');
    // Threads of one round run at once, each on its own stack (a later round may reuse a stack).
    for (const round of [mine.slice(0, 3), mine.slice(3)])
      assert.equal(new Set(round.map((v) => v.address)).size, 3, `each thread its own stack variable: ${JSON.stringify(round)}`);
    assert.ok(mine.every((v) => v.value === 20000), JSON.stringify(mine));
    await clickWidget(page, 'tab_processes');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'process-panel-threads-1280.png') });
  } finally {
    await page.close();
  }
});

test('ProcessPanel.WatchdogEndsAWorkerThatNeverAnswers.2procs', TEST_TIMEOUT, async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 650 } });
  try {
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
    const result = await runProcessSelftest(page, 'watchdog', { timeout: 60_000 });
    const text = JSON.stringify(result);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.watchdog_error, 'BrokenProcessPool', text);
    assert.match(result.watchdog_message, /^worker pid \d+ hung: it owed a reply and answered nothing for \d+\.\d s .*watchdog terminated it/);
    assert.ok(result.broken_after_ms >= 1400 && result.broken_after_ms < 15_000, `broken after ${result.broken_after_ms} ms`);
    assert.equal(result.new_pool, 144);
  } finally {
    await page.close();
  }
});

test('ProcessPanel.FramesThroughTheMainThreadWhenThereIsNoRelay.2procs', TEST_TIMEOUT, async () => {
  // The path frames take when the relay thread cannot start: a crash still breaks only its pool.
  const page = await browser.newPage({ viewport: { width: 1000, height: 650 } });
  try {
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
    await page.evaluate(() => Module.ccall('pp_use_process_relay', null, ['number'], [0]));
    const result = await runProcessSelftest(page, 'crash-trap', { timeout: 60_000 });
    assert.equal(result.crash_error, 'BrokenProcessPool', JSON.stringify(result));
    assert.match(result.crash_message, /unreachable/);
    assert.deepEqual(result.new_pool, [1, 4, 9, 16, 25]);
    const procs = await page.evaluate(() => window.ppProcesses());
    assert.ok(procs.length > 0 && procs.every((p) => !p.relayed), 'no worker used the relay');
  } finally {
    await page.close();
  }
});
