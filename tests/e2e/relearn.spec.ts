// The relearning attack in the lab (WASM): after a short unlearning run stops, "try to bring it back"
// (relearn-button) runs the attack on a copy of the weights and shows Efficacy of the held-out targets
// before and after (also in the report panel's robustness summary, next to the Goal model's), its
// curve drawn step by step as the attack runs; undo drops it and the run is still at its step.
import { expect, test } from '@playwright/test';

test('the relearning attack runs on a stopped run, shows Efficacy after it, and can be undone', async ({ page }) => {
  test.setTimeout(400_000);
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  await page.goto('/#page=lab&target=persons&pr=0.05&fs=0&method=ga&seed=0&backend=wasm&steps=5');
  await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: 60_000 });
  await expect(page.getByTestId('step-button')).toBeEnabled({ timeout: 60_000 });
  // At step 0 there is nothing to bring back.
  await expect(page.getByTestId('relearn-button')).toBeDisabled();
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('step-counter')).toHaveText('5', { timeout: 120_000 });
  await expect(page.getByTestId('report-table')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('relearn-button')).toBeEnabled({ timeout: 30_000 });
  // Record every length the attack's curve is drawn with: it must grow step by step, not appear at the end.
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { curveLengths: number[] }).curveLengths = seen;
    new MutationObserver(() => {
      const points = Number(document.querySelector('[data-testid="relearn-curve"]')?.getAttribute('data-points') ?? 0);
      if (points && seen.at(-1) !== points) seen.push(points);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-points'] });
  });
  await page.getByTestId('relearn-button').click();
  await expect(page.getByTestId('relearn-result')).toBeVisible({ timeout: 240_000 });
  await expect(page.getByTestId('relearn-curve')).toHaveAttribute('data-points', '10');
  const lengths = await page.evaluate(() => (window as unknown as { curveLengths: number[] }).curveLengths);
  expect(lengths.some((n) => n < 10), `curve lengths seen: ${lengths.join(',')}`).toBe(true);
  await expect(page.getByTestId('relearn-after').first()).toHaveText(/^\d+\.\d%$/);
  // The report panel's robustness summary now has the attack's value for this step, and a verdict line.
  await expect(page.getByTestId('robustness-relearned').first()).toHaveText(/^\d+\.\d%$/);
  await expect(page.getByTestId('robustness-verdict').first()).toContainText(/step 5: /);
  // Undo: the attack's result goes, the run is kept at its step.
  await page.getByTestId('relearn-undo').click();
  await expect(page.getByTestId('relearn-result')).toHaveCount(0);
  await expect(page.getByTestId('relearn-curve')).toHaveCount(0);
  await expect(page.getByTestId('step-counter')).toHaveText('5');
  await expect(page.getByTestId('robustness-relearned').first()).toHaveText('n/a');
});
