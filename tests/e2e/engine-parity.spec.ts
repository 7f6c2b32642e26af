// Browser parity of a training-step graph: the self-check page trains the same parity case in
// Chromium on WASM (multi-threaded, cross-origin isolated) and on WebGPU (SwiftShader, started with
// --enable-unsafe-webgpu; tiny shapes, few steps) and every step's loss must match onnxruntime-node
// in this test process to 1e-4 relative. No request may leave the app's origin.
import { chromium, expect, test, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config.ts';
import { openRuntime } from '../../src/runtime/node.ts';
import { PARITY_CASES, buildParityCase } from '../../src/runtime/check/cases.ts';
import { maxRelativeDifference, runParityCase, type CaseReport } from '../../src/runtime/check/run-case.ts';
import { watchForeignRequests } from './helpers.ts';

const STEPS = 4;

async function nodeReference(caseName: string): Promise<CaseReport> {
  const runtime = await openRuntime({ backend: 'cpu' });
  try {
    return await runParityCase(runtime, buildParityCase(caseName, STEPS));
  } finally {
    await runtime.dispose();
  }
}

async function runInPage(page: Page, backend: string, caseName: string, baseURL: string): Promise<{ report: CaseReport & { crossOriginIsolated: boolean }; foreign: string[] }> {
  const foreignRequests = watchForeignRequests(page, new URL(baseURL).origin);
  await page.goto(`/engine-check.html?backend=${backend}&case=${caseName}&steps=${STEPS}`);
  const result = page.locator('#result');
  await expect(result).toHaveAttribute('data-status', /done|error/, { timeout: 110_000 });
  const text = (await result.textContent()) ?? '';
  expect(await result.getAttribute('data-status'), text).toBe('done');
  return { report: JSON.parse(text), foreign: foreignRequests() };
}

for (const caseName of PARITY_CASES) {
  test.describe(`${caseName} on WASM`, () => {
    test('matches onnxruntime-node at every step, multi-threaded, from the app origin only', async ({ page, baseURL }) => {
      const reference = await nodeReference(caseName);
      const { report, foreign } = await runInPage(page, 'wasm', caseName, baseURL!);
      expect(report.backend).toBe('wasm');
      expect(report.crossOriginIsolated).toBe(true);
      expect(report.threads).toBeGreaterThan(1);
      expect(report.losses).toHaveLength(STEPS);
      expect(report.finite.every(Boolean)).toBe(true);
      const difference = maxRelativeDifference(report.losses, reference.losses);
      console.log(`${caseName} wasm vs node: max relative loss difference ${difference.toExponential(2)}`);
      expect(difference).toBeLessThanOrEqual(1e-4);
      expect(foreign).toEqual([]);
    });
  });

  test.describe(`${caseName} on WebGPU`, () => {
    test('matches onnxruntime-node at every step with weights kept in GPU buffers', async ({ baseURL }) => {
      const reference = await nodeReference(caseName);
      // A browser of its own: only this one gets a (software) WebGPU adapter.
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: [...chromiumArgs, '--enable-unsafe-webgpu'],
      });
      const page = await (await browser.newContext({ baseURL })).newPage();
      const { report, foreign } = await runInPage(page, 'webgpu', caseName, baseURL!).finally(() => browser.close());
      expect(report.backend).toBe('webgpu');
      expect(report.stateLocation).toBe('gpu-buffer');
      expect(report.losses).toHaveLength(STEPS);
      const difference = maxRelativeDifference(report.losses, reference.losses);
      console.log(`${caseName} webgpu vs node: max relative loss difference ${difference.toExponential(2)}`);
      expect(difference).toBeLessThanOrEqual(1e-4);
      expect(foreign).toEqual([]);
    });
  });
}
