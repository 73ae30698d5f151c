// The page in headless chromium: time to first frame and where it goes, frame time with a
// 100k-event timeline, and frames per second while the use-case experiment keeps both cores busy
// (and that CPU-bound run's own time, to compare builds).
// Prints "figure <name> <value> <unit>" lines like the C++ benchmarks (bench/run.sh collects them).
//   node bench/page_frame_time.mjs        (needs dist/: ./build-wasm.sh)
import { launchBrowser, startServer, waitForState } from '../tests/browser/harness.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
// PP_DIST=DIR measures another build of the page: what a build flag changes, in one run.
const server = await startServer(process.env.PP_DIST ? { dir: process.env.PP_DIST } : {});
const browser = await launchBrowser();
try {
  // First frame: from navigation start to the app's first rendered frame, over 5 fresh loads,
  // with the steps the loader marks (web/playground-loader.js, window.ppStartup) and the
  // downloads' ends (Resource Timing), all in ms since navigation.
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.ppFirstFrameMs !== undefined, null, { timeout: 60_000 });
    loads.push(await page.evaluate(() => {
      const fetched = (name) => {
        const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith(`/${name}`));
        return entry ? entry.responseEnd : NaN;
      };
      return { ...window.ppStartup, first_frame_ms: window.ppFirstFrameMs,
               js_fetched_ms: fetched('playground.js'), wasm_fetched_ms: fetched('playground.wasm'),
               worker_js_fetched_ms: fetched('playground.worker.js') };
    }));
    await context.close();
  }
  const step = (name) => median(loads.map((l) => l[name]));
  const spread = (name) => `${Math.min(...loads.map((l) => l[name])).toFixed(0)}-${Math.max(...loads.map((l) => l[name])).toFixed(0)}`;
  console.log(`figure page_first_frame_ms ${step('first_frame_ms').toFixed(1)} ms`);
  // Each step as a moment since navigation (median of the loads), and the time since the step before.
  const steps = [
    ['loader_ms', 'HTML, CSS, loader script run'],
    ['js_fetched_ms', 'playground.js downloaded (beside the wasm)'],
    ['wasm_requested_ms', 'playground.js run, asks for the wasm the loader is fetching'],
    ['wasm_fetched_ms', 'playground.wasm downloaded (requested by the loader)'],
    ['wasm_compiled_ms', 'wasm compiled (streaming, overlaps the download)'],
    ['wasm_instantiated_ms', 'wasm instantiated'],
    ['dependencies_ms', 'run dependencies met (main() waits for no pthread worker)'],
    ['main_ms', 'runtime initialized, main() starts'],
    ['window_open_ms', 'settings read, the app made'],
    ['gl_context_ms', 'SDL window, WebGL2 context'],
    ['font_atlas_ms', 'ImGui set up, font atlas rasterized'],
    ['first_draw_ms', 'the first frame begins (an animation frame)'],
    ['gl_objects_ms', 'shaders compiled, font atlas uploaded'],
    ['first_frame_ms', 'first frame laid out and drawn'],
  ];
  console.error('(first frame breakdown, ms since navigation, median of 5 loads [min-max]; +ms since the step before)');
  let previous = 0;
  for (const [name, what] of steps) {
    const at = step(name);
    console.error(`(  ${name.padEnd(22)} ${at.toFixed(1).padStart(7)} [${spread(name)}]  +${(at - previous).toFixed(1)}  ${what})`);
    console.log(`figure page_startup_${name} ${at.toFixed(1)} ms`);
    previous = Math.max(previous, at);
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${server.url}?bench=timeline&events=100000`);
  const state = await waitForState(page, (s) => s.bench && s.bench.finished, { timeout: 120_000, what: 'the benchmark' });
  const { bench } = state;
  console.log(`figure page_timeline_100k_frame_ms ${bench.median_ms} ms`);
  console.log(`figure page_timeline_100k_frame_p95_ms ${bench.p95_ms} ms`);
  console.log(`figure page_timeline_100k_draw_ms ${bench.draw_median_ms} ms`);
  console.error(`(${bench.frames} frames, ${bench.bars_drawn} bars drawn from ${bench.events} events)`);

  // The UI thread never waits for a lesson: count the frames drawn while one computes.
  await page.goto(`${server.url}?lesson=use-cases&workers=2&tasks=4&scale=0.1&autorun=1`);
  const started = await waitForState(page, (s) => s.lesson.state === 'running', { what: 'the run' });
  const t0 = Date.now();
  const frameMs = [];
  const ended = await waitForState(page, (s) => { frameMs.push(s.frame_ms); return s.lesson.state === 'done'; },
    { timeout: 300_000, what: 'the run to end' });
  const seconds = (Date.now() - t0) / 1000;
  console.log(`figure page_fps_during_use_cases ${((ended.frame - started.frame) / seconds).toFixed(1)} fps`);
  console.log(`figure page_frame_ms_during_use_cases ${median(frameMs).toFixed(2)} ms`);
  console.log(`figure page_use_cases_run_s ${seconds.toFixed(2)} s`);
} finally {
  await browser.close();
  server.stop();
}
