// Vite config for the lab's single-page app, and Vitest's unit-test settings.
// Cross-origin isolation (COOP/COEP, for onnxruntime-web's multi-threaded WASM) and the
// Content-Security-Policy (src/sw/content-security-policy.ts) are sent by dev and preview alike; the
// dev server also loosens the pages' CSP <meta> for the <style> elements it injects.
import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { ortWasmFiles } from './src/runtime/vite-plugin-ort.ts';
import { transformersOrtFiles } from './src/runtime/vite-plugin-hf-ort.ts';
import { modelFolders } from './src/runtime/vite-plugin-models.ts';
import { contentSecurityPolicy, CSP_HEADER, metaPolicy, withMetaPolicy } from './src/sw/content-security-policy.ts';
import { offlineSupport } from './src/sw/vite-plugin.ts';

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
/** `npm run dev`: the CSP with style-src 'unsafe-inline' (Vite injects CSS as <style> elements). */
export const devHeaders = { ...isolationHeaders, [CSP_HEADER]: contentSecurityPolicy({ dev: true }) };
/** `vite preview` (and the e2e tests): the production CSP, as in dist/_headers. */
export const previewHeaders = { ...isolationHeaders, [CSP_HEADER]: contentSecurityPolicy() };

/** Dev server only: each page's CSP <meta> gets the dev policy, or the page's own would block the injected styles. */
function devPolicyMeta(): Plugin {
  return {
    name: 'pebench-dev-csp-meta',
    apply: 'serve',
    transformIndexHtml: { order: 'pre', handler: (html, context) => withMetaPolicy(html, metaPolicy({ dev: true }), context.path) },
  };
}

export default defineConfig({
  plugins: [svelte(), ortWasmFiles(), transformersOrtFiles(), modelFolders(), offlineSupport(), devPolicyMeta()],
  server: { headers: devHeaders },
  preview: { headers: previewHeaders, port: 4173 },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // engine-check.html: the runtime self-check page (parity e2e test, manual WebGPU/WASM check);
    // model-check.html: the lab's runtime and transformers.js answer alike from models/<name>/.
    rolldownOptions: { input: { main: 'index.html', engineCheck: 'engine-check.html', modelCheck: 'model-check.html' } },
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
