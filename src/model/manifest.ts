// manifest.json of a model folder: every file's size and sha256, a model hash over all of them,
// the PE-Tiny config and the caller's metadata (seed, training record). readManifest checks the file
// list (types, paths confined to the folder: no '..', no absolute paths); verifyFiles also the keys and
// each file, failing with one line that names the file and how to get it back. WebCrypto hashing, so
// this runs anywhere. Not here: what the files are (export.ts), symlinks and pipes (node-files.ts).
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
    if (isRecord(manifest) && manifest.meta === undefined) manifest.meta = {};
  } catch {
    throw new ModelFilesError(`model manifest ${where} is not valid JSON: ${RESTORE_HINT}`, MANIFEST_FILE);
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new ModelFilesError(`model manifest ${where} is not a JSON object: ${RESTORE_HINT}`, MANIFEST_FILE);
  }
  if (manifest.format !== MANIFEST_FORMAT) {
    throw new ModelFilesError(`model manifest ${where} has format ${String(manifest.format)}, expected ${MANIFEST_FORMAT}: ${RESTORE_HINT}`, MANIFEST_FILE);
  }
  const problem = manifestProblem(manifest);
  if (problem) throw new ModelFilesError(`model manifest ${where} ${problem}: ${RESTORE_HINT}`, MANIFEST_FILE);
  return manifest;
}

/** Why `path` is not a file path inside the model folder ('/'-separated, relative, no '.' or '..'), or null. */
export function entryPathProblem(path: unknown): string | null {
  if (typeof path !== 'string' || path === '') return 'is not a file path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) return 'is not relative to the model folder';
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..')) return "leaves the model folder or has empty, '.' or '..' parts";
  return null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The first thing wrong with the file list (types, paths confined to the folder, duplicates), as the end of a sentence. */
function manifestProblem(manifest: Manifest): string | null {
  if (!Array.isArray(manifest.files) || manifest.files.length === 0) return 'lists no files';
  const seen = new Set<string>();
  for (const [i, entry] of manifest.files.entries()) {
    if (!isRecord(entry)) return `has files[${i}] that is not an object`;
    const pathProblem = entryPathProblem(entry.path);
    if (pathProblem) return `has files[${i}].path ${JSON.stringify(entry.path)} that ${pathProblem}`;
    if (seen.has(entry.path)) return `lists ${entry.path} twice`;
    seen.add(entry.path);
    if (!Number.isSafeInteger(entry.bytes) || entry.bytes < 0) return `has files[${i}].bytes (${JSON.stringify(entry.bytes)}) that is not a byte count`;
    if (typeof entry.sha256 !== 'string') return `has files[${i}].sha256 that is not a string`;
  }
  return null;
}

/** What else a model's manifest needs before its files are trusted (checked by verifyFiles), as the end of a sentence. */
function metadataProblem(manifest: Manifest): string | null {
  if (typeof manifest.modelHash !== 'string' || !/^[0-9a-f]{64}$/.test(manifest.modelHash)) return 'has no valid modelHash (64 hex digits)';
  if (!isRecord(manifest.config)) return 'has no config object';
  if (!isRecord(manifest.meta)) return 'has a meta that is not an object';
  const badHash = manifest.files.findIndex((entry) => !/^[0-9a-f]{64}$/.test(entry.sha256));
  if (badHash >= 0) return `has files[${badHash}].sha256 that is not 64 hex digits`;
  return null;
}

/** Reads every file the manifest lists (all at once) and checks size and sha256; returns their bytes by path, in manifest order. */
export async function verifyFiles(source: FileSource, manifest: Manifest): Promise<Map<string, Uint8Array>> {
  const problem = manifestProblem(manifest) ?? metadataProblem(manifest);
  if (problem) throw new ModelFilesError(`model manifest ${source.label}/${MANIFEST_FILE} ${problem}: ${RESTORE_HINT}`, MANIFEST_FILE);
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
