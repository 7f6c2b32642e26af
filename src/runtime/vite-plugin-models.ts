// Vite plugin that serves the repo's model folders: `<base>/models/<name>/<file>` answers from
// models/<name>/<file> in dev and in `vite preview` (so a freshly trained model is served without a
// rebuild), with the page's COOP/COEP headers, Cross-Origin-Resource-Policy and a real 404 for a
// missing file (never the SPA's index.html, which transformers.js would take for a file); at build
// it copies models/** into dist/models/. Build tooling only (Node): never imported by app code.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { BIG_FILE_CACHE_CONTROL, MODELS_URL_DIR } from './served-files.ts';

type Headers = Record<string, string | number | readonly string[] | undefined> | undefined;
type Next = (error?: unknown) => void;

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  jinja: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  onnx: 'application/octet-stream',
  onnx_data: 'application/octet-stream',
};

export function contentTypeOf(file: string): string {
  const extension = file.slice(file.lastIndexOf('.') + 1).toLowerCase();
  return CONTENT_TYPES[extension] ?? 'application/octet-stream';
}

/** Every file under `folder` as '/'-separated relative paths (hidden names and partial writes skipped). */
export function listModelFiles(folder: string, prefix = ''): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || entry.name.endsWith('.tmp') || entry.name.endsWith('.partial')) return [];
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return listModelFiles(folder, path);
    return entry.isFile() ? [path] : [];
  });
}

/**
 * The file under `modelsDir` that a request path names, or null when the path is not below
 * `<base>models/`; 'invalid' for paths that try to leave the folder.
 */
export function modelFileFor(urlPath: string, base: string, modelsDir: string): string | 'invalid' | null {
  const prefix = `${base.replace(/\/?$/, '/')}${MODELS_URL_DIR}/`;
  if (!urlPath.startsWith(prefix)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.slice(prefix.length));
  } catch {
    return 'invalid';
  }
  const segments = relative.split('/');
  if (!relative || relative.includes('\\') || relative.includes('\0') || segments.some((s) => s === '..' || s === '.' || s === '' || s.startsWith('.'))) {
    return 'invalid';
  }
  const file = resolve(modelsDir, ...segments);
  return file.startsWith(modelsDir + sep) ? file : 'invalid';
}

function modelMiddleware(base: () => string, modelsDir: () => string, headers: () => Headers) {
  return (request: IncomingMessage, response: ServerResponse, next: Next): void => {
    const urlPath = (request.url ?? '').split('?')[0];
    const file = modelFileFor(urlPath, base(), modelsDir());
    if (file === null) return next();
    // Answered before Vite's own middlewares, so copy the configured COOP/COEP headers here.
    for (const [name, value] of Object.entries(headers() ?? {})) {
      if (value !== undefined) response.setHeader(name, value as string | number | readonly string[]);
    }
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    response.setHeader('Cache-Control', BIG_FILE_CACHE_CONTROL);
    const fail = (status: number, message: string) => {
      response.statusCode = status;
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end(message);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405, 'model files are read-only: use GET or HEAD');
    if (file === 'invalid') return fail(400, `bad model file path ${urlPath}: use /${MODELS_URL_DIR}/<model>/<file>`);
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile()) {
      return fail(404, `no model file ${urlPath}: train the model (\`npx pebench train\`) or restore the models/ folder from git`);
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', contentTypeOf(file));
    response.setHeader('Content-Length', stats.size);
    if (request.method === 'HEAD') return void response.end();
    createReadStream(file).on('error', next).pipe(response);
  };
}

/** Serves and ships the repo's models/ folder (see the header). `folder` defaults to `<root>/models`. */
export function modelFolders(options: { folder?: string } = {}): Plugin {
  let modelsDir = '';
  let base = '/';
  return {
    name: 'pebench-model-folders',
    configResolved(config) {
      modelsDir = resolve(config.root, options.folder ?? MODELS_URL_DIR);
      base = config.base;
    },
    configureServer(server) {
      server.middlewares.use(modelMiddleware(() => base, () => modelsDir, () => server.config.server.headers));
    },
    configurePreviewServer(server) {
      server.middlewares.use(modelMiddleware(() => base, () => modelsDir, () => server.config.preview.headers));
    },
    generateBundle() {
      for (const path of listModelFiles(modelsDir)) {
        this.emitFile({ type: 'asset', fileName: `${MODELS_URL_DIR}/${path}`, source: readFileSync(join(modelsDir, path)) });
      }
    },
  };
}
