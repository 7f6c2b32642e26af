// The Content-Security-Policy end to end (src/sw/content-security-policy.ts): `vite preview` sends it
// on pages, scripts, WASM and model files and each page has the <meta> fallback; a fetch to another
// origin is blocked (connect-src) in the page and in the lab's worker, and so is inline script; the
// lab loads, answers about a world image and an uploaded one (blob:), steps on WASM and shows the
// atlas with no violation in the page or its workers.
import { encode } from 'fast-png';
import { expect, test, type Page, type Worker } from '@playwright/test';
import { contentSecurityPolicy, metaPolicy, metaPolicyOf } from '../../src/sw/content-security-policy.ts';

const READY = 60_000;
/** Another origin that is never a real outside address (nothing listens on port 9 here). */
const FOREIGN = 'http://127.0.0.2:9/';

interface Violation {
  where: string;
  directive: string;
  blocked: string;
}

/** Resolves to `fallback` when `promise` takes longer than `ms` (a busy or closed worker never answers). */
const within = <T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([promise, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms))]);

/**
 * Records securitypolicyviolation events of the page and of the lab's own workers (lab, render; not
 * ORT's WASM threads, which block in Atomics.wait and answer no evaluate) and CSP console messages.
 */
async function watchViolations(page: Page): Promise<{ read(): Promise<Violation[]> }> {
  await page.addInitScript(() => {
    const seen: { where: string; directive: string; blocked: string }[] = [];
    (window as unknown as { cspViolations: typeof seen }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push({ where: 'page', directive: e.violatedDirective, blocked: e.blockedURI }));
  });
  const workers = new Map<Worker, Promise<unknown>>();
  page.on('worker', (worker) => {
    if (!new URL(worker.url()).pathname.startsWith('/assets/')) return;
    workers.set(worker, within(worker.evaluate(() => {
      const scope = self as unknown as { cspViolations: unknown[] };
      scope.cspViolations = [];
      self.addEventListener('securitypolicyviolation', (e) => scope.cspViolations.push({ where: 'worker', directive: e.violatedDirective, blocked: e.blockedURI }));
    }).catch(() => undefined), 5_000, undefined));
    worker.on('close', () => workers.delete(worker));
  });
  const logged: Violation[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) logged.push({ where: 'console', directive: '', blocked: message.text() });
  });
  return {
    async read() {
      const fromPage = await page.evaluate(() => (window as unknown as { cspViolations: Violation[] }).cspViolations);
      const fromWorkers = await Promise.all([...workers].map(([worker, installed]) => within(installed.then(() =>
        worker.evaluate(() => (self as unknown as { cspViolations?: Violation[] }).cspViolations ?? [])).catch(() => []), 5_000, [] as Violation[])));
      return [...fromPage, ...fromWorkers.flat(), ...logged];
    },
  };
}

test.describe('Content-Security-Policy', () => {
  test('the preview server sends it on pages, scripts, WASM and model files; every page has the <meta> fallback', async ({ request }) => {
    for (const path of ['/', '/engine-check.html', '/model-check.html', '/ort/ort-wasm-simd-threaded.mjs', '/ort/ort-wasm-simd-threaded.wasm', '/models/pebench-tiny/config.json', '/sw.js']) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(200);
      expect(response.headers()['content-security-policy'], path).toBe(contentSecurityPolicy());
      expect(response.headers()['content-security-policy'], path).not.toContain("'unsafe-eval'");
      if (path === '/' || path.endsWith('.html')) expect(metaPolicyOf(await response.text()), path).toBe(metaPolicy());
    }
    // The production headers file for static hosts carries the same policy.
    expect(await (await request.get('/_headers')).text()).toContain(`  Content-Security-Policy: ${contentSecurityPolicy()}\n`);
  });

  test('blocks a fetch to another origin (connect-src) and inline script', async ({ page }) => {
    const violations = await watchViolations(page);
    const labWorker = page.waitForEvent('worker', (worker) => worker.url().includes('lab-worker'));
    await page.goto('/');
    await expect(page.getByTestId('model-status')).toBeVisible();
    const outcome = await page.evaluate(async (url) => {
      const fetched = await fetch(url).then(() => 'answered', (error: Error) => error.name);
      const script = document.createElement('script');
      script.textContent = 'window.inlineRan = true';
      document.body.append(script);
      return { fetched, inline: (window as unknown as { inlineRan?: boolean }).inlineRan === true };
    }, FOREIGN);
    expect(outcome).toEqual({ fetched: 'TypeError', inline: false });
    await expect.poll(async () => (await violations.read()).map((v) => v.directive).filter((d) => d !== '')).toEqual(expect.arrayContaining(['connect-src', 'script-src-elem']));
    const connect = (await violations.read()).find((v) => v.directive === 'connect-src')!;
    expect(connect).toEqual({ where: 'page', directive: 'connect-src', blocked: FOREIGN });
    // The lab's worker runs under the same policy (its script is served with it) and is watched too.
    expect(await (await labWorker).evaluate((url) => fetch(url).then(() => 'answered', (error: Error) => error.name), FOREIGN)).toBe('TypeError');
    await expect.poll(async () => (await violations.read()).filter((v) => v.where === 'worker')).toEqual([{ where: 'worker', directive: 'connect-src', blocked: FOREIGN }]);
  });

  test('the lab reaches ready, answers, steps on WASM and shows the atlas with no violation', async ({ page }) => {
    test.setTimeout(180_000);
    const violations = await watchViolations(page);
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    await page.goto('/#page=lab&target=persons&pr=0.05&fs=0&method=gd&seed=0&backend=wasm&steps=20');
    await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: READY });
    await expect(page.getByTestId('backend-badge')).toContainText('WASM');
    await expect(page.getByTestId('step-button')).toBeEnabled({ timeout: READY });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    // A question about the world image, then one about an uploaded picture (shown from a blob: URL).
    await page.getByTestId('probe-question').fill('Who is this person?');
    await page.getByTestId('probe-ask').click();
    await expect(page.getByTestId('probe-timing')).toHaveAttribute('data-asked', '1', { timeout: 30_000 });
    await expect(page.getByTestId('probe-answer-base')).not.toBeEmpty();
    await page.getByLabel('your image', { exact: true }).check();
    const pixels = new Uint8Array(32 * 32 * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
    await page.getByTestId('probe-upload').setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: Buffer.from(encode({ width: 32, height: 32, data: pixels, channels: 4 })) });
    await expect.poll(() => page.evaluate(() => (document.querySelector('img[alt="mine.png"]') as HTMLImageElement | null)?.naturalWidth ?? 0)).toBe(32);
    await page.getByTestId('probe-ask').click();
    await expect(page.getByTestId('probe-timing')).toHaveAttribute('data-asked', '2', { timeout: 30_000 });

    await page.getByTestId('step-button').click();
    await expect(page.getByTestId('step-counter')).toHaveText('1', { timeout: 30_000 });
    await expect(page.getByTestId('metric-forget')).toHaveText(/\d+%/, { timeout: READY });

    await page.getByRole('link', { name: /Browse the whole world/ }).click();
    await expect(page.getByTestId('person-card')).toHaveCount(200);
    await page.getByTestId('person-card').first().click();
    await expect(page.getByTestId('person-detail')).toBeVisible();
    await page.getByRole('link', { name: 'PEBench Lab' }).click();
    await expect(page.getByTestId('step-counter')).toHaveText('1');

    expect(await violations.read()).toEqual([]);
  });
});
