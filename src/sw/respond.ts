// The service worker's answer to one request (same-origin GET inside its scope):
//   page navigations   network first (a new build shows at once when online), stored copy when offline;
//   precached files    cache first, query string ignored (file names carry content hashes, model
//                      files are checked against the build's sha256 at install);
//   everything else    network, then a copy in the runtime cache (other model folders, check pages;
//                      bounded, oldest dropped first: runtime-cache.ts), that copy when offline.
// Every response it returns carries COOP/COEP/CORP and the CSP (isolation-headers.ts). Not the install step.
import { withIsolationHeaders } from './isolation-headers.ts';
import type { CacheStorageLike } from './install.ts';
import { precacheName, runtimeCacheName, type PrecacheManifest } from './precache-manifest.ts';
import { keepInRuntimeCache, type CacheLimits } from './runtime-cache.ts';

/** The parts of a Request used here (tests cannot construct navigation Requests). */
export type RequestLike = Pick<Request, 'url' | 'method' | 'mode'>;

export interface RespondDeps {
  caches: CacheStorageLike;
  fetch: (request: RequestLike) => Promise<Response>;
  /** The service worker's scope URL, ending in '/'. */
  scope: string;
  manifest: PrecacheManifest;
  /** The manifest's paths, for lookups. */
  precached: ReadonlySet<string>;
  /** Keeps the worker alive for work finished after the response (event.waitUntil). */
  defer?: (work: Promise<unknown>) => void;
  /** The runtime cache's bound (default RUNTIME_CACHE_LIMITS). */
  runtimeLimits?: CacheLimits;
}

/** Whether the service worker answers this request: GET, same origin, inside its scope. */
export function handles(request: RequestLike, scope: string): boolean {
  return request.method === 'GET' && request.url.startsWith(scope);
}

/**
 * The manifest path a URL names, or null: the path relative to the scope, query and fragment
 * ignored; a navigation to a folder ('', 'x/') means its index.html.
 */
export function precachedPathFor(url: string, scope: string, precached: ReadonlySet<string>, navigation: boolean): string | null {
  const { origin, pathname } = new URL(url);
  const scopeUrl = new URL(scope);
  if (origin !== scopeUrl.origin || !pathname.startsWith(scopeUrl.pathname)) return null;
  let path: string;
  try {
    path = pathname.slice(scopeUrl.pathname.length).split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
  if (navigation && (path === '' || path.endsWith('/'))) path += 'index.html';
  return precached.has(path) ? path : null;
}

export async function respond(request: RequestLike, deps: RespondDeps): Promise<Response> {
  const navigation = request.mode === 'navigate';
  const path = precachedPathFor(request.url, deps.scope, deps.precached, navigation);
  if (navigation) return networkFirst(request, path, deps);
  if (path !== null) {
    const stored = await fromPrecache(path, deps);
    if (stored) return withIsolationHeaders(stored);
  }
  return networkThenCache(request, deps);
}

async function fromPrecache(path: string, deps: RespondDeps): Promise<Response | undefined> {
  const cache = await deps.caches.open(precacheName(deps.manifest.version));
  return cache.match(new URL(path, deps.scope).href);
}

async function networkFirst(request: RequestLike, path: string | null, deps: RespondDeps): Promise<Response> {
  try {
    const response = await deps.fetch(request);
    // A precached page is stored at install only, checked against the build's hash.
    return path === null ? keepCopy(request, response, deps) : withIsolationHeaders(response);
  } catch {
    const stored = (path !== null ? await fromPrecache(path, deps) : undefined) ?? (await fromRuntimeCache(request, deps));
    return stored ? withIsolationHeaders(stored) : offlineResponse(request, deps.scope);
  }
}

async function networkThenCache(request: RequestLike, deps: RespondDeps): Promise<Response> {
  let response: Response;
  try {
    response = await deps.fetch(request);
  } catch {
    const stored = await fromRuntimeCache(request, deps);
    return stored ? withIsolationHeaders(stored) : offlineResponse(request, deps.scope);
  }
  return keepCopy(request, response, deps);
}

/** The response with isolation headers; a copy goes into the runtime cache when it is a whole 200 of ours. */
function keepCopy(request: RequestLike, response: Response, deps: RespondDeps): Response {
  const wrapped = withIsolationHeaders(response);
  // 'basic' is a same-origin network response; 'default' one made in a worker (and in tests).
  if (response.status === 200 && (response.type === 'basic' || response.type === 'default')) {
    const copy = wrapped.clone();
    const store = deps.caches.open(runtimeCacheName(deps.manifest.version)).then((cache) => keepInRuntimeCache(cache, request.url, copy, deps.runtimeLimits)).catch((error: unknown) => {
      // Quota or a broken stream: the page got its answer; it just will not be there offline.
      console.warn(`offline cache: could not keep ${request.url} for offline use: ${(error as Error)?.message ?? error}`);
    });
    deps.defer?.(store);
  }
  return wrapped;
}

async function fromRuntimeCache(request: RequestLike, deps: RespondDeps): Promise<Response | undefined> {
  return (await deps.caches.open(runtimeCacheName(deps.manifest.version))).match(request.url);
}

function offlineResponse(request: RequestLike, scope: string): Response {
  const path = request.url.startsWith(scope) ? request.url.slice(scope.length) : request.url;
  const message = `Offline, and ${path || 'this page'} was not stored for offline use: open it once while online, then it works offline too.`;
  return withIsolationHeaders(new Response(message, { status: 504, statusText: 'Offline and not cached', headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
}
