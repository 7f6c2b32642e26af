import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/sw/content-security-policy.ts';
import { installPrecache } from '../../../src/sw/install.ts';
import { runtimeCacheName } from '../../../src/sw/precache-manifest.ts';
import { handles, precachedPathFor, respond, type RequestLike, type RespondDeps } from '../../../src/sw/respond.ts';
import { FakeCaches } from './fake-caches.ts';
import { manifestOf, SCOPE, serve, sha256, site } from './site.ts';

const FILES = {
  'index.html': '<!doctype html><title>lab</title>',
  'assets/main-abc.js': 'console.log(1)',
  'models/pebench-tiny/config.json': '{"a":1}',
  'models/other/config.json': '{"other":1}',
  'model-check.html': '<!doctype html><title>check</title>',
};
const PRECACHED = ['index.html', 'assets/main-abc.js', 'models/pebench-tiny/config.json'];

const get = (path: string, mode: RequestMode = 'cors'): RequestLike => ({ url: `${SCOPE}${path}`, method: 'GET', mode });

/** A service worker after install: precache filled, network served by `server`. */
async function installed() {
  const files = site(FILES);
  const manifest = await manifestOf(files, PRECACHED);
  const caches = new FakeCaches();
  await installPrecache(manifest, { caches, fetch: serve(files).fetch, scope: SCOPE, sha256: async (b) => sha256(b) });
  const server = serve(files);
  const deferred: Promise<unknown>[] = [];
  const deps: RespondDeps = { caches, fetch: server.fetch, scope: SCOPE, manifest, precached: new Set(PRECACHED), defer: (work) => deferred.push(work) };
  const settle = () => Promise.all(deferred);
  return { deps, server, caches, manifest, settle };
}

function expectIsolated(response: Response): void {
  expect(response.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
  expect(response.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp');
  expect(response.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
  expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy());
}

describe('precachedPathFor', () => {
  const precached = new Set(PRECACHED);
  it('maps URLs inside the scope to manifest paths, ignoring query and fragment', () => {
    expect(precachedPathFor(`${SCOPE}assets/main-abc.js?v=3#x`, SCOPE, precached, false)).toBe('assets/main-abc.js');
    expect(precachedPathFor(`${SCOPE}models/pebench-tiny/config.json`, SCOPE, precached, false)).toBe('models/pebench-tiny/config.json');
  });
  it('maps a navigation to the scope folder to its index.html, but not a plain fetch', () => {
    expect(precachedPathFor(SCOPE, SCOPE, precached, true)).toBe('index.html');
    expect(precachedPathFor(`${SCOPE}?seed=3`, SCOPE, precached, true)).toBe('index.html');
    expect(precachedPathFor(SCOPE, SCOPE, precached, false)).toBeNull();
  });
  it('knows nothing outside the scope, on other origins, or not listed', () => {
    expect(precachedPathFor('https://lab.example/index.html', SCOPE, precached, true)).toBeNull();
    expect(precachedPathFor('https://cdn.example/app/index.html', SCOPE, precached, false)).toBeNull();
    expect(precachedPathFor(`${SCOPE}models/other/config.json`, SCOPE, precached, false)).toBeNull();
    expect(precachedPathFor(`${SCOPE}%E0%A4%A`, SCOPE, precached, false)).toBeNull();
  });
});

describe('handles', () => {
  it('takes GETs inside the scope only', () => {
    expect(handles(get('index.html'), SCOPE)).toBe(true);
    expect(handles({ ...get('index.html'), method: 'POST' }, SCOPE)).toBe(false);
    expect(handles({ url: 'https://cdn.example/x.js', method: 'GET', mode: 'cors' }, SCOPE)).toBe(false);
    expect(handles({ url: 'https://lab.example/other/x.js', method: 'GET', mode: 'cors' }, SCOPE)).toBe(false);
  });
});

describe('respond', () => {
  it('answers precached files from the cache without the network, query ignored, with isolation headers and the CSP', async () => {
    const { deps, server } = await installed();
    const response = await respond(get('models/pebench-tiny/config.json?cachebust=1'), deps);
    expect(await response.text()).toBe('{"a":1}');
    expectIsolated(response);
    expect(server.requested).toEqual([]);
  });

  it('takes page navigations from the network when online, and from the offline copy when not', async () => {
    const { deps, server } = await installed();
    const online = await respond(get('', 'navigate'), deps);
    expect(server.requested).toEqual(['index.html']);
    expectIsolated(online);

    server.offline = true;
    const offline = await respond(get('?seed=4', 'navigate'), deps);
    expect(offline.status).toBe(200);
    expect(await offline.text()).toContain('<title>lab</title>');
    expectIsolated(offline);
  });

  it('keeps a copy of files that are not precached when fetched online, and serves that copy offline', async () => {
    const { deps, server, manifest, settle } = await installed();
    const online = await respond(get('models/other/config.json'), deps);
    expect(await online.text()).toBe('{"other":1}');
    expectIsolated(online);
    await settle();
    expect([...(await deps.caches.open(runtimeCacheName(manifest.version)) as unknown as { entries: Map<string, unknown> }).entries.keys()])
      .toEqual([`${SCOPE}models/other/config.json`]);

    server.offline = true;
    const offline = await respond(get('models/other/config.json'), deps);
    expect(await offline.text()).toBe('{"other":1}');
    expectIsolated(offline);
  });

  it('does not keep error responses', async () => {
    const { deps, manifest, settle } = await installed();
    expect((await respond(get('no/such/file.json'), deps)).status).toBe(404);
    await settle();
    expect(await (await deps.caches.open(runtimeCacheName(manifest.version))).keys()).toEqual([]);
  });

  it('answers 504 with what to do when offline and the file was never stored', async () => {
    const { deps, server } = await installed();
    server.offline = true;
    const response = await respond(get('model-check.html', 'navigate'), deps);
    expect(response.status).toBe(504);
    expect(await response.text()).toBe('Offline, and model-check.html was not stored for offline use: open it once while online, then it works offline too.');
    expectIsolated(response);
  });
});
