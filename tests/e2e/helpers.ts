// Shared e2e helpers (also used by scripts/bench-lab.ts): requests that leave the origin, main-thread
// long tasks, asking the lab's probe.
import { expect, type Page } from '@playwright/test';

/** Starts recording requests to other origins; call the returned function to read them. */
export function watchForeignRequests(page: Page, origin: string): () => string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  return () => foreign;
}

/**
 * Records main-thread long tasks (PerformanceObserver 'longtask') from the moment `start()` is
 * called; install before the page loads. `read()` gives their durations in ms.
 */
export async function recordLongTasks(page: Page): Promise<{ start(): Promise<void>; read(): Promise<number[]> }> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[]; watchLongTasks: boolean };
    w.longTasks = [];
    w.watchLongTasks = false;
    new PerformanceObserver((list) => {
      if (w.watchLongTasks) for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  return {
    start: () => page.evaluate(() => void ((window as unknown as { watchLongTasks: boolean }).watchLongTasks = true)),
    read: () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks),
  };
}

/**
 * Asks the lab's probe about the picked image; returns both answers and the current one's verdict
 * once this question's answer arrived (`data-asked` counts answers to questions asked by hand; the
 * probe's own re-asks after steps do not).
 */
export async function ask(page: Page, question: string, timeout = 30_000): Promise<{ base: string; current: string; verdict: string }> {
  const asked = await page.evaluate(() => Number(document.querySelector('[data-testid="probe-timing"]')?.getAttribute('data-asked') ?? 0));
  await page.getByTestId('probe-question').fill(question);
  await page.getByTestId('probe-ask').click();
  await expect(page.getByTestId('probe-timing')).toHaveAttribute('data-asked', String(asked + 1), { timeout });
  return {
    base: (await page.getByTestId('probe-answer-base').textContent())!,
    current: (await page.getByTestId('probe-answer-current').textContent())!,
    verdict: (await page.getByTestId('probe-verdict-current').getAttribute('data-verdict'))!,
  };
}
