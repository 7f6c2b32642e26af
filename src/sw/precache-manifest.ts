// The precache manifest: the list of files the service worker stores at install, written by the
// build (vite-plugin.ts) into sw.js itself, so every new build is a new sw.js and the browser
// installs it. Shared by the build (Node) and the service worker; no DOM, no Node APIs here.
// Not the runtime cache (files fetched on first use are not listed).

/** One file of the site, addressed relative to the service worker's scope (the app's base URL). */
export interface PrecacheEntry {
  /** Relative URL path without a leading '/', e.g. 'index.html', 'models/pebench-tiny/config.json'. */
  path: string;
  /** Lowercase hex SHA-256 of the file's bytes: the service worker checks what it downloads against it. */
  sha256: string;
  bytes: number;
}

export interface PrecacheManifest {
  /** A hash over every entry's path and sha256: names the cache, so a changed file means a new cache. */
  version: string;
  entries: PrecacheEntry[];
}

/** Cache names start with this, so activate can delete this app's old caches and only those. */
export const CACHE_PREFIX = 'pebench-lab';

export const precacheName = (version: string): string => `${CACHE_PREFIX}-precache-${version}`;

/** Files fetched on first use (other model folders, pages not in the precache), one cache per build. */
export const runtimeCacheName = (version: string): string => `${CACHE_PREFIX}-runtime-${version}`;

/** The header the service worker puts on each stored file, so a later build can reuse unchanged files. */
export const REVISION_HEADER = 'X-Pebench-Sha256';

/** The manifest's version: the first 16 hex digits of SHA-256 over "path sha256" lines, sorted by path. */
export async function manifestVersion(entries: readonly PrecacheEntry[], digest: (text: string) => Promise<string>): Promise<string> {
  const lines = entries.map((e) => `${e.path} ${e.sha256}`).sort();
  return (await digest(lines.join('\n'))).slice(0, 16);
}

/** Total bytes of a manifest's files. */
export const manifestBytes = (manifest: PrecacheManifest): number => manifest.entries.reduce((sum, e) => sum + e.bytes, 0);
