// The page in headless chromium: time to first frame, frame time with a 100k-event timeline, and
// frames per second while the use-case experiment keeps both cores busy.
// Prints "figure <name> <value> <unit>" lines like the C++ benchmarks (bench/run.sh collects them).
//   node bench/page_frame_time.mjs        (needs dist/: ./build-wasm.sh)
import { launchBrowser, startServer, waitForState } from '../tests/browser/harness.mjs';

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const server = await startServer();
const browser = await launchBrowser();
try {
  // First frame: from navigation start to the app's first rendered frame, over 5 fresh loads.
  const firstFrames = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.ppFirstFrameMs !== undefined, null, { timeout: 60_000 });
    firstFrames.push(await page.evaluate(() => window.ppFirstFrameMs));
    await context.close();
  }
  console.log(`figure page_first_frame_ms ${median(firstFrames).toFixed(1)} ms`);

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
} finally {
  await browser.close();
  server.stop();
}
