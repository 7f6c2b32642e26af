// Where the app serves the runtime's big files and how: onnxruntime-web's WASM under `<base>/ort/`,
// model folders under `<base>/models/`, neither kept by the browser's HTTP cache. Plain constants (no
// Node, no DOM), read by runtime's Vite plugins and, from above, by sw/ (`_headers`, offline rules).
// Not here: serving them (vite-plugin-ort.ts, vite-plugin-models.ts) or COOP/COEP/CSP (sw/isolation-headers.ts).

export const ORT_URL_DIR = 'ort';
export const MODELS_URL_DIR = 'models';

/**
 * Cache-Control of the big files (onnxruntime-web's .wasm, model folders, ~31 MB): not stored by the
 * browser's HTTP cache. The service worker keeps the offline copy (src/sw/), so an HTTP-cache copy
 * would be a second one, and in Chromium writing it made the first download about twice as slow
 * (14 MB .wasm: ~600 ms with, ~320 ms without, plain Chromium on the 2-core test machine).
 */
export const BIG_FILE_CACHE_CONTROL = 'no-store';

/** The big files' URL patterns under the app's base, as `_headers` names them. */
export const BIG_FILE_PATTERNS = [`${ORT_URL_DIR}/*.wasm`, `${MODELS_URL_DIR}/*`] as const;
