// Which files of a build go into the service worker's precache (stored at install, so the lab works
// offline after its first visit) and which are left to be cached on first use. Pure: it sees the
// build as a list of files with their import graph (vite-plugin.ts describes Vite's bundle this
// way). Not hashing or reading files, and not the service worker's runtime caching.

/** One output file and, for JS chunks, what it loads. Paths are relative to the output folder. */
export interface BuildFile {
  path: string;
  /** For an entry chunk built from an HTML page: that page's path (e.g. 'index.html'). */
  entryOfPage?: string;
  /** Static and dynamic imports, CSS and assets (worker scripts included) this chunk references. */
  references: string[];
}

export interface PrecacheRules {
  /** HTML pages the app is made of; other pages (self-check pages) and code only they use are left out. */
  pages: readonly string[];
  /** Model folders under models/ to store at install; other model folders are cached on first use. */
  models: readonly string[];
  /** Further files to leave for first use (e.g. a WASM build only a check page loads). */
  firstUse: readonly string[];
}

export interface PrecacheSelection {
  precache: string[];
  /** Files left out, each with the reason, for the build log. */
  leftOut: { path: string; reason: string }[];
}

/** Build outputs that are never cached: the service worker itself, host config, source maps. */
const NEVER_CACHED = new Set(['sw.js', '_headers']);

export function selectPrecache(files: readonly BuildFile[], rules: PrecacheRules): PrecacheSelection {
  const byPath = new Map(files.map((file) => [file.path, file]));
  for (const page of rules.pages) {
    if (!byPath.has(page)) throw new Error(`precache: the app page ${page} is not in the build: fix the \`pages\` option of offlineSupport() in vite.config.ts`);
  }
  const appPages = new Set(rules.pages);
  const reachable = (pages: (page: string) => boolean): Set<string> => {
    const seen = new Set<string>();
    const stack = files.filter((f) => f.entryOfPage !== undefined && pages(f.entryOfPage)).map((f) => f.path);
    while (stack.length > 0) {
      const path = stack.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      stack.push(...(byPath.get(path)?.references ?? []));
    }
    return seen;
  };
  const usedByApp = reachable((page) => appPages.has(page));
  const usedByOtherPages = reachable((page) => !appPages.has(page));
  const firstUse = new Set(rules.firstUse);

  const precache: string[] = [];
  const leftOut: PrecacheSelection['leftOut'] = [];
  for (const { path } of files) {
    const reason = leaveOutReason(path);
    if (reason) leftOut.push({ path, reason });
    else precache.push(path);
  }
  return { precache: precache.sort(), leftOut: leftOut.sort((a, b) => a.path.localeCompare(b.path)) };

  function leaveOutReason(path: string): string | null {
    if (NEVER_CACHED.has(path) || path.endsWith('.map')) return 'never cached';
    const model = /^models\/([^/]+)\//.exec(path)?.[1];
    if (model !== undefined) return rules.models.includes(model) ? null : `model ${model} is cached on first use`;
    if (path.endsWith('.html') && !path.includes('/')) return appPages.has(path) ? null : 'not an app page';
    if (firstUse.has(path)) return 'cached on first use';
    if (usedByOtherPages.has(path) && !usedByApp.has(path)) return 'only used by pages outside the app';
    return null;
  }
}

/** The model folders a build holds (names under models/), to check the `models` rule against. */
export function modelFoldersIn(files: readonly BuildFile[]): string[] {
  return [...new Set(files.flatMap(({ path }) => /^models\/([^/]+)\//.exec(path)?.[1] ?? []))].sort();
}
