// The lab's service worker (built by vite-plugin.ts into dist/sw.js, with this build's precache
// manifest written in): install stores the manifest's files (install.ts) and takes over at once,
// activate deletes older builds' caches and claims open pages, fetch answers same-origin GETs
// (respond.ts), and every step is reported to the pages (messages.ts). Only event wiring here.
import { deleteOldCaches, installPrecache, precacheComplete, type InstallProgress } from './install.ts';
import { MESSAGE_TAG, type WorkerMessage } from './messages.ts';
import { manifestBytes, precacheName, runtimeCacheName, type PrecacheManifest } from './precache-manifest.ts';
import { handles, respond } from './respond.ts';

declare const self: ServiceWorkerGlobalScope;
/** Replaced by the build with this build's manifest (vite-plugin.ts). */
declare const __PEBENCH_PRECACHE__: PrecacheManifest;

const manifest: PrecacheManifest = __PEBENCH_PRECACHE__;
const scope = self.registration.scope;
const precached = new Set(manifest.entries.map((entry) => entry.path));
let installSeconds: number | undefined;
let storing: Promise<void> | null = null;

const hex = (buffer: ArrayBuffer): string => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function broadcast(message: WorkerMessage): Promise<void> {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: 'window' })) client.postMessage(message);
}

const readyMessage = (): WorkerMessage =>
  ({ tag: MESSAGE_TAG, kind: 'ready', version: manifest.version, files: manifest.entries.length, bytes: manifestBytes(manifest), installSeconds });

/** Stores the offline copy once at a time, reporting progress and failure to every page. */
function store(): Promise<void> {
  storing ??= (async () => {
    const started = performance.now();
    try {
      await installPrecache(manifest, {
        caches,
        fetch: (url, init) => fetch(url, init),
        scope,
        sha256: async (bytes) => hex(await crypto.subtle.digest('SHA-256', bytes)),
        estimate: () => navigator.storage.estimate(),
        progress: (progress: InstallProgress) => void broadcast({ tag: MESSAGE_TAG, kind: 'installing', version: manifest.version, progress }),
      });
      installSeconds = (performance.now() - started) / 1000;
    } catch (error) {
      const reason = (error as Error).message;
      console.error(`offline copy of the lab failed: ${reason}`);
      await broadcast({ tag: MESSAGE_TAG, kind: 'failed', version: manifest.version, reason });
      throw error;
    } finally {
      storing = null;
    }
  })();
  return storing;
}

self.addEventListener('install', (event) => {
  // A new build replaces the old one as soon as its copy is complete; pages opened before keep the
  // code they already loaded and get the new build on their next load.
  event.waitUntil(store().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await deleteOldCaches(caches, [precacheName(manifest.version), runtimeCacheName(manifest.version)]);
    await self.clients.claim();
    await broadcast(readyMessage());
  })());
});

self.addEventListener('fetch', (event) => {
  if (!handles(event.request, scope)) return;
  event.respondWith(respond(event.request, { caches, fetch: (request) => fetch(request as Request), scope, manifest, precached, defer: (work) => event.waitUntil(work) }));
});

self.addEventListener('message', (event) => {
  const data = event.data as { tag?: unknown; kind?: unknown } | null;
  if (data?.tag !== MESSAGE_TAG || data.kind !== 'status?') return;
  event.waitUntil((async () => {
    if (await precacheComplete(manifest, caches, scope)) return event.source?.postMessage(readyMessage());
    // The browser evicted the copy (storage pressure): store it again; progress goes to every page.
    await store().then(() => broadcast(readyMessage()), () => undefined);
  })());
});
