// The lab works offline after its first visit: the service worker (src/sw/) stores the app, the
// default model and ORT's WASM; then, with the network off, a reload still loads the page
// cross-origin isolated and the model files (checked against their sha256) and the WASM (compiled)
// come from the offline copy. Twice: behind `vite preview`, and behind a bare static server that
// sends no isolation headers at all and is then shut down. When the page is the lab (it has the
// model-status badge), its model must also get ready offline. No request may leave the origin.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { watchForeignRequests } from './helpers.ts';

const MODEL = 'pebench-tiny';
const WASM = 'ort/ort-wasm-simd-threaded.wasm';
const distDir = fileURLToPath(new URL('../../dist/', import.meta.url));
const modelManifest = JSON.parse(readFileSync(join(distDir, `models/${MODEL}/manifest.json`), 'utf8')) as { modelHash: string; files: { path: string; sha256: string }[] };

interface OfflineChecks {
  crossOriginIsolated: boolean;
  modelHash: string;
  /** Model file -> sha256 of the bytes the page got. */
  modelFiles: Record<string, string>;
  wasm: { bytes: number; type: string | null; coep: string | null; coop: string | null; compiled: boolean };
  /** A model folder the first visit never loaded: it must not be reachable offline. */
  neverLoaded: number;
}

/** Fetches what the lab needs from inside the page (through the service worker) and reports it. */
async function fetchLabFiles(page: Page): Promise<OfflineChecks> {
  return page.evaluate(async ({ model, wasm, files }) => {
    const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const manifest = await (await fetch(`models/${model}/manifest.json`)).json();
    const modelFiles: Record<string, string> = {};
    for (const file of files) {
      const response = await fetch(`models/${model}/${file}`, { cache: 'no-cache' });
      modelFiles[file] = response.ok ? hex(await crypto.subtle.digest('SHA-256', await response.arrayBuffer())) : `HTTP ${response.status}`;
    }
    const wasmResponse = await fetch(wasm);
    const headers = { type: wasmResponse.headers.get('content-type'), coep: wasmResponse.headers.get('cross-origin-embedder-policy'), coop: wasmResponse.headers.get('cross-origin-opener-policy') };
    const wasmBytes = await wasmResponse.arrayBuffer();
    const compiled = await WebAssembly.compile(wasmBytes).then(() => true, () => false);
    const neverLoaded = (await fetch('models/pebench-tiny-goal-events/config.json').catch(() => ({ status: -1 }))).status;
    return { crossOriginIsolated, modelHash: manifest.modelHash, modelFiles, wasm: { bytes: wasmBytes.byteLength, compiled, ...headers }, neverLoaded };
  }, { model: MODEL, wasm: WASM, files: modelManifest.files.map((f) => f.path) });
}

/** First visit: waits until the offline copy is stored; returns seconds taken and the stored size. */
async function firstVisit(page: Page): Promise<{ seconds: number; files: number; bytes: number }> {
  page.on('console', (message) => {
    if (message.text().startsWith('offline copy')) console.log(`page: ${message.text()}`);
  });
  const started = Date.now();
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-offline-status', /^(ready|failed.*)$/, { timeout: 90_000 });
  expect(await page.locator('html').getAttribute('data-offline-status')).toBe('ready');
  const seconds = (Date.now() - started) / 1000;
  const stored = await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    const name = (await caches.keys()).find((key) => key.startsWith('pebench-lab-precache-'))!;
    const cache = await caches.open(name);
    let bytes = 0;
    const requests = await cache.keys();
    for (const request of requests) bytes += (await (await cache.match(request))!.arrayBuffer()).byteLength;
    return { files: requests.length, bytes, controlled: navigator.serviceWorker.controller !== null };
  });
  expect(stored.controlled).toBe(true);
  return { seconds, files: stored.files, bytes: stored.bytes };
}

function expectOfflineCopy(checks: OfflineChecks): void {
  expect(checks.crossOriginIsolated).toBe(true);
  expect(checks.modelHash).toBe(modelManifest.modelHash);
  for (const { path, sha256 } of modelManifest.files) expect(checks.modelFiles[path], path).toBe(sha256);
  expect(checks.wasm.bytes).toBe(statSync(join(distDir, WASM)).size);
  expect(checks.wasm.type).toBe('application/wasm');
  expect(checks.wasm.coep).toBe('require-corp');
  expect(checks.wasm.coop).toBe('same-origin');
  expect(checks.wasm.compiled).toBe(true);
  // Proof that the network really is gone: what was never stored does not load.
  expect([504, -1]).toContain(checks.neverLoaded);
}

async function expectPageLoaded(page: Page): Promise<void> {
  await expect(page).toHaveTitle('PEBench Lab');
  await expect(page.locator('#app > *').first()).toBeVisible();
}

test('after one visit the lab loads offline, isolated, with its model and WASM from the offline copy', async ({ page, context, baseURL }) => {
  const foreign = watchForeignRequests(page, new URL(baseURL!).origin);
  const stored = await firstVisit(page);
  console.log(`offline copy (vite preview): ${stored.files} files, ${(stored.bytes / 1e6).toFixed(1)} MB, ready ${stored.seconds.toFixed(1)} s after the first navigation`);
  expect(stored.bytes).toBeGreaterThan(30e6); // the model (17.5 MB), the WASM build (14.2 MB) and the code

  // A build whose page is the lab (a model status badge) must also get its model ready offline.
  const hasLab = (await page.getByTestId('model-status').count()) > 0;
  console.log(hasLab ? 'the page is the lab: its model must get ready offline' : 'no lab on the page (no model-status badge): checking the stored files only');

  await context.setOffline(true);
  await page.reload();
  await expectPageLoaded(page);
  await expect(page.locator('html')).toHaveAttribute('data-offline-status', 'ready');
  if (hasLab) await expect(page.getByTestId('model-status')).toContainText('ready', { timeout: 90_000 });
  expectOfflineCopy(await fetchLabFiles(page));
  expect(foreign()).toEqual([]);
});

test('a static host that sends no isolation headers, then no host at all: the service worker isolates and serves the lab', async ({ browser }) => {
  const host = await serveWithoutHeaders(distDir);
  const origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const context: BrowserContext = await browser.newContext({ baseURL: origin });
  try {
    const page = await context.newPage();
    const foreign = watchForeignRequests(page, origin);
    const stored = await firstVisit(page);
    console.log(`offline copy (bare static host): ${stored.files} files, ${(stored.bytes / 1e6).toFixed(1)} MB, ready ${stored.seconds.toFixed(1)} s after the first navigation`);
    // The host sends no COOP/COEP: the first, uncontrolled load is not isolated ...
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    // ... and once the service worker answers, it is.
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

    await closeServer(host);
    await context.setOffline(true);
    await page.reload();
    await expectPageLoaded(page);
    expectOfflineCopy(await fetchLabFiles(page));
    expect(foreign()).toEqual([]);
  } finally {
    await context.close();
    await closeServer(host);
  }
});

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A minimal static file server over dist/: content types only, no COOP/COEP/CORP, like a plain host. */
function serveWithoutHeaders(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const stats = file.startsWith(root.replace(/[/\\]$/, '') + sep) ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!stats?.isFile()) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': stats.size, ETag: `"${createHash('sha1').update(`${stats.mtimeMs}`).digest('hex')}"` });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
