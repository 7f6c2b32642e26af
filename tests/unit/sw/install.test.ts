import { describe, expect, it } from 'vitest';
import { deleteOldCaches, installPrecache, InstallError, precacheComplete, type InstallDeps, type InstallProgress } from '../../../src/sw/install.ts';
import { precacheName, REVISION_HEADER, runtimeCacheName } from '../../../src/sw/precache-manifest.ts';
import { FakeCaches } from './fake-caches.ts';
import { manifestOf, SCOPE, serve, sha256, site, type Site } from './site.ts';

const FILES = { 'index.html': '<!doctype html><title>lab</title>', 'assets/main-abc.js': 'console.log(1)', 'models/m/onnx/decoder.onnx': 'weights'.repeat(1000), 'ort/ort.wasm': '\0asm....' };

function deps(caches: FakeCaches, files: Site, extra: Partial<InstallDeps> = {}) {
  const server = serve(files);
  const progress: InstallProgress[] = [];
  const installDeps: InstallDeps = { caches, fetch: server.fetch, scope: SCOPE, sha256: async (bytes) => sha256(bytes), progress: (p) => progress.push(p), ...extra };
  return { installDeps, server, progress };
}

describe('installPrecache', () => {
  it('stores every listed file with its bytes, type, isolation headers and revision, and reports progress to the end', async () => {
    const files = site(FILES);
    const manifest = await manifestOf(files);
    const caches = new FakeCaches();
    const { installDeps, server, progress } = deps(caches, files);
    const result = await installPrecache(manifest, installDeps);

    expect(server.requested.sort()).toEqual(Object.keys(FILES).sort());
    const cache = await caches.open(precacheName(manifest.version));
    for (const entry of manifest.entries) {
      const stored = (await cache.match(new URL(entry.path, SCOPE).href))!;
      expect(new Uint8Array(await stored.arrayBuffer())).toEqual(files.get(entry.path));
      expect(stored.headers.get(REVISION_HEADER)).toBe(entry.sha256);
      expect(stored.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
      expect(stored.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
      expect(stored.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    }
    expect((await cache.match(`${SCOPE}ort/ort.wasm`))!.headers.get('Content-Type')).toBe('application/wasm');
    const total = manifest.entries.reduce((sum, e) => sum + e.bytes, 0);
    expect(result).toEqual({ filesDone: 4, filesTotal: 4, bytesDone: total, bytesTotal: total, reused: 0 });
    expect(progress[0].filesDone).toBe(0);
    expect(progress.at(-1)).toEqual(result);
    expect(await precacheComplete(manifest, caches, SCOPE)).toBe(true);
  });

  it('a new build downloads only its changed files and copies the rest from the older cache', async () => {
    const caches = new FakeCaches();
    const first = site(FILES);
    await installPrecache(await manifestOf(first), deps(caches, first).installDeps);

    const second = site({ ...FILES, 'index.html': '<!doctype html><title>lab 2</title>' });
    const manifest = await manifestOf(second);
    const { installDeps, server } = deps(caches, second);
    const result = await installPrecache(manifest, installDeps);
    expect(server.requested).toEqual(['index.html']);
    expect(result.reused).toBe(3);
    const stored = await (await caches.open(precacheName(manifest.version))).match(`${SCOPE}index.html`);
    expect(await stored!.text()).toContain('lab 2');
  });

  it('lets the HTTP cache answer first, and asks the server again when those bytes are stale', async () => {
    const files = site(FILES);
    const manifest = await manifestOf(files);
    const server = serve(files);
    const modes: (RequestCache | undefined)[] = [];
    const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
      modes.push(init?.cache);
      // A stale HTTP-cache copy of index.html, unless the request bypasses the HTTP cache.
      if (url.endsWith('index.html') && init?.cache !== 'reload') return new Response('<!doctype html><title>old build</title>');
      return server.fetch(url);
    };
    const caches = new FakeCaches();
    await installPrecache(manifest, { caches, fetch, scope: SCOPE, sha256: async (b) => sha256(b), concurrency: 1 });
    expect(modes).toEqual(['default', 'reload', 'default', 'default', 'default']);
    expect(await (await (await caches.open(precacheName(manifest.version))).match(`${SCOPE}index.html`))!.text()).toBe(FILES['index.html']);
  });

  it('fails, saying which file and to rebuild, when the server holds other bytes than the build listed, and leaves no half cache', async () => {
    const built = site(FILES);
    const manifest = await manifestOf(built);
    const served = site({ ...FILES, 'models/m/onnx/decoder.onnx': 'retrained weights' });
    const caches = new FakeCaches();
    const { installDeps, server } = deps(caches, served);
    const error = await installPrecache(manifest, installDeps).catch((e: unknown) => e);
    expect(server.requested.filter((path) => path.endsWith('decoder.onnx'))).toHaveLength(2);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as Error).message).toMatch(/^models\/m\/onnx\/decoder\.onnx on the server is not the file this build listed/);
    expect((error as Error).message).toContain('rebuild (`npm run build`)');
    expect(await caches.keys()).toEqual([]);
  });

  it('turns a full disk into a message with the size needed, the quota, and that the lab still works online', async () => {
    const files = site(FILES);
    const manifest = await manifestOf(files);
    const caches = new FakeCaches();
    caches.quotaBytes = 2000;
    const { installDeps } = deps(caches, files, { estimate: async () => ({ usage: 1_500_000, quota: 2_000_000 }), concurrency: 1 });
    const error = (await installPrecache(manifest, installDeps).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(InstallError);
    expect(error.message).toBe('not enough storage for the offline copy: it needs 0.0 MB (the browser allows this site 2.0 MB, 1.5 MB in use); ' +
      'the lab still works online; free space or leave private browsing to use it offline');
    expect(await caches.keys()).toEqual([]);
  });

  it('says which file could not be downloaded when the network fails, and which answered an HTTP error', async () => {
    const files = site(FILES);
    const manifest = await manifestOf(files);
    const offline = deps(new FakeCaches(), files, { concurrency: 1 });
    offline.server.offline = true;
    const networkError = (await installPrecache(manifest, offline.installDeps).catch((e: unknown) => e)) as Error;
    expect(networkError.message).toMatch(/^could not download index\.html \(Failed to fetch\): the offline copy needs the network once/);

    const missing = site(FILES);
    missing.delete('ort/ort.wasm');
    const httpError = (await installPrecache(manifest, deps(new FakeCaches(), missing).installDeps).catch((e: unknown) => e)) as Error;
    expect(httpError.message).toMatch(/^ort\/ort\.wasm answered HTTP 404: the server does not serve this build/);
  });
});

describe('deleteOldCaches and precacheComplete', () => {
  it('deletes only this app\'s caches that are not kept', async () => {
    const caches = new FakeCaches();
    for (const name of [precacheName('old'), runtimeCacheName('old'), precacheName('new'), runtimeCacheName('new'), 'another-app']) await caches.open(name);
    const deleted = await deleteOldCaches(caches, [precacheName('new'), runtimeCacheName('new')]);
    expect(deleted.sort()).toEqual([precacheName('old'), runtimeCacheName('old')].sort());
    expect((await caches.keys()).sort()).toEqual(['another-app', precacheName('new'), runtimeCacheName('new')].sort());
  });

  it('notices a file the browser evicted', async () => {
    const files = site(FILES);
    const manifest = await manifestOf(files);
    const caches = new FakeCaches();
    await installPrecache(manifest, deps(caches, files).installDeps);
    (await caches.open(precacheName(manifest.version))).entries.delete(`${SCOPE}ort/ort.wasm`);
    expect(await precacheComplete(manifest, caches, SCOPE)).toBe(false);
    expect(await precacheComplete(manifest, new FakeCaches(), SCOPE)).toBe(false);
  });
});
