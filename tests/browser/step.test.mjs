// Step.*: the student takes the scheduler's seat in the page (core/schedule.hpp). Click threads
// into a lost update and see it marked; a schedule= URL replays the same run; Explore counts
// every interleaving as a chart whose bars replay one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, clickWidget, launchBrowser, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };
const RACE = 'lesson=thread&workers=2&increments=1&lock=without';
let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); server?.stop(); });

const waiting = (page) => waitForState(page, (s) => s.lesson.step?.waiting || ['done', 'failed', 'stopped'].includes(s.lesson.state),
  { what: 'the run to wait for a step' });
const thread = (state, name) => state.lesson.step.threads.find((t) => t.name === name);
// Addresses differ from run to run: a replay repeats the steps, not where memory was.
const sameText = (lines) => lines.map((l) => l.replace(/0x[0-9a-f]+/g, 'ADDR'));

async function openPage(query) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.consoleLines = watchConsole(page);
  await page.goto(`${server.url}?${query}`);
  return page;
}

// Steps (by clicks) until both workers are about to load the counter, moving whichever other
// thread can; then Thread-1 loads and adds, Thread-2 loads, adds and stores, and Thread-1 stores.
async function loseAnUpdate(page) {
  for (let i = 0; ; i++) {
    assert.ok(i < 100, 'both threads reach their load');
    const s = await waiting(page);
    const [t1, t2] = [thread(s, 'Thread-1'), thread(s, 'Thread-2')];
    if (t1?.next.startsWith('load') && t2?.next.startsWith('load')) break;
    const mover = s.lesson.step.threads.find((t) => t.can_move && !t.next.startsWith('load'));
    await clickWidget(page, `step_thread_${mover.number}`);
    await waitForState(page, (n) => n.lesson.step.steps > s.lesson.step.steps, { what: 'the step' });
  }
  const s = await waiting(page);
  const [t1, t2] = [thread(s, 'Thread-1').number, thread(s, 'Thread-2').number];
  for (const [i, mover] of [t1, t1, t2, t2, t2, t1].entries()) {
    const before = await waiting(page);
    if (i % 2) await page.keyboard.type(String(mover));  // its number key steps it, as a click does
    else await clickWidget(page, `step_thread_${mover}`);
    await waitForState(page, (n) => n.lesson.step.steps > before.lesson.step.steps, { what: `step ${i} of thread ${mover}` });
  }
  return waiting(page);
}

let lostSchedule = '', lostConsole = [], lostAt = -1;

test('Step.ClickingThreadsIntoALostUpdate.2threads', TEST_TIMEOUT, async () => {
  const page = await openPage(`${RACE}&step=1&autorun=1`);
  try {
    const start = await waiting(page);
    assert.equal(start.lesson.step.threads[0].name, 'MainThread');
    assert.equal(start.lesson.step.threads.length, 1, 'only main exists before it starts the workers');
    const lost = await loseAnUpdate(page);
    assert.deepEqual(lost.lesson.step.notes, ["Thread-1 stored 1 over Thread-2's 1: one increment lost"]);
    assert.equal(lost.lesson.step.shared.counter, 1, 'two increments, one counted');
    // The lost update is marked on Thread-1's lane of the timeline.
    const lane = lost.lesson.lanes.find((l) => l.name === 'Thread-1');
    assert.ok(lane.events.some(([kind]) => kind === 'Note'), JSON.stringify(lane.events));
    await clickWidget(page, 'tab_timeline');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'step-lost-update-timeline.png') });
    await clickWidget(page, 'tab_scheduler');
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'step-lost-update.png') });
    lostSchedule = lost.lesson.step.schedule;
    lostAt = lost.lesson.step.steps_at_first_note;
    await clickWidget(page, 'finish_round_robin');
    const done = await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the rest of the run' });
    assert.equal(done.lesson.console.at(-1), 'Without a lock: 1 of 2 increments counted (1 lost)');
    lostConsole = sameText(done.lesson.console);
  } catch (error) {
    error.message += `\nconsole:\n${page.consoleLines.join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
});

test('Step.ScheduleInTheUrlReplaysIt.2threads', TEST_TIMEOUT, async () => {
  assert.ok(lostSchedule, 'the clicking test ran first and found a schedule');
  const page = await openPage(`${RACE}&schedule=${lostSchedule}&autorun=1`);
  try {
    // The replay takes every choice by itself, and the steps only one thread could take after
    // them, then waits for the student (or, with nothing left to choose, runs to the end).
    const replayed = await waitForState(page, (s) => s.lesson.step?.notes.length > 0 && (s.lesson.step.waiting || s.lesson.state === 'done'),
      { what: 'the replayed lost update' });
    assert.equal(replayed.lesson.step.schedule, lostSchedule);
    assert.equal(replayed.lesson.step.steps_at_first_note, lostAt, 'the update was lost at the same step');
    assert.deepEqual(replayed.lesson.step.notes, ["Thread-1 stored 1 over Thread-2's 1: one increment lost"]);
    const address = await page.evaluate(() => location.search);
    assert.match(address, new RegExp(`schedule=${lostSchedule}`), 'the address bar carries the schedule');
    if (replayed.lesson.state !== 'done') await clickWidget(page, 'finish_round_robin');
    const done = await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the rest of the run' });
    assert.deepEqual(sameText(done.lesson.console), lostConsole, 'the same console as the run it came from');
  } finally {
    await page.close();
  }
});

test('Step.ExploreShowsTheChartAndItsBarsReplay.2threads', TEST_TIMEOUT, async () => {
  const page = await openPage(RACE);
  try {
    await clickWidget(page, 'step_mode');  // step mode explores at once, for the challenge's target
    const explored = await waitForState(page, (s) => s.lesson.explore && s.lesson.state === 'done', { what: 'the explore' });
    const counts = Object.fromEntries(explored.lesson.explore.outcomes.map(([text, count]) => [text, count]));
    assert.deepEqual(counts, { 'counter = 1': 4, 'counter = 2': 2 });
    assert.equal(explored.lesson.explore.schedules, 6);
    assert.ok(explored.lesson.explore.fewest_steps > 0 && explored.lesson.explore.fewest_steps <= lostAt,
      `the fewest steps to a lost update (${explored.lesson.explore.fewest_steps}) is no more than the clicked run's (${lostAt})`);
    await clickWidget(page, 'tab_scheduler');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'step-explore-chart.png') });
    // Its bar replays a schedule that loses an update.
    const index = explored.lesson.explore.outcomes.findIndex(([text]) => text === 'counter = 1');
    await clickWidget(page, `outcome_${index}`);
    const replayed = await waitForState(page, (s) => s.lesson.step?.notes.length > 0, { what: 'the bar\'s replay' });
    assert.match(replayed.lesson.step.notes[0], /one increment lost/);
  } finally {
    await page.close();
  }
});
