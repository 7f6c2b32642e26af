// bench:lab's cold starts: page open to `ready` (data-ready-ms) and to the first step possible
// (data-step-ready-ms), in a plain Chromium with nothing attached while the lab loads, and under
// Playwright, where an init script also times the step button's first enabling in the page
// (MutationObserver) as a cross-check. Not here: what the bench does with the lab once it is up.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';

export interface ColdStart {
  /** ms from navigation start to `ready` (the page's data-ready-ms). */
  readyMs: number;
  /** ms from navigation start to the first step possible (data-step-ready-ms; the observer's figure if the page lacks it). */
  stepReadyMs: number;
}

export interface PlaywrightColdStart extends ColdStart {
  /** ms from navigation start to the step button's first enabling, seen by a MutationObserver in the page. */
  stepEnabledInPageMs: number;
  /** ms from navigation start to the step counter showing 1, the step button clicked the moment it was enabled. */
  firstStepDoneMs: number;
  /** True when the page set no data-step-ready-ms and stepReadyMs is the observer's figure. */
  attributeMissing: boolean;
}

const statusAttribute = (page: Page, name: string) => page.getByTestId('model-status').getAttribute(name);

export async function readyMs(page: Page): Promise<number> {
  await page.getByTestId('model-status').filter({ hasText: 'ready' }).waitFor({ timeout: 120_000 });
  return Number(await statusAttribute(page, 'data-ready-ms'));
}

/** Waits until the page set data-step-ready-ms (at most `timeout` ms) and returns it, or null. */
async function stepReadyAttribute(page: Page, timeout: number): Promise<number | null> {
  const set = await page.waitForFunction(() => document.querySelector('[data-testid="model-status"]')?.getAttribute('data-step-ready-ms') || null, undefined, { timeout })
    .then((handle) => handle.jsonValue()).catch(() => null);
  return set === null ? null : Number(set);
}

/**
 * Install before the page loads: records performance.now() when the step button is first enabled;
 * with `clickAtOnce` it also clicks it then, as an eager user would, and records when the step
 * counter first shows 1 (the first step done).
 */
export async function watchStepButton(page: Page, clickAtOnce = false): Promise<void> {
  await page.addInitScript((click) => {
    const w = window as unknown as { stepEnabledAt: number | null; firstStepDoneAt: number | null };
    w.stepEnabledAt = null;
    w.firstStepDoneAt = null;
    const observer = new MutationObserver(() => {
      if (w.stepEnabledAt === null) {
        const button = document.querySelector<HTMLButtonElement>('[data-testid="step-button"]');
        if (!button || button.disabled) return;
        w.stepEnabledAt = performance.now();
        if (!click) return observer.disconnect();
        button.click();
      }
      if (document.querySelector('[data-testid="step-counter"]')?.textContent?.trim() === '1') {
        w.firstStepDoneAt = performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['disabled'] });
  }, clickAtOnce);
}

/** Both first-step figures of a page that watchStepButton was installed on. */
export async function firstStep(page: Page): Promise<{ stepReadyMs: number; stepEnabledInPageMs: number; attributeMissing: boolean }> {
  const handle = await page.waitForFunction(() => (window as unknown as { stepEnabledAt: number | null }).stepEnabledAt, undefined, { timeout: 300_000 });
  const stepEnabledInPageMs = Number(await handle.jsonValue());
  const attribute = await stepReadyAttribute(page, 2000);
  return { stepReadyMs: attribute ?? stepEnabledInPageMs, stepEnabledInPageMs, attributeMissing: attribute === null };
}

/** Cold start under Playwright: a new browser (empty HTTP cache, no service worker). */
export async function playwrightColdStart(launch: () => Promise<Browser>, url: string): Promise<PlaywrightColdStart> {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await watchStepButton(page, true);
    await page.goto(url);
    const ready = await readyMs(page);
    const step = await firstStep(page);
    const done = await page.waitForFunction(() => (window as unknown as { firstStepDoneAt: number | null }).firstStepDoneAt, undefined, { timeout: 120_000 });
    return { readyMs: ready, ...step, firstStepDoneMs: Number(await done.jsonValue()) };
  } finally {
    await browser.close();
  }
}

/** Target.createTarget over a bare browser-level DevTools connection (Node's WebSocket), then closes it. */
async function openTabUnattached(endpoint: string, url: string): Promise<void> {
  const Socket = (globalThis as { WebSocket?: typeof WebSocket }).WebSocket;
  if (!Socket) throw new Error('this Node has no WebSocket: run with --experimental-websocket (npm run bench:lab does)');
  const ws = new Socket(endpoint);
  await new Promise((resolve, reject) => {
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'Target.createTarget', params: { url } }));
    ws.onmessage = (event) => ((JSON.parse(String(event.data)) as { id?: number }).id === 1 ? resolve(undefined) : undefined);
    ws.onerror = () => reject(new Error(`DevTools connection to ${endpoint} failed`));
  });
  ws.close();
}

/**
 * Cold start in a plain Chromium (fresh profile, nothing attached while it loads): the page's own
 * data-ready-ms and data-step-ready-ms (ms after navigation start), read over DevTools only after
 * both were set. `leaveAloneMs`: how long the tab loads with nothing attached.
 */
export async function plainColdStart(chromiumPath: string, args: readonly string[], url: string, leaveAloneMs: number): Promise<ColdStart> {
  const profile = mkdtempSync(join(os.tmpdir(), 'pebench-cold-'));
  const chrome = spawn(chromiumPath, [
    '--headless=new', ...args, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let log = '';
      chrome.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(log);
        if (found) resolve(found[1]);
      });
      chrome.on('exit', (code) => reject(new Error(`chromium exited (${code}) before DevTools was up: ${log.slice(-500)}`)));
    });
    // The browser is up: open the lab in a new tab through the browser's own DevTools target (no
    // client attaches to the tab), leave it alone well past the first step possible, then look.
    await new Promise((r) => setTimeout(r, 4000));
    await openTabUnattached(endpoint, url);
    await new Promise((r) => setTimeout(r, leaveAloneMs));
    const browser = await chromium.connectOverCDP(endpoint);
    try {
      const origin = new URL(url).origin;
      const page = browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith(origin));
      if (!page) throw new Error('the lab page is not open in the plain Chromium');
      const attachedAt = await page.evaluate(() => performance.now());
      const ready = await readyMs(page);
      const stepReady = await stepReadyAttribute(page, 120_000);
      if (stepReady === null) throw new Error('the lab never set data-step-ready-ms on [data-testid=model-status] (its first step possible): is the built app current? run `npm run build`');
      const latest = Math.max(ready, stepReady);
      if (latest > attachedAt - 1000) {
        throw new Error(`the lab was ready to step at ${latest} ms, not before attaching (${attachedAt.toFixed(0)} ms): the machine is too slow for the wait; raise PLAIN_WAIT_S (now ${leaveAloneMs / 1000})`);
      }
      return { readyMs: ready, stepReadyMs: stepReady };
    } finally {
      await browser.close();
    }
  } finally {
    const exited = new Promise((r) => chrome.once('exit', r));
    chrome.kill('SIGTERM');
    await exited;
    // Its helper processes may still be writing the profile for a moment.
    await new Promise((r) => setTimeout(r, 500));
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
