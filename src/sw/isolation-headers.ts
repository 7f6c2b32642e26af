// The cross-origin isolation headers (COOP/COEP, plus CORP for our own files) and the one function
// that puts them, with the Content-Security-Policy, on a Response the service worker hands back, so
// a page served from the cache or by a static host that sets no headers is still crossOriginIsolated
// (multi-threaded WASM needs SharedArrayBuffer) and under the policy. Also the `_headers` file for
// Netlify / Cloudflare Pages. Not the dev or preview servers' headers (vite.config.ts; a test compares).
import { BIG_FILE_CACHE_CONTROL, BIG_FILE_PATTERNS } from '../runtime/served-files.ts';
import { contentSecurityPolicy, CSP_HEADER } from './content-security-policy.ts';

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/** Our own files may only be embedded by our own origin; under COEP require-corp that is enough. */
export const RESOURCE_POLICY = { 'Cross-Origin-Resource-Policy': 'same-origin' } as const;

/** The production policy (content-security-policy.ts), for `_headers` and the service worker. */
export const SECURITY_POLICY = { [CSP_HEADER]: contentSecurityPolicy() } as const;

/**
 * A copy of `response` carrying COOP, COEP, CORP and the CSP (and `extra`), body streamed through, status kept.
 * Opaque and error responses (status 0) cannot be re-made and come back unchanged. Content-Encoding
 * and Content-Length are dropped when the body was compressed on the wire: the body handed on is the
 * decoded one.
 */
export function withIsolationHeaders(response: Response, extra: Record<string, string> = {}): Response {
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect' || response.type === 'error') return response;
  const headers = new Headers(response.headers);
  if (headers.has('Content-Encoding')) {
    headers.delete('Content-Encoding');
    headers.delete('Content-Length');
  }
  for (const [name, value] of Object.entries({ ...ISOLATION_HEADERS, ...RESOURCE_POLICY, ...SECURITY_POLICY, ...extra })) headers.set(name, value);
  // A null-body status (204, 304) must not be given a body, even an empty one.
  const body = [101, 204, 205, 304].includes(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * `_headers` for Netlify and Cloudflare Pages: isolation headers and the CSP on every path under `base`, sw.js
 * revalidated on every check so a new build is picked up at once, big files not HTTP-cached.
 */
export function headersFile(base: string): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  const lines = [`${root}*`, ...Object.entries({ ...ISOLATION_HEADERS, ...RESOURCE_POLICY, ...SECURITY_POLICY }).map(([name, value]) => `  ${name}: ${value}`)];
  lines.push(`${root}sw.js`, '  Cache-Control: no-cache');
  for (const path of BIG_FILE_PATTERNS) lines.push(`${root}${path}`, `  Cache-Control: ${BIG_FILE_CACHE_CONTROL}`);
  return `${lines.join('\n')}\n`;
}
