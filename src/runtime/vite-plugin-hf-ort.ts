// Vite plugin that self-hosts the second onnxruntime-web WASM build, the one transformers.js uses:
// its browser bundle imports `onnxruntime-web/webgpu`, whose extern-wasm entry loads the
// "asyncify" .mjs/.wasm pair from env.backends.onnx.wasm.wasmPaths. This serves that pair at
// `<base>/ort/` in dev and copies it into dist/ort/ at build, beside the lab's own pair
// (vite-plugin-ort.ts), so a page using transformers.js loads nothing from a CDN.
// Build tooling only (Node): never imported by app code. Not the lab's runtime files.
import type { Plugin } from 'vite';
import { ortFilesPlugin } from './vite-plugin-ort.ts';

/** The files onnxruntime-web/webgpu's extern-wasm entry loads (WASM and WebGPU alike). */
export const TRANSFORMERS_ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'] as const;

export function transformersOrtFiles(): Plugin {
  return ortFilesPlugin('pebench-transformers-ort-files', TRANSFORMERS_ORT_FILES);
}
