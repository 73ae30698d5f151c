// Screens.*: the page fits every screen it is used on. At each size (phones both ways, a tablet,
// laptops, a desktop, and the two embed sizes the Embed snippet suggests) every widget the app
// remembered (src/ui/test_hook.hpp: each control, text and pane it drew) lies inside the
// viewport, and no two overlap. One screenshot per size in build/browser/.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { SCREENSHOT_DIR, launchBrowser, startServer, waitForState, watchConsole } from './harness.mjs';

const TEST_TIMEOUT = { timeout: 120_000 };
let browser, server;
before(async () => { browser = await launchBrowser(); server = await startServer(); });
after(async () => { await browser?.close(); server?.stop(); });

const PAGE_SIZES = [[390, 844], [844, 390], [768, 1024], [1280, 720], [1366, 768], [1920, 1080]];
const EMBED_SIZES = [[640, 400], [800, 500]];
// thread-pool reads every setting: the most controls on one line. A short run fills the console
// and the timeline, so their panes are measured with content in them.
const LESSON = 'lesson=thread-pool&scale=0.05&autorun=1';

// The problems with `widgets` ({name: [x, y, width, height]}) in a `width` x `height` viewport.
function layoutProblems(widgets, width, height) {
  const problems = [];
  const boxes = Object.entries(widgets).filter(([, [, , w, h]]) => w > 0 && h > 0);
  for (const [name, [x, y, w, h]] of boxes) {
    if (x < -0.5 || y < -0.5 || x + w > width + 0.5 || y + h > height + 0.5)
      problems.push(`${name} [${x}, ${y}, ${w}, ${h}] is not inside the ${width}x${height} viewport`);
  }
  // Overlap: more than a pixel each way (neighbours may share an edge).
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, [ax, ay, aw, ah]] = boxes[i], [b, [bx, by, bw, bh]] = boxes[j];
      const across = Math.min(ax + aw, bx + bw) - Math.max(ax, bx), down = Math.min(ay + ah, by + bh) - Math.max(ay, by);
      if (across > 1 && down > 1) problems.push(`${a} [${ax}, ${ay}, ${aw}, ${ah}] overlaps ${b} [${bx}, ${by}, ${bw}, ${bh}]`);
    }
  }
  return problems;
}

// [width, height, embedded, touch]: phones also with touch, where every control is 44 px tall.
const SIZES = [...PAGE_SIZES.map((s) => [...s, false, false]), [390, 844, false, true], [844, 390, false, true],
               ...EMBED_SIZES.map((s) => [...s, true, false])];
for (const [width, height, embed, touch] of SIZES) {
  const name = `${embed ? 'embed-' : ''}${touch ? 'touch-' : ''}${width}x${height}`;
  test(`Screens.EverythingFitsWithoutOverlap.${name}`, TEST_TIMEOUT, async () => {
    const page = await browser.newPage({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
    const console = watchConsole(page);
    try {
      await page.goto(`${server.url}?${LESSON}${embed ? '&embed=1' : ''}`);
      await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the run to end' });
      // Two frames more, so that the widgets are those of the finished run's layout.
      const { frame } = await waitForState(page, () => true);
      const state = await waitForState(page, (s) => s.frame >= frame + 2, { what: 'two frames' });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `screen-${name}.png`) });
      for (const needed of ['run', 'console', 'timeline', 'lesson_title', 'legend'])
        assert.ok(state.widgets[needed], `${needed} is drawn at ${name}: ${Object.keys(state.widgets)}`);
      assert.deepEqual(layoutProblems(state.widgets, width, height), [], `at ${name}`);
      if (touch) {  // tap targets: 44 CSS px tall at least
        const small = ['run', 'settings_open', 'share', 'export', 'lessons_menu', 'tab_timeline'].filter((w) => state.widgets[w][3] < 44);
        assert.deepEqual(small, [], `tap targets under 44 px: ${small.map((w) => `${w} ${state.widgets[w]}`)}`);
      }
    } catch (error) {
      error.message += `\nconsole:\n${console.slice(-20).join('\n')}`;
      throw error;
    } finally {
      await page.close();
    }
  });
}

