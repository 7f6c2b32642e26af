// The lab's Content-Security-Policy: one table for every way the app is served, the dev and preview
// servers (vite.config.ts), the production `_headers` and every service worker response
// (isolation-headers.ts), and the <meta> fallback in the three HTML pages (a unit test keeps those
// equal to metaPolicy()). Not here: COOP/COEP (isolation-headers.ts). Shared by Node and the worker.

export const CSP_HEADER = 'Content-Security-Policy';

/** Each directive with why it holds what it holds. */
const DIRECTIVES: Record<string, readonly string[]> = {
  // Everything not named below: this origin only.
  'default-src': ["'self'"],
  // Our own bundles; 'wasm-unsafe-eval' lets onnxruntime-web compile its WASM. No 'unsafe-eval',
  // no inline script (Vite emits none).
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  // Svelte's component styles are built into CSS files; style="…" bindings are set through the
  // CSSOM (element.style), which CSP does not govern, so no 'unsafe-inline' (except in dev, below).
  'style-src': ["'self'"],
  // Uploaded probe images are shown from object URLs; data: for the empty favicon.
  'img-src': ["'self'", 'blob:', 'data:'],
  // Models, WASM and the offline copy come from this origin; nothing else may be fetched.
  'connect-src': ["'self'"],
  // The lab and render workers and ORT's WASM threads are scripts of this origin.
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  // Not embeddable in other sites' frames (header only: a <meta> policy ignores it).
  'frame-ancestors': ["'none'"],
};

/**
 * The policy as a header value. `dev`: Vite's dev server injects every CSS module as a <style>
 * element, which needs style-src 'unsafe-inline' (dev only; built pages load CSS files).
 * `meta`: without the directives a <meta> policy may not carry (frame-ancestors).
 */
export function contentSecurityPolicy(options: { dev?: boolean; meta?: boolean } = {}): string {
  return Object.entries(DIRECTIVES)
    .filter(([name]) => !(options.meta && name === 'frame-ancestors'))
    .map(([name, sources]) => [name, ...sources, ...(options.dev && name === 'style-src' ? ["'unsafe-inline'"] : [])].join(' '))
    .join('; ');
}

/** The policy the HTML pages carry in `<meta http-equiv="Content-Security-Policy">`. */
export const metaPolicy = (options: { dev?: boolean } = {}): string => contentSecurityPolicy({ ...options, meta: true });

const META_TAG = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;

/** The policy of a page's CSP <meta> tag, or null when it has none. */
export function metaPolicyOf(html: string): string | null {
  return META_TAG.exec(html)?.[2] ?? null;
}

/** `html` with its CSP <meta> tag set to `policy` (the dev server's variant); a page without one is an error. */
export function withMetaPolicy(html: string, policy: string, page = 'this page'): string {
  if (!META_TAG.test(html)) throw new Error(`${page} has no <meta http-equiv="Content-Security-Policy" content="…"> tag: add the one index.html has`);
  return html.replace(META_TAG, (_match, open: string, _old: string, close: string) => `${open}${policy}${close}`);
}
