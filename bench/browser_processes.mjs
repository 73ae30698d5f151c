// Browser processes in headless chromium (Web Workers, each its own process_worker.wasm instance):
// spawn to first result with 4 processes, the round trip of one tiny task, and a map of 10k tiny
// tasks on 4 processes. Each run is the page's own measurement (process_selftest.cpp, "bench"),
// in a fresh page as soon as it has drawn 3 frames: "cold". Such a page has only begun what it
// does after its first frame (compile process_worker.wasm, start one spare worker), so a cold
// spawn may still wait for those. A second run in the same page is "warm" (4 spares by then).
// "Prepared" opens a process lesson first, which starts 4 spares while the student reads (a
// second later, Run). Then 1, 4 and 16 processes, each count on its own cold page: spawn to first
// result and to every result ("spawn-N"): past the spare, each process waits for a worker's start.
// Prints "figure <name> <value> <unit>" lines (medians) for bench/run.sh.
//   node bench/browser_processes.mjs [runs]        (needs dist/: ./build-wasm.sh)
import { launchBrowser, runProcessSelftest, startServer, waitForState } from '../tests/browser/harness.mjs';

const runs = Number(process.argv[2] || 5);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

async function selfBench(page) {
  const result = await runProcessSelftest(page, 'bench', { timeout: 120_000 });
  if (result.error || !result.map_ok) throw new Error(`bench failed: ${JSON.stringify(result)}`);
  return result;
}

const server = await startServer();
const browser = await launchBrowser();
const cold = [], warm = [], prepared = [];
const PROCESS_COUNTS = [1, 4, 16];
const spawns = Object.fromEntries(PROCESS_COUNTS.map((n) => [n, []]));
try {
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(server.url);
    await waitForState(page, (s) => s.frame > 2, { what: 'the first frames' });
    cold.push(await selfBench(page));
    warm.push(await selfBench(page));
    await page.close();
    console.error(`(run ${i + 1}: cold ${JSON.stringify(cold.at(-1))}, warm ${JSON.stringify(warm.at(-1))})`);
    const lessonPage = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await lessonPage.goto(`${server.url}?lesson=process-pool`);
    await waitForState(lessonPage, (s) => s.frame > 2, { what: 'the first frames' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    prepared.push(await selfBench(lessonPage));
    await lessonPage.close();
    console.error(`(run ${i + 1}: prepared by opening the lesson ${JSON.stringify(prepared.at(-1))})`);
    for (const n of PROCESS_COUNTS) {
      const spawnPage = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await spawnPage.goto(server.url);
      await waitForState(spawnPage, (s) => s.frame > 2, { what: 'the first frames' });
      const result = await runProcessSelftest(spawnPage, `spawn-${n}`, { timeout: 120_000 });
      if (result.error) throw new Error(`spawn-${n} failed: ${JSON.stringify(result)}`);
      spawns[n].push(result);
      await spawnPage.close();
    }
    console.error(`(run ${i + 1}: cold spawns ${PROCESS_COUNTS.map((n) => JSON.stringify(spawns[n].at(-1))).join(' ')})`);
  }
} finally {
  await browser.close();
  server.stop();
}
const figure = (name, values, unit, digits = 2) => console.log(`figure ${name} ${median(values).toFixed(digits)} ${unit}`);
figure('browser_process_first_result_cold_ms', cold.map((r) => r.spawn_to_first_result_ms), 'ms', 1);
figure('browser_process_first_result_prepared_ms', prepared.map((r) => r.spawn_to_first_result_ms), 'ms', 1);
figure('browser_process_first_result_warm_ms', warm.map((r) => r.spawn_to_first_result_ms), 'ms', 1);
figure('browser_process_all_four_warm_ms', warm.map((r) => r.spawn_to_all_four_ms), 'ms', 1);
const all = [...cold, ...warm];
figure('browser_process_round_trip_ms', all.map((r) => r.round_trip_median_ms), 'ms', 3);
figure('browser_process_map_tasks_per_s', all.map((r) => r.map_10k_tasks_per_s), 'tasks/s', 0);
figure('browser_process_map_us_per_task', all.map((r) => 1e6 / r.map_10k_tasks_per_s), 'us', 1);
const spread = (values) => `${Math.min(...values).toFixed(1)}-${Math.max(...values).toFixed(1)}`;
for (const n of PROCESS_COUNTS) {
  const first = spawns[n].map((r) => r.spawn_to_first_result_ms), all = spawns[n].map((r) => r.spawn_to_all_ms);
  figure(`browser_process_cold_${n}p_first_result_ms`, first, 'ms', 1);
  figure(`browser_process_cold_${n}p_all_results_ms`, all, 'ms', 1);
  console.error(`(${n} processes, cold page: first result ${spread(first)} ms, all ${spread(all)} ms over ${first.length} runs)`);
}
