// The service worker's install step: stores every file of the precache manifest in this build's
// cache, each checked against the sha256 the build recorded (a server that changed under us fails
// the install instead of mixing builds), reusing unchanged files from an older build's cache, and
// turning failures (quota, network, mismatch) into one sentence that says what to do. Also the
// activate step's cleanup. Not the fetch strategies (respond.ts) and no event wiring (sw.ts).
import { manifestBytes, precacheName, REVISION_HEADER, CACHE_PREFIX, type PrecacheEntry, type PrecacheManifest } from './precache-manifest.ts';
import { withIsolationHeaders } from './isolation-headers.ts';

/** The parts of Cache / CacheStorage used here (the real ones fit; tests pass in-memory fakes). */
export interface CacheLike {
  match(request: RequestInfo, options?: CacheQueryOptions): Promise<Response | undefined>;
  put(request: RequestInfo, response: Response): Promise<void>;
  keys(): Promise<readonly Request[]>;
  delete(request: RequestInfo): Promise<boolean>;
}
export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  keys(): Promise<string[]>;
  delete(name: string): Promise<boolean>;
}

export interface InstallProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Files copied from an older build's cache instead of downloaded. */
  reused: number;
}

export interface InstallDeps {
  caches: CacheStorageLike;
  fetch: (url: string, init?: RequestInit) => Promise<Response>;
  /** The service worker's scope URL, ending in '/': manifest paths are relative to it. */
  scope: string;
  sha256: (bytes: ArrayBuffer) => Promise<string>;
  /** Storage estimate for the quota message (navigator.storage.estimate in the worker). */
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  progress?: (progress: InstallProgress) => void;
  /** Parallel downloads. */
  concurrency?: number;
}

/** An install failure whose message is meant for people (the page shows it as 'failed: <message>'). */
export class InstallError extends Error {
  override name = 'InstallError';
}

const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Stores the manifest's files; on failure deletes the half-filled cache and throws an InstallError. */
export async function installPrecache(manifest: PrecacheManifest, deps: InstallDeps): Promise<InstallProgress> {
  const name = precacheName(manifest.version);
  const cache = await deps.caches.open(name);
  const olderCaches = (await deps.caches.keys()).filter((key) => key.startsWith(`${CACHE_PREFIX}-precache-`) && key !== name);
  const progress: InstallProgress = { filesDone: 0, filesTotal: manifest.entries.length, bytesDone: 0, bytesTotal: manifestBytes(manifest), reused: 0 };
  deps.progress?.({ ...progress });

  const storeOne = async (entry: PrecacheEntry): Promise<void> => {
    const url = new URL(entry.path, deps.scope).href;
    const reused = await storedRevision(cache, url, entry) ? 'present' : await copyFromOlder(deps.caches, olderCaches, cache, url, entry);
    if (reused === 'copied') progress.reused++;
    if (!reused) await cache.put(url, await download(url, entry, deps));
    progress.filesDone++;
    progress.bytesDone += entry.bytes;
    deps.progress?.({ ...progress });
  };

  try {
    await runPool(manifest.entries, deps.concurrency ?? 4, storeOne);
    return progress;
  } catch (error) {
    await deps.caches.delete(name).catch(() => false);
    throw await explain(error, manifest, deps);
  }
}

/** Deletes this app's caches from other builds (never other apps' caches on the same origin). */
export async function deleteOldCaches(caches: CacheStorageLike, keep: readonly string[]): Promise<string[]> {
  const old = (await caches.keys()).filter((key) => key.startsWith(`${CACHE_PREFIX}-`) && !keep.includes(key));
  await Promise.all(old.map((key) => caches.delete(key)));
  return old;
}

/** Whether every manifest file is in the build's cache (the browser may evict a cache under storage pressure). */
export async function precacheComplete(manifest: PrecacheManifest, caches: CacheStorageLike, scope: string): Promise<boolean> {
  if (!(await caches.keys()).includes(precacheName(manifest.version))) return false;
  const stored = new Set((await (await caches.open(precacheName(manifest.version))).keys()).map((request) => request.url));
  return manifest.entries.every((entry) => stored.has(new URL(entry.path, scope).href));
}

async function storedRevision(cache: CacheLike, url: string, entry: PrecacheEntry): Promise<boolean> {
  return (await cache.match(url))?.headers.get(REVISION_HEADER) === entry.sha256;
}

async function copyFromOlder(caches: CacheStorageLike, names: readonly string[], into: CacheLike, url: string, entry: PrecacheEntry): Promise<'copied' | null> {
  for (const name of names) {
    const old = await (await caches.open(name)).match(url);
    if (old?.headers.get(REVISION_HEADER) === entry.sha256) {
      await into.put(url, old);
      return 'copied';
    }
  }
  return null;
}

/**
 * The file as a Response to store. First try lets the HTTP cache answer (the page is often loading
 * the same model and WASM at that moment, so they need not come down twice); when those bytes are
 * not the build's, ask the server itself ('reload'), and fail only if it too holds other bytes.
 */
async function download(url: string, entry: PrecacheEntry, deps: InstallDeps): Promise<Response> {
  let found = '';
  for (const cache of ['default', 'reload'] as const) {
    let response: Response;
    try {
      response = await deps.fetch(url, { cache });
    } catch (error) {
      throw new InstallError(`could not download ${entry.path} (${(error as Error).message}): the offline copy needs the network once; reload while online`);
    }
    if (!response.ok) throw new InstallError(`${entry.path} answered HTTP ${response.status}: the server does not serve this build; rebuild (\`npm run build\`) and reload`);
    const bytes = await response.arrayBuffer();
    found = await deps.sha256(bytes);
    if (found === entry.sha256) {
      return withIsolationHeaders(new Response(bytes, { status: 200, headers: response.headers }), { [REVISION_HEADER]: entry.sha256 });
    }
  }
  throw new InstallError(`${entry.path} on the server is not the file this build listed (sha256 ${found.slice(0, 12)}… instead of ${entry.sha256.slice(0, 12)}…): ` +
    'the files changed after the build (e.g. a retrained model); rebuild (`npm run build`) and reload');
}

async function explain(error: unknown, manifest: PrecacheManifest, deps: InstallDeps): Promise<InstallError> {
  if (error instanceof InstallError) return error;
  if ((error as Error)?.name === 'QuotaExceededError') {
    const estimate = await deps.estimate?.().catch(() => undefined);
    const room = estimate?.quota !== undefined ? ` (the browser allows this site ${megabytes(estimate.quota)}, ${megabytes(estimate.usage ?? 0)} in use)` : '';
    return new InstallError(`not enough storage for the offline copy: it needs ${megabytes(manifestBytes(manifest))}${room}; ` +
      'the lab still works online; free space or leave private browsing to use it offline');
  }
  return new InstallError(`storing the offline copy failed: ${(error as Error)?.message ?? String(error)}; the lab still works online`);
}

/** Runs `work` over `items` with at most `limit` at once; the first failure rejects (others finish quietly). */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = Array.from({ length: Math.min(limit, items.length) }, lane);
  const results = await Promise.allSettled(lanes);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
