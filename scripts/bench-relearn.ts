// `npm run bench:relearn`: the relearning attack in the lab (issue #19) in Debian's Chromium on this
// machine, from the built app (`npm run build` first) served by `vite preview`: a GA run of 10 steps
// on the default request, then "try to bring it back" REPEATS times (default 5; undone in between).
// Prints each attack's time as the worker measured it (K = 10 steps plus its evaluation: Efficacy of
// the held-out targets before and after) and from click to result on the page; medians. Target <= 15 s.
import os from 'node:os';
import type { Page } from '@playwright/test';
import { median } from '../src/eval/stats.ts';
import { launchChromium, serveDist } from './serve-dist.ts';

const REPEATS = Math.max(1, Number(process.env.REPEATS) || 5);
const backend = process.env.BACKEND === 'webgpu' ? 'webgpu' : 'wasm';

const { origin, close } = await serveDist();
const browser = await launchChromium(backend);

/** Waits until the element with `testid` exists, and (with `text`) has that text, (with `enabled`) is enabled. */
async function waitFor(page: Page, testid: string, want: { text?: string; enabled?: boolean } = {}, timeout = 600_000): Promise<void> {
  await page.waitForFunction(([id, w]) => {
    const el = document.querySelector(`[data-testid="${id}"]`) as HTMLButtonElement | null;
    if (!el) return false;
    if (w.text !== undefined && el.textContent?.trim() !== w.text) return false;
    return !w.enabled || !el.disabled;
  }, [testid, want] as const, { timeout });
}
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/#page=lab&target=persons&pr=0.05&fs=0&method=ga&seed=0&backend=${backend}&steps=10`);
  await waitFor(page, 'step-button', { enabled: true });
  await page.click('[data-testid="run-button"]');
  await waitFor(page, 'step-counter', { text: '10' });
  await waitFor(page, 'report-table');
  const worker: number[] = [];
  const onPage: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    await waitFor(page, 'relearn-button', { enabled: true });
    const t0 = Date.now();
    await page.click('[data-testid="relearn-button"]');
    await waitFor(page, 'relearn-result');
    onPage.push(Date.now() - t0);
    worker.push(Number(await page.getAttribute('[data-testid="relearn-result"]', 'data-attack-ms')));
    console.error(`attack ${i + 1}/${REPEATS}: ${(worker.at(-1)! / 1000).toFixed(2)} s in the worker, ${(onPage.at(-1)! / 1000).toFixed(2)} s click to result`);
    await page.click('[data-testid="relearn-undo"]');
  }
  const s = (xs: number[]) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  const machine = `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cores, Chromium (${backend})`;
  console.log(`relearning attack (K = 10 + evaluation before/after, ${backend}): median ${(median(worker) / 1000).toFixed(2)} s in the worker over ${REPEATS} (${s(worker)}) (target <= 15 s)`);
  console.log(`click to result on the page: median ${(median(onPage) / 1000).toFixed(2)} s (${s(onPage)}); ${machine}`);
} finally {
  await browser.close();
  await close();
}
