// Vite plugin that self-hosts the second onnxruntime-web WASM build, the one transformers.js uses:
// its browser bundle imports `onnxruntime-web/webgpu`, whose extern-wasm entry loads the
// "asyncify" .mjs/.wasm pair from env.backends.onnx.wasm.wasmPaths. This serves that pair at
// `<base>/ort/` in dev and copies it into dist/ort/ at build, beside the lab's own pair
// (vite-plugin-ort.ts), so a page using transformers.js loads nothing from a CDN.
// Build tooling only (Node): never imported by app code. Not the lab's runtime files.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { ORT_URL_DIR } from './vite-plugin-ort.ts';

/** The files onnxruntime-web/webgpu's extern-wasm entry loads (WASM and WebGPU alike). */
export const TRANSFORMERS_ORT_FILES = ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'] as const;

function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm'));
}

const contentTypeOf = (file: string): string => (file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');

export function transformersOrtFiles(): Plugin {
  let distDir = '';
  return {
    name: 'pebench-transformers-ort-files',
    configResolved() {
      distDir = ortDistDir();
    },
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = (request.url ?? '').split('?')[0];
        const file = TRANSFORMERS_ORT_FILES.find((name) => path.endsWith(`/${ORT_URL_DIR}/${name}`));
        if (!file) return next();
        // Answered before Vite's own middlewares: the WASM thread workers start from this .mjs and
        // are blocked under COEP unless it carries the page's COOP/COEP headers too.
        for (const [name, value] of Object.entries(server.config.server.headers ?? {})) {
          if (value !== undefined) response.setHeader(name, value);
        }
        response.setHeader('Content-Type', contentTypeOf(file));
        response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        response.end(readFileSync(join(distDir, file)));
      });
    },
    generateBundle() {
      for (const file of TRANSFORMERS_ORT_FILES) {
        this.emitFile({ type: 'asset', fileName: `${ORT_URL_DIR}/${file}`, source: readFileSync(join(distDir, file)) });
      }
    },
  };
}
