// bench:lab's "probe against transformers.js": opens the model self-check page in its timing mode
// (model-check.html?mode=timing, src/runtime/check/probe-timing.ts) in a fresh browser and returns its
// report (per-call times, medians, thread counts, whether every answer agreed token for token).
// Not here: the timing itself (the page does it) or printing.
import type { Browser } from '@playwright/test';
import type { ProbeTimingReport } from '../src/runtime/check/probe-timing.ts';

export async function probeVsTransformers(launch: () => Promise<Browser>, origin: string, images: number): Promise<ProbeTimingReport> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/model-check.html?mode=timing&count=${images}`);
    const result = page.locator('#result');
    await page.waitForFunction(() => /done|error/.test(document.getElementById('result')?.dataset.status ?? ''), undefined, { timeout: 900_000 });
    const text = (await result.textContent()) ?? '';
    if ((await result.getAttribute('data-status')) !== 'done') throw new Error(`model-check.html?mode=timing failed: ${text}`);
    return JSON.parse(text) as ProbeTimingReport;
  } finally {
    await browser.close();
  }
}
