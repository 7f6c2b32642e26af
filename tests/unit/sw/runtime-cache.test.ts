// The runtime cache's bound: entries and bytes past the limits are dropped oldest first (a URL
// stored again counts as new), a file bigger than the byte limit is not kept, and through respond()
// a visit to more files than the limit leaves only the newest ones, which still work offline.
import { describe, expect, it } from 'vitest';
import { installPrecache } from '../../../src/sw/install.ts';
import { runtimeCacheName } from '../../../src/sw/precache-manifest.ts';
import { respond, type RespondDeps } from '../../../src/sw/respond.ts';
import { keepInRuntimeCache, RUNTIME_CACHE_LIMITS, SIZE_HEADER } from '../../../src/sw/runtime-cache.ts';
import { FakeCaches, type FakeCache } from './fake-caches.ts';
import { manifestOf, SCOPE, serve, sha256, site } from './site.ts';

const file = (bytes: number) => new Response(new Uint8Array(bytes), { status: 200 });
const urls = (cache: FakeCache) => [...cache.entries.keys()].map((url) => url.slice(SCOPE.length));

describe('keepInRuntimeCache', () => {
  it('drops the oldest entries past the entry limit; storing a URL again makes it the newest', async () => {
    const cache = await new FakeCaches().open('runtime');
    const limits = { entries: 3, bytes: 1e6 };
    for (const name of ['a', 'b', 'c']) await keepInRuntimeCache(cache, `${SCOPE}${name}`, file(10), limits);
    await keepInRuntimeCache(cache, `${SCOPE}a`, file(10), limits); // a again: now the newest
    await keepInRuntimeCache(cache, `${SCOPE}d`, file(10), limits);
    expect(urls(cache)).toEqual(['c', 'a', 'd']);
  });

  it('drops the oldest entries past the byte limit, and does not keep a file bigger than the limit', async () => {
    const cache = await new FakeCaches().open('runtime');
    const limits = { entries: 100, bytes: 1000 };
    await keepInRuntimeCache(cache, `${SCOPE}old`, file(400), limits);
    await keepInRuntimeCache(cache, `${SCOPE}mid`, file(400), limits);
    await keepInRuntimeCache(cache, `${SCOPE}new`, file(400), limits);
    expect(urls(cache)).toEqual(['mid', 'new']);
    expect((await cache.match(`${SCOPE}new`))!.headers.get(SIZE_HEADER)).toBe('400');
    expect(await keepInRuntimeCache(cache, `${SCOPE}huge`, file(1001), limits)).toBe(false);
    expect(urls(cache)).toEqual(['mid', 'new']);
  });

  it('stores side by side without over-trimming (one trim at a time)', async () => {
    const cache = await new FakeCaches().open('runtime');
    const limits = { entries: 4, bytes: 1e6 };
    await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => keepInRuntimeCache(cache, `${SCOPE}${name}`, file(10), limits)));
    expect(urls(cache)).toHaveLength(4);
  });

  it('default limits leave room for every file the lab fetches beyond its precache (~110 MB, ~60 files)', () => {
    expect(RUNTIME_CACHE_LIMITS.bytes).toBeGreaterThanOrEqual(120e6);
    expect(RUNTIME_CACHE_LIMITS.entries).toBeGreaterThanOrEqual(80);
  });
});

describe('respond with a bounded runtime cache', () => {
  it('keeps only the newest files within the limit, and those still answer offline', async () => {
    const files = site({ 'index.html': '<!doctype html>', 'models/g/a.json': '{"a":1}', 'models/g/b.json': '{"b":2}', 'models/g/c.json': '{"c":3}' });
    const manifest = await manifestOf(files, ['index.html']);
    const caches = new FakeCaches();
    await installPrecache(manifest, { caches, fetch: serve(files).fetch, scope: SCOPE, sha256: async (b) => sha256(b) });
    const server = serve(files);
    const deferred: Promise<unknown>[] = [];
    const deps: RespondDeps = { caches, fetch: server.fetch, scope: SCOPE, manifest, precached: new Set(['index.html']), defer: (w) => deferred.push(w), runtimeLimits: { entries: 2, bytes: 1e6 } };
    for (const name of ['a', 'b', 'c']) await (await respond({ url: `${SCOPE}models/g/${name}.json`, method: 'GET', mode: 'cors' }, deps)).text();
    await Promise.all(deferred);
    expect(urls(await caches.open(runtimeCacheName(manifest.version)))).toEqual(['models/g/b.json', 'models/g/c.json']);
    server.offline = true;
    expect(await (await respond({ url: `${SCOPE}models/g/c.json`, method: 'GET', mode: 'cors' }, deps)).text()).toBe('{"c":3}');
    expect((await respond({ url: `${SCOPE}models/g/a.json`, method: 'GET', mode: 'cors' }, deps)).status).toBe(504);
  });
});
