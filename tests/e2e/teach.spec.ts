// The lab teaches and compares (issue #18), end to end in Debian's Chromium on WASM: every lesson
// opens from its link, runs its preset and ends with its measured sentence filled from the run;
// a pinned run and a second run with another method sit side by side in the compare table with the
// Efficacy each run's own report showed and a question asked after pinning answered by the pin's own
// weights, pins survive a reload, the trade-off view has the recorded
// Goal point where the JSON puts it; a link's pins, and pins added to the URL of an open tab, replay on their own (or are cancelled, the
// controls held meanwhile); the exported JSON report equals the page's numbers and the PNG export is a PNG; the probe grid has one marked cell per forget image;
// presentation mode folds the other panels and stays in the hash. Lesson runs after the first are
// shortened with a `steps` flag in their link (the whole preset runs once, in lesson 1).
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createWorld, makeSplits, DEFAULT_REQUESTS } from '../../src/world/index.ts';
import { LESSONS } from '../../src/ui/lessons/lessons.ts';
import { NO_VIEW, viewFromHash, withView } from '../../src/ui/lessons/lesson-view.ts';
import { plotArea } from '../../src/eval/trade-off-svg.ts';
import type { GoalPointsFile } from '../../src/unlearning/goal-point.ts';
import { ask } from './helpers.ts';

const READY = 60_000;
const RUN = 180_000;
const world = createWorld();
const goalPoints = JSON.parse(readFileSync(new URL('../../src/ui/lab/goal-points.json', import.meta.url), 'utf8')) as GoalPointsFile;
/** The trade-off view's plot size (TradeOff.svelte) and the SVG's rounding of coordinates. */
const PLOT = { width: 560, height: 400 };
const px = (v: number) => String(Math.round(v * 10) / 10);

/** Waits until the page's run is prepared at step 0 (a step possible). */
async function prepared(page: Page): Promise<void> {
  await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: READY });
  await expect(page.getByTestId('step-button')).toBeEnabled({ timeout: READY });
  await expect(page.getByTestId('step-counter')).toHaveText('0');
}

/** Runs the prepared experiment (`steps` steps) to its end and waits for the report of its last step. */
async function runToReport(page: Page, steps: number): Promise<void> {
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('step-counter')).toHaveText(String(steps), { timeout: RUN });
  await expect(page.getByTestId('report-table').locator('tbody th', { hasText: `step ${steps}` }).first()).toBeVisible({ timeout: RUN });
}

/** The report table's cell (as shown, e.g. "100.0%") of a concept's column on the current step's row. */
async function reportCell(page: Page, caption: string, column: number): Promise<string> {
  const table = page.getByTestId('report-table').locator('table', { has: page.locator('caption', { hasText: caption }) });
  return (await table.locator('tbody tr').nth(1).locator('td').nth(column).textContent())!.trim();
}

/** The default persons request's recorded Goal point is drawn where goal-points.json puts it, measured on the lab's own items. */
async function expectGoalPoint(page: Page): Promise<void> {
  const recorded = goalPoints.points.find((p) => p.goalDir === 'models/pebench-tiny-goal-persons')!;
  await expect(page.getByTestId('tradeoff-goal')).toHaveAttribute('data-forget', String(recorded.goal.forget));
  const box = plotArea(PLOT);
  for (const y of ['retain', 'scope'] as const) {
    const star = page.getByTestId('tradeoff-plot').locator(`figure[data-y="${y}"] g.goal path.marker`);
    const at = (share: number, from: number, to: number) => px(from + share * (to - from));
    await expect(star).toHaveAttribute('transform', `translate(${at(recorded.goal.forget!, box.left, box.right)},${at(recorded.goal[y]!, box.bottom, box.top)})`);
  }
  // The page's own step 0 equals Finetune's recorded on the same items: the samples are the same.
  const csv = (await exportAs(page, 'curves-csv')).bytes.toString('utf8').trim().split('\n');
  const [forget, retain, scope] = csv[1].split(',').slice(1, 4).map(Number);
  expect(csv[1].startsWith('0,')).toBe(true);
  expect({ forget, retain, scope }).toEqual(recorded.finetune);
}

async function exportAs(page: Page, format: string): Promise<{ download: Download; bytes: Buffer }> {
  await page.getByTestId('export-format').selectOption(format);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-report').click()]);
  return { download, bytes: await readFile((await download.path())!) };
}

