// The lab teaches and compares (issue #18), end to end in Debian's Chromium on WASM: every lesson
// opens from its link, runs its preset and ends with its measured sentence filled from the run;
// a pinned run and a second run with another method sit side by side in the compare table with the
// Efficacy each run's own report showed, pins survive a reload; the exported JSON report equals the
// page's numbers and the PNG export is a PNG; the probe grid has one marked cell per forget image;
// presentation mode folds the other panels and stays in the hash. Lesson runs after the first are
// shortened with a `steps` flag in their link (the whole preset runs once, in lesson 1).
import { expect, test, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { createWorld, makeSplits, DEFAULT_REQUESTS } from '../../src/world/index.ts';
import { LESSONS } from '../../src/ui/lessons/lessons.ts';
import { withView } from '../../src/ui/lessons/lesson-view.ts';

const READY = 60_000;
const RUN = 180_000;
const world = createWorld();

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

    await page.getByTestId('compare-pin').click();
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '1');
    await page.goto(`/${base}&method=npo`);
    await prepared(page);
    await runToReport(page, 4);
    const npoEfficacy = await reportCell(page, 'Person unlearning', 0);
    const table = page.getByTestId('compare-table');
    await expect(table.getByTestId('compare-column')).toHaveCount(2);
    await expect(table.locator('tr[data-row="person.efficacy"] td')).toHaveText([gaEfficacy, npoEfficacy]);
    await expect(table.locator('tr[data-row="setting.method"] td')).toHaveText(['GA', 'NPO']);
    await expect(page.getByTestId('tradeoff-plot')).toHaveAttribute('data-runs', '2');

    await page.getByTestId('compare-pin').click();
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '2');
    await expect.poll(() => new URL(page.url()).hash.match(/pin=/g)?.length ?? 0).toBe(2);
    await page.reload();
    await prepared(page);
    await expect(page.getByTestId('compare-count')).toHaveAttribute('data-count', '2', { timeout: READY });
    await expect(table.getByTestId('compare-column')).toHaveCount(3);
    await expect(table.locator('tr[data-row="person.efficacy"] td').first()).toHaveText(gaEfficacy);
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
});
