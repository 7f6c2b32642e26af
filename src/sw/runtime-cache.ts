// The bound on the service worker's runtime cache (files kept the first time they are fetched:
// other model folders, ORT's WebGPU pair, the check pages): at most RUNTIME_CACHE_LIMITS entries and
// bytes, the oldest stored dropped first; a file bigger than the whole byte limit is not kept. Each
// stored copy carries its size in a header, so trimming reads no bodies. Not the precache (install.ts).
import type { CacheLike } from './install.ts';

export interface CacheLimits {
  entries: number;
  bytes: number;
}

/**
 * What the lab may fetch beyond its precache is ~110 MB in ~60 files (three Goal model folders of
 * ~17 MB, ORT's WebGPU pair ~28 MB, transformers.js's pair ~27 MB, the check pages); each URL with
 * another query string is an entry of its own, so without a bound the cache only grows.
 */
export const RUNTIME_CACHE_LIMITS: CacheLimits = { entries: 100, bytes: 160e6 };

/** The stored copy's body size in bytes. */
export const SIZE_HEADER = 'X-Pebench-Bytes';

// One store-and-trim at a time: two trims side by side would count the same entries twice.
let turn: Promise<unknown> = Promise.resolve();

/** Stores `response` for `url`, then trims the cache to `limits`; false when the file alone is over the byte limit. */
export async function keepInRuntimeCache(cache: CacheLike, url: string, response: Response, limits: CacheLimits = RUNTIME_CACHE_LIMITS): Promise<boolean> {
  const body = await response.arrayBuffer();
  if (body.byteLength > limits.bytes) return false;
  const headers = new Headers(response.headers);
  headers.set(SIZE_HEADER, String(body.byteLength));
  const sized = new Response(body, { status: response.status, statusText: response.statusText, headers });
  const run = turn.then(async () => {
    await cache.put(url, sized);
    await trimCache(cache, limits);
  });
  turn = run.catch(() => undefined);
  await run;
  return true;
}

/** Drops the oldest entries (Cache keys come in the order stored; storing a URL again moves it last) until within `limits`. */
export async function trimCache(cache: CacheLike, limits: CacheLimits): Promise<string[]> {
  const keys = await cache.keys();
  const sizes = await Promise.all(keys.map(async (key) => {
    const headers = (await cache.match(key))?.headers;
    return Number(headers?.get(SIZE_HEADER) ?? headers?.get('Content-Length') ?? 0) || 0;
  }));
  let entries = keys.length;
  let bytes = sizes.reduce((sum, size) => sum + size, 0);
  const dropped: string[] = [];
  for (let i = 0; i < keys.length && (entries > limits.entries || bytes > limits.bytes); i++) {
    await cache.delete(keys[i]);
    entries--;
    bytes -= sizes[i];
    dropped.push(keys[i].url);
  }
  return dropped;
}