test.describe('the lab teaches and compares', () => {
  test('every lesson opens from its link, runs, and ends with its sentence measured on this run', async ({ page }) => {
    test.setTimeout(LESSONS.length * RUN);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    for (const [i, lesson] of LESSONS.entries()) {
      const n = i + 1;
      // Lesson 1 as a teacher links it (its preset whole); the others with a shorter run in the link.
      const link = n === 1 ? `#lesson=1` : withView(`${lesson.hash}&steps=6`, { lesson: n, lessonStep: 1, present: false, pins: [] });
      await page.goto(`/${link}`);
      const guide = page.getByTestId('lesson-guide');
      await expect(guide).toHaveAttribute('data-lesson', String(n));
      await expect(guide).toContainText(lesson.title);
      await prepared(page);
      for (let step = 1; step <= lesson.steps.length; step++) {
        await expect(guide).toHaveAttribute('data-step', String(step));
        await expect(page.getByTestId('lesson-step-text')).toHaveText(lesson.steps[step - 1].text);
        if (lesson.steps[step - 1].action === 'run') {
          await page.getByTestId('lesson-run').click();
          await expect(page.getByTestId('lesson-step-next')).toBeEnabled({ timeout: RUN });
        }
        await page.getByTestId('lesson-step-next').click();
      }
      const measured = page.getByTestId('lesson-measured');
      await expect(measured).toHaveAttribute('data-filled', 'true');
      await expect(measured).toContainText('On this run');
      // The lesson's hash keeps its place: a reload would resume on this last step.
      expect(new URL(page.url()).hash).toContain(`lesson=${n}&ls=${lesson.steps.length + 1}`);
      if (n === 1) {
        const efficacy = (await reportCell(page, 'Person unlearning', 0)).replace('%', '');
        await expect(measured).toContainText(`Efficacy ${efficacy}`);
      }
    }
  });

  test('pinned runs sit beside the current one with their own reports, survive a reload, and export', async ({ page }) => {
    test.setTimeout(2 * RUN + 120_000);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    const base = '#page=lab&target=persons&pr=0.05&fs=0&seed=0&backend=wasm&steps=4';
    await page.goto(`/${base}&method=ga`);
    await prepared(page);
    await runToReport(page, 4);
    const gaEfficacy = await reportCell(page, 'Person unlearning', 0);
    const gaRetain = await reportCell(page, 'Person unlearning', 2);

    // The exported JSON report is the page's report.
    const json = JSON.parse((await exportAs(page, 'report-json')).bytes.toString('utf8'));
    expect(`${json.person.efficacy.toFixed(1)}%`).toBe(gaEfficacy);
    expect(`${json.person.retain.toFixed(1)}%`).toBe(gaRetain);
    expect(json.config).toMatchObject({ method: 'ga', step: 4 });
    // The PNG export is a PNG.
    const png = await exportAs(page, 'matrix-png');
    expect(png.download.suggestedFilename()).toMatch(/\.png$/);
    expect(png.bytes.length).toBeGreaterThan(100);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // What GA's weights say to a question the pin is not pinned with (it keeps its last question's answer).
    const where = 'What event is taking place in this image?';
    const gaWhere = await ask(page, where);
    await ask(page, 'Who is this person?');
    await page.getByTestId('compare-pin').click();
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '1');
    // Changed in the URL of the open tab right after a run (a setting change must not be lost).
    await page.evaluate((hash) => (location.hash = hash), `${base}&method=npo`);
    await prepared(page);
    await runToReport(page, 4);
    const npoEfficacy = await reportCell(page, 'Person unlearning', 0);
    const table = page.getByTestId('compare-table');
    await expect(table.getByTestId('compare-column')).toHaveCount(2);
    await expect(table.locator('tr[data-row="person.efficacy"] td')).toHaveText([gaEfficacy, npoEfficacy]);
    await expect(table.locator('tr[data-row="setting.method"] td')).toHaveText(['GA', 'NPO']);
    // Asked after pinning, the pin answers with its own weights what GA's run answered before.
    const npoWhere = await ask(page, where);
    await expect(table.locator('tr[data-row="probe.answer"] td')).toHaveText([`${gaWhere.current} [${gaWhere.verdict}]`, `${npoWhere.current} [${npoWhere.verdict}]`]);
    await expect(page.getByTestId('tradeoff-plot')).toHaveAttribute('data-runs', '2');
    await expectGoalPoint(page);

    await page.getByTestId('compare-pin').click();
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '2');
    await expect.poll(() => new URL(page.url()).hash.match(/pin=/g)?.length ?? 0).toBe(2);
    await page.reload();
    await prepared(page);
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '2', { timeout: READY });
    await expect(table.getByTestId('compare-column')).toHaveCount(3);
    await expect(table.locator('tr[data-row="person.efficacy"] td').first()).toHaveText(gaEfficacy);
    // The pins' weights came back from IndexedDB: they answer as before the reload.
    await ask(page, where);
    await expect(table.locator('tr[data-row="probe.answer"] td').nth(0)).toHaveText(`${gaWhere.current} [${gaWhere.verdict}]`);
    await expect(table.locator('tr[data-row="probe.answer"] td').nth(1)).toHaveText(`${npoWhere.current} [${npoWhere.verdict}]`);
  });

  test('the probe grid marks every image of a forget target; presentation mode folds the rest and stays in the hash', async ({ page }) => {
    test.setTimeout(120_000);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    await page.goto('/');
    await prepared(page);
    const target = makeSplits(world, DEFAULT_REQUESTS.persons).targets[0];
    await page.getByTestId('probe-grid-choice').selectOption(`${target.concept}:${target.id}`);
    await page.getByTestId('probe-grid-ask').click();
    await expect(page.getByTestId('probe-grid-share')).toHaveAttribute('data-done', 'true', { timeout: 90_000 });
    const cells = page.getByTestId('probe-grid-cell');
    await expect(cells).toHaveCount(target.forgetImages.length);
    for (const verdict of await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')))) {
      expect(['correct', 'wrong', 'refuses', 'unknown']).toContain(verdict);
    }
    // Before unlearning, Finetune and the current model answer alike.
    await expect(page.getByTestId('probe-grid-share')).toContainText(/correct on (\d+) of \d+\s+\(\d+%\),\s+Finetune on \1\./);

    await page.getByTestId('presentation-toggle').click();
    await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('aria-pressed', 'true');
    expect(new URL(page.url()).hash).toContain('present=1');
    await expect(page.locator('summary', { hasText: 'World: what to forget' })).toBeVisible();
    await expect(page.getByTestId('forget-targets')).toBeHidden();
    await expect(page.getByTestId('interference-matrix')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('presentation-toggle')).toHaveAttribute('aria-pressed', 'true');
    // Narrow screens: nothing scrolls sideways with a lesson open in presentation mode.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/${new URL(page.url()).hash}&lesson=2`);
    await expect(page.getByTestId('lesson-guide')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  });

  test('pinned runs in a link, or added to the URL of an open tab, replay on their own, each with its own report', async ({ page }) => {
    test.setTimeout(5 * RUN);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    const request = 'target=persons&pr=0.05&fs=0&seed=0&steps=5';
    const run = (method: string) => `#page=lab&${request}&method=${method}&backend=wasm`;
    await page.goto(`/${withView(run('ga'), { ...NO_VIEW, pins: [`${request}&method=ga`] })}`);
    await expect(page.getByTestId('pin-replay')).toHaveAttribute('data-total', '1', { timeout: RUN });
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '1', { timeout: RUN });
    await expect(page.getByTestId('pin-replay')).toBeHidden({ timeout: RUN });
    await prepared(page);
    // A pin added to the URL of the open tab is replayed too.
    const pins = viewFromHash(new URL(page.url()).hash).view.pins;
    await page.evaluate((hash) => (location.hash = hash), withView(run('ga'), { ...NO_VIEW, pins: [...pins, `${request}&method=npo`] }));
    await expect(page.getByTestId('pin-replay')).toBeVisible({ timeout: RUN });
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '2', { timeout: RUN });
    await expect(page.getByTestId('pin-replay')).toBeHidden({ timeout: RUN });
    // The link's own run is prepared again, and the link still names it and both pins.
    await prepared(page);
    expect(new URL(page.url()).hash).toContain('method=ga');
    expect(new URL(page.url()).hash.match(/pin=/g)).toHaveLength(2);

    // Each pinned Efficacy is the one its settings give when run by hand.
    const table = page.getByTestId('compare-table');
    await expect(table.getByTestId('compare-column')).toHaveCount(3);
    await runToReport(page, 5);
    const gaEfficacy = await reportCell(page, 'Person unlearning', 0);
    await page.evaluate((hash) => (location.hash = hash), run('npo'));
    await prepared(page);
    await runToReport(page, 5);
    const npoEfficacy = await reportCell(page, 'Person unlearning', 0);
    await expect(table.locator('tr[data-row="setting.method"] td')).toHaveText(['GA', 'NPO', 'NPO']);
    await expect(table.locator('tr[data-row="person.efficacy"] td')).toHaveText([gaEfficacy, npoEfficacy, npoEfficacy]);
  });

  test("a link's replay holds the controls with the reason, can be cancelled, and leaves the link's run ready", async ({ page }) => {
    test.setTimeout(2 * RUN);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    // 10 % of the persons: no Goal model was trained for it.
    const request = 'target=persons&pr=0.1&fs=0&seed=0';
    await page.goto(`/${withView(`#page=lab&${request}&method=ga&steps=5&backend=wasm`, { ...NO_VIEW, pins: [`${request}&method=npo&steps=40`] })}`);
    const banner = page.getByTestId('pin-replay');
    await expect(banner).toHaveAttribute('data-index', '1', { timeout: RUN });
    await expect(banner).toContainText('Replaying pin 1 of 1');
    await expect(page.getByTestId('step-counter')).not.toHaveText('0', { timeout: RUN });
    await expect(page.getByTestId('run-button')).toBeDisabled();
    await expect(page.getByTestId('run-button')).toHaveAttribute('title', /pinned runs are being replayed/);
    await page.getByTestId('pin-replay-cancel').click();
    await expect(banner).toBeHidden({ timeout: RUN });
    await prepared(page);
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '0');
    await expect(page.getByTestId('compare-replay')).toBeVisible();
    expect(new URL(page.url()).hash).toMatch(/method=ga.*pin=/);
    await expect(page.getByTestId('tradeoff-goal-none')).toContainText('No Goal model was trained for this request', { timeout: READY });
  });
});
