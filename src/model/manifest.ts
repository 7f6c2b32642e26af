// manifest.json of a model folder: every file's size and sha256, a model hash over all of them,
// the PE-Tiny config and the caller's metadata (seed, training record). verifyFiles reads each
// listed file and fails with an error that names the file and says how to get it back.
// Hashing uses WebCrypto (Node 20 and browsers), so this runs anywhere. Not here: what the files are (export.ts).
import type { PeTinyConfig } from './config.ts';
import { bytesText, type FileSource } from './files.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'pebench-model/1';

export interface ManifestEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** sha256 over the sorted "path sha256" lines of every file: names a model version. */
  modelHash: string;
  config: PeTinyConfig;
  meta: Record<string, unknown>;
  files: ManifestEntry[];
}

/** Thrown when a model folder is missing, incomplete or corrupted. */
export class ModelFilesError extends Error {
  constructor(message: string, readonly path: string) {
    super(message);
    this.name = 'ModelFilesError';
  }
}

export const RESTORE_HINT = 'run `npx pebench train` or restore models/pebench-tiny from git';

export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function buildManifest(files: ReadonlyMap<string, Uint8Array>, config: PeTinyConfig, meta: Record<string, unknown>): Promise<Manifest> {
  const entries: ManifestEntry[] = [];
  for (const [path, data] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    entries.push({ path, bytes: data.byteLength, sha256: await sha256Hex(data) });
  }
  const modelHash = await sha256Hex(new TextEncoder().encode(entries.map((e) => `${e.path} ${e.sha256}\n`).join('')));
  return { format: MANIFEST_FORMAT, modelHash, config, meta, files: entries };
}

export async function readManifest(source: FileSource): Promise<Manifest> {
  const where = `${source.label}/${MANIFEST_FILE}`;
  const bytes = await source.read(MANIFEST_FILE);
  if (!bytes) throw new ModelFilesError(`model manifest ${where} is missing: ${RESTORE_HINT}`, MANIFEST_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(bytesText(bytes)) as Manifest;
  } catch {
    throw new ModelFilesError(`model manifest ${where} is not valid JSON: ${RESTORE_HINT}`, MANIFEST_FILE);
  }
  if (manifest.format !== MANIFEST_FORMAT || !Array.isArray(manifest.files)) {
    throw new ModelFilesError(`model manifest ${where} has format ${String(manifest.format)}, expected ${MANIFEST_FORMAT}: ${RESTORE_HINT}`, MANIFEST_FILE);
  }
  return manifest;
}

/** Reads every file the manifest lists (all at once) and checks size and sha256; returns their bytes by path, in manifest order. */
export async function verifyFiles(source: FileSource, manifest: Manifest): Promise<Map<string, Uint8Array>> {
  const checked = await Promise.all(manifest.files.map(async (entry) => {
    const where = `${source.label}/${entry.path}`;
    const data = await source.read(entry.path);
    if (!data) throw new ModelFilesError(`model file ${where} is missing: ${RESTORE_HINT}`, entry.path);
    if (data.byteLength !== entry.bytes) {
      throw new ModelFilesError(`model file ${where} is incomplete (${data.byteLength} of ${entry.bytes} bytes): ${RESTORE_HINT}`, entry.path);
    }
    if ((await sha256Hex(data)) !== entry.sha256) {
      throw new ModelFilesError(`model file ${where} failed its sha256 check: ${RESTORE_HINT}`, entry.path);
    }
    return [entry.path, data] as const;
  }));
  return new Map(checked);
}