// The home screen ("Your first threads"), which no lesson URL shows: its texts wrap and its
// controls stay on screen at every page size.
for (const [width, height, touch] of [...PAGE_SIZES.map((s) => [...s, false]), [390, 844, true]]) {
  const name = `${touch ? 'touch-' : ''}${width}x${height}`;
  test(`Screens.HomeFitsWithoutOverlap.${name}`, TEST_TIMEOUT, async () => {
    const page = await browser.newPage({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
    try {
      await page.goto(server.url);
      const state = await waitForState(page, (s) => s.frame > 3 && s.widgets.start_threads, { what: 'the home screen' });
      for (const needed of ['home_title', 'home_intro', 'home_thread_kind', 'home_python', 'threads', 'start_threads'])
        assert.ok(state.widgets[needed], `${needed} is drawn at ${name}: ${Object.keys(state.widgets)}`);
      assert.deepEqual(layoutProblems(state.widgets, width, height), [], `at ${name}`);
    } finally {
      await page.close();
    }
  });
}

// Lesson 9's plots (time and speedup for each work) fit their pane, legends included, on a laptop
// and on a phone: side by side, stacked, or a tab each when the pane is too short for all.
for (const [width, height, touch] of [[1280, 720, false], [390, 844, true]]) {
  const name = `${touch ? 'touch-' : ''}${width}x${height}`;
  test(`Screens.UseCasePlotsFitTheirPane.${name}`, { timeout: 300_000 }, async () => {
    const page = await browser.newPage({ viewport: { width, height }, hasTouch: touch, isMobile: touch });
    const console = watchConsole(page);
    try {
      await page.goto(`${server.url}?lesson=use-cases&scale=0.05&workers=2&tasks=4&autorun=1`);
      await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the measurements to end', timeout: 240_000 });
      const { frame } = await waitForState(page, () => true);
      const state = await waitForState(page, (s) => s.frame >= frame + 2, { what: 'two frames' });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `screen-use-cases-${name}.png`) });
      const plots = Object.keys(state.widgets).filter((w) => w.startsWith('plot_') && !w.startsWith('plot_legend_'));
      assert.ok(plots.length >= 1, `a plot is drawn: ${Object.keys(state.widgets)}`);
      assert.deepEqual(layoutProblems(state.widgets, width, height), [], `at ${name}`);
      // Each plot is as tall as a plot can be read: axes, ticks and its legend.
      for (const plot of plots) assert.ok(state.widgets[plot][3] >= 120, `${plot} ${state.widgets[plot]} is tall enough to read`);
    } catch (error) {
      error.message += `\nconsole:\n${console.slice(-20).join('\n')}`;
      throw error;
    } finally {
      await page.close();
    }
  });
}

// 200 % browser zoom of a 1280x720 window: half as many CSS pixels, each two device pixels. The
// page lays out for 640x360, every widget fits, and the font is rasterized for the zoom (sharp,
// not a magnified bitmap).
test('Screens.Zoom200Percent.1280x720', TEST_TIMEOUT, async () => {
  const [width, height] = [640, 360];
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
  const console = watchConsole(page);
  try {
    await page.goto(`${server.url}?${LESSON}`);
    await waitForState(page, (s) => s.lesson.state === 'done', { what: 'the run to end' });
    const { frame } = await waitForState(page, () => true);
    const state = await waitForState(page, (s) => s.frame >= frame + 2, { what: 'two frames' });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'screen-zoom200-1280x720.png') });
    assert.equal(state.font_ratio, 2, 'the font is made for two device pixels per CSS pixel');
    const canvas = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.clientWidth]; });
    assert.equal(canvas[0], 2 * canvas[1], `the canvas draws every device pixel: ${canvas}`);
    for (const needed of ['run', 'console', 'timeline', 'lesson_title', 'legend'])
      assert.ok(state.widgets[needed], `${needed} is drawn: ${Object.keys(state.widgets)}`);
    assert.deepEqual(layoutProblems(state.widgets, width, height), []);
  } catch (error) {
    error.message += `\nconsole:\n${console.slice(-20).join('\n')}`;
    throw error;
  } finally {
    await page.close();
  }
});
