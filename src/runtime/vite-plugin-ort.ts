// Vite plugin that self-hosts onnxruntime-web's WASM runtime: serves
// node_modules/onnxruntime-web/dist/<file> at `<base>/ort/<file>` in dev and preview (the .wasm
// not HTTP-cached: BIG_FILE_CACHE_CONTROL) and copies those files
// into `dist/ort/` at build time (they are never committed), and makes browser builds use ORT's
// "extern wasm" entry so the 28 MB .wasm is not bundled a second time under assets/.
// Build tooling only (Node): never imported by app code.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defaultClientConditions, type Plugin } from 'vite';
import { BIG_FILE_CACHE_CONTROL, ORT_URL_DIR } from './served-files.ts';

/** The pair `onnxruntime-web/wasm` loads (the lab's WASM backend). */
export const ORT_WASM_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'] as const;
/** The pair ORT's default entry loads (JSEP: the lab's WebGPU backend). */
export const ORT_WEBGPU_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'] as const;
export const ORT_RUNTIME_FILES = [...ORT_WASM_FILES, ...ORT_WEBGPU_FILES] as const;

function ortDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.jsep.wasm'));
}

const contentTypeOf = (file: string): string => (file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');

export function ortWasmFiles(): Plugin {
  return {
    ...ortFilesPlugin('pebench-ort-wasm-files', ORT_RUNTIME_FILES),
    config() {
      // ORT's "use extern wasm" entry loads the .mjs/.wasm from env.wasm.wasmPaths only.
      return { environments: { client: { resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] } } } };
    },
  };
}

/**
 * Serves `files` of onnxruntime-web's dist folder at `<base>/ort/<file>` in dev and copies them into
 * `dist/ort/` at build. Also used for transformers.js's own ORT build (vite-plugin-hf-ort.ts).
 */
function serveFiles(files: readonly string[], distDir: () => string, headers: () => Record<string, string | number | readonly string[] | undefined> | undefined) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const path = (request.url ?? '').split('?')[0];
    const file = files.find((f) => path.endsWith(`/${ORT_URL_DIR}/${f}`));
    if (!file) return next();
    // This middleware answers before Vite's own, so copy the configured headers (COOP/COEP) here:
    // ORT starts its WASM threads as workers from this .mjs, and under COEP a worker script
    // without those headers is blocked.
    for (const [header, value] of Object.entries(headers() ?? {})) {
      if (value !== undefined) response.setHeader(header, value);
    }
    response.setHeader('Content-Type', contentTypeOf(file));
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    response.setHeader('Cache-Control', file.endsWith('.wasm') ? BIG_FILE_CACHE_CONTROL : 'no-cache');
    response.end(readFileSync(join(distDir(), file)));
  };
}

export function ortFilesPlugin(name: string, files: readonly string[]): Plugin {
  let distDir = '';
  return {
    name,
    configResolved() {
      distDir = ortDistDir();
    },
    configureServer(server) {
      server.middlewares.use(serveFiles(files, () => distDir, () => server.config.server.headers));
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveFiles(files, () => distDir, () => server.config.preview.headers));
    },
    generateBundle() {
      for (const file of files) {
        this.emitFile({ type: 'asset', fileName: `${ORT_URL_DIR}/${file}`, source: readFileSync(join(distDir, file)) });
      }
    },
  };
}
