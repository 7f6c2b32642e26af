// Vite plugin for the lab's offline copy, build only: after the app is written to dist/, it picks
// the files to precache (precache-select.ts over Vite's bundle graph), hashes each (sha256), builds
// src/sw/sw.ts with that manifest written in as dist/sw.js (its own Vite build: one classic script,
// no hash in its name, so its URL stays put and any changed file changes its bytes), and writes
// dist/_headers (Netlify / Cloudflare Pages). Build tooling only (Node): never imported by app code.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isAbsolute, join, relative, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig, type Rolldown } from 'vite';
import { TRANSFORMERS_ORT_FILES } from '../runtime/vite-plugin-hf-ort.ts';
import { ORT_URL_DIR } from '../runtime/served-files.ts';
import { ORT_WEBGPU_FILES } from '../runtime/vite-plugin-ort.ts';
import { headersFile } from './isolation-headers.ts';
import { manifestBytes, manifestVersion, type PrecacheEntry, type PrecacheManifest } from './precache-manifest.ts';
import { modelFoldersIn, selectPrecache, type BuildFile, type PrecacheRules } from './precache-select.ts';

/**
 * The lab: index.html, the default model, and the lab's WASM ORT pair. Stored on first use: the
 * WebGPU (JSEP) pair, and transformers.js's ORT pair (model-check.html only).
 */
export const DEFAULT_OFFLINE_RULES: PrecacheRules = {
  pages: ['index.html'],
  models: ['pebench-tiny'],
  firstUse: [...ORT_WEBGPU_FILES, ...TRANSFORMERS_ORT_FILES].map((file) => `${ORT_URL_DIR}/${file}`),
};

const SW_SOURCE = fileURLToPath(new URL('./sw.ts', import.meta.url));
export const SW_FILE = 'sw.js';
export const HEADERS_FILE = '_headers';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** Vite's output bundle as BuildFiles: entry chunks with their HTML page, and what each chunk references. */
export function describeBundle(bundle: Rolldown.OutputBundle, root: string): BuildFile[] {
  return Object.values(bundle).map((item): BuildFile => {
    if (item.type === 'asset') return { path: item.fileName, references: [] };
    const page = item.isEntry && item.facadeModuleId?.endsWith('.html') ? relative(root, item.facadeModuleId).split(sep).join('/') : undefined;
    const metadata = item.viteMetadata;
    return {
      path: item.fileName,
      entryOfPage: page,
      references: [...item.imports, ...item.dynamicImports, ...(metadata?.importedCss ?? []), ...(metadata?.importedAssets ?? [])],
    };
  });
}

/** Files Vite copies from public/ (not in the bundle), as BuildFiles. */
function publicFiles(config: ResolvedConfig): BuildFile[] {
  const dir = config.publicDir;
  if (!dir || !config.build.copyPublicDir || !existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((entry) => entry.isFile())
    .map((entry) => ({ path: relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'), references: [] }));
}

/** Hashes the selected files as written in `outDir`. */
export async function precacheManifest(outDir: string, paths: readonly string[]): Promise<PrecacheManifest> {
  const entries: PrecacheEntry[] = paths.map((path) => {
    const bytes = readFileSync(join(outDir, path));
    return { path, sha256: sha256(bytes), bytes: bytes.byteLength };
  });
  return { version: await manifestVersion(entries, async (text) => sha256(text)), entries };
}

/** Builds src/sw/sw.ts into `<outDir>/sw.js` with `manifest` written in (one classic script, minified). */
async function buildServiceWorker(config: ResolvedConfig, outDir: string, manifest: PrecacheManifest): Promise<void> {
  await build({
    configFile: false,
    root: config.root,
    base: config.base,
    mode: config.mode,
    logLevel: 'warn',
    publicDir: false,
    define: { __PEBENCH_PRECACHE__: JSON.stringify(manifest) },
    build: {
      outDir,
      emptyOutDir: false,
      copyPublicDir: false,
      target: 'es2022',
      reportCompressedSize: false,
      modulePreload: false,
      rolldownOptions: { input: SW_SOURCE, output: { format: 'iife', entryFileNames: SW_FILE } },
    },
  });
}

export function offlineSupport(rules: PrecacheRules = DEFAULT_OFFLINE_RULES): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'pebench-offline-support',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    writeBundle: {
      order: 'post',
      sequential: true,
      async handler(output, bundle) {
        const outDir = output.dir ?? (isAbsolute(config.build.outDir) ? config.build.outDir : join(config.root, config.build.outDir));
        const files = [...describeBundle(bundle, config.root), ...publicFiles(config)];
        const missingModels = rules.models.filter((model) => !modelFoldersIn(files).includes(model));
        if (missingModels.length > 0) {
          this.warn(`offline copy: no models/${missingModels.join('/, models/')}/ in the build, so the lab cannot load its model offline: ` +
            'train it (`npx pebench train`) or restore models/ from git, then rebuild');
        }
        const selection = selectPrecache(files, rules);
        const manifest = await precacheManifest(outDir, selection.precache);
        writeFileSync(join(outDir, HEADERS_FILE), headersFile(config.base));
        await buildServiceWorker(config, outDir, manifest);
        config.logger.info(`offline copy: ${SW_FILE} precaches ${manifest.entries.length} files, ${megabytes(manifestBytes(manifest))} ` +
          `(version ${manifest.version}); ${selection.leftOut.length} files cached on first use or never`);
      },
    },
  };
}
