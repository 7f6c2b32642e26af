// Vite config for the lab's single-page app, and Vitest's unit-test settings.
// Cross-origin isolation (COOP/COEP) is set for dev, preview and production-like serving so that
// onnxruntime-web can run multi-threaded WASM (SharedArrayBuffer needs it).
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { ortWasmFiles } from './src/runtime/vite-plugin-ort.ts';
import { transformersOrtFiles } from './src/runtime/vite-plugin-hf-ort.ts';
import { modelFolders } from './src/runtime/vite-plugin-models.ts';
import { offlineSupport } from './src/sw/vite-plugin.ts';

export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte(), ortWasmFiles(), transformersOrtFiles(), modelFolders(), offlineSupport()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, port: 4173 },
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
