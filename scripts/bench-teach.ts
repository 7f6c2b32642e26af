// `npm run bench:teach`: the figures of issue #18 in Debian's Chromium (WASM) on this machine, from the
// built app (`npm run build` first) served by `vite preview`: each lesson's preset run (its steps plus
// the evaluation, from the lesson's Run button to the report that fills its closing sentence), and the
// main-thread long tasks while 3 pinned runs are compared with a fourth being run and evaluated and
// a new question is answered by all four, and how long that answer takes to fill the table.
// DIST=folder serves another build. REPEATS=n runs every lesson n times (default 1; the median is over all lessons' runs and per lesson).
import os from 'node:os';
import type { Page } from '@playwright/test';
import { median } from '../src/eval/stats.ts';
import { launchChromium, serveDist } from './serve-dist.ts';
import { recordLongTasks } from '../tests/e2e/helpers.ts';
import { LESSONS } from '../src/ui/lessons/lessons.ts';

const REPEATS = Math.max(1, Number(process.env.REPEATS) || 1);
const LIMIT = 600_000;
const sec = (ms: number) => (ms / 1000).toFixed(1);

const { origin, close } = await serveDist();
const browser = await launchChromium();

async function prepared(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const step = document.querySelector<HTMLButtonElement>('[data-testid="step-button"]');
    return step && !step.disabled && document.querySelector('[data-testid="step-counter"]')?.textContent?.trim() === '0';
  }, undefined, { timeout: LIMIT });
}
const reportAtStep = (page: Page, steps: number) => page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="report-table"] tbody th')]
  .some((th) => th.textContent?.trim() === `step ${n}`), steps, { timeout: LIMIT });
const totalSteps = async (page: Page) => Number((await page.locator('.counter').textContent())!.match(/\/\s*(\d+)/)![1]);

try {
  // Lessons: open lesson N from its link, go to its Run step, time Run to the report (Next enabled).
  const lessonMs: number[][] = LESSONS.map(() => []);
  const lessonSteps: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    for (const [i, lesson] of LESSONS.entries()) {
      const page = await browser.newPage();
      await page.goto(`${origin}/#lesson=${i + 1}`);
      await prepared(page);
      const runStep = lesson.steps.findIndex((s) => s.action === 'run');
      for (let k = 0; k < runStep; k++) await page.getByTestId('lesson-step-next').click();
      lessonSteps[i] = await totalSteps(page);
      const t0 = Date.now();
      await page.getByTestId('lesson-run').click();
      await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('[data-testid="lesson-step-next"]')?.disabled, undefined, { timeout: LIMIT, polling: 50 });
      lessonMs[i].push(Date.now() - t0);
      await page.close();
    }
  }

  // Compare: 3 short runs pinned, then a fourth (the default NPO run) run and evaluated with the
  // table, the overlaid curves and the trade-off plots of all four on the page; long tasks recorded
  // from before the third pin to the fourth run's report.
  const page = await browser.newPage();
  const longTasks = await recordLongTasks(page);
  const base = '#page=lab&target=persons&pr=0.05&fs=0&seed=0&backend=wasm';
  await page.goto(`${origin}/${base}&method=ga&steps=4`);
  for (const [k, method] of ['ga', 'gd', 'kl'].entries()) {
    if (k > 0) await page.evaluate((hash) => (location.hash = hash), `${base}&method=${method}&steps=4`);
    await prepared(page);
    if (k === 2) await longTasks.start();
    await page.getByTestId('run-button').click();
    await reportAtStep(page, 4);
    await page.getByTestId('compare-pin').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="compare-count"]')?.getAttribute('data-count') === String(n), k + 1);
  }
  await page.evaluate((hash) => (location.hash = hash), `${base}&method=npo`);
  await prepared(page);
  const steps = await totalSteps(page);
  await page.getByTestId('run-button').click();
  await reportAtStep(page, steps);
  // A question asked now is answered by the current run and by each pin with its own weights.
  const asked = performance.now();
  await page.getByTestId('probe-question').fill('What event is taking place in this image?');
  await page.getByTestId('probe-ask').click();
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-testid="compare-table"] tr[data-row="probe.answer"] td')].map((td) => td.textContent ?? '');
    return cells.length === 4 && cells.every((c) => c.endsWith(']')) && document.querySelector('[data-testid="probe-asked"]')?.textContent?.includes('What event');
  }, undefined, { timeout: 120_000 });
  const answeredMs = performance.now() - asked;
  const columns = await page.getByTestId('compare-column').count();
  const tasks = await longTasks.read();

  const all = lessonMs.flat();
  console.log(`machine: ${os.cpus()[0]?.model} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Chromium WASM; ${REPEATS} run(s) per lesson`);
  for (const [i, lesson] of LESSONS.entries()) {
    console.log(`lesson ${i + 1} (${lesson.title}, ${lessonSteps[i]} steps + evaluation): median ${sec(median(lessonMs[i]))} s (${lessonMs[i].map(sec).join(', ')})`);
  }
  console.log(`a lesson's preset run (steps + evaluation, Run click to the report): median ${sec(median(all))} s over ${all.length}, longest ${sec(Math.max(...all))} s (target <= 60 s)`);
  console.log(`compare with 3 pinned runs (${columns} table columns), pinning the third, then a ${steps}-step run, its evaluation and a new question answered by all four: ${tasks.length} main-thread long tasks, longest ${Math.max(0, ...tasks).toFixed(0)} ms (target: none over 200 ms)`);
  console.log(`a question asked with 3 pinned runs: every run's answer in the table after ${sec(answeredMs)} s (the current run's, then each pin's with its own weights)`);
  console.log(JSON.stringify({ lessonRunMs: lessonMs, lessonRunMedianMs: median(all), compareLongestTaskMs: Math.max(0, ...tasks), compareLongTasks: tasks.length, pinsAnsweredMs: answeredMs }));
} finally {
  await browser.close();
  await close();
}
