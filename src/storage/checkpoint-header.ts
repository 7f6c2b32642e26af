// The JSON header of a checkpoint file and its field-by-field check (types, ranges, tensor layout),
// shared by the writer (which holds itself to it) and the reader (which trusts nothing). checkHeader
// returns what is wrong in words, or null. Not here: the binary layout and checksums (checkpoint-file.ts).
import type { RunConfig } from '../unlearning/run-config.ts';

export { sha256Hex } from '../model/manifest.ts';

/** What the user sees about a checkpoint besides its tensors. */
export interface CheckpointMeta {
  label: string;
  /** ISO 8601 time of saving. */
  savedAt: string;
  /** The method's display label, e.g. "NPO + BGD". */
  method: string;
  /** Small plain-JSON metrics the UI passes through (e.g. the live metrics at that step). */
  metrics?: unknown;
}

/** What a caller passes: savedAt defaults to now, method to the run config's (e.g. "NPO + BGD"). */
export type CheckpointMetaInput = Omit<CheckpointMeta, 'savedAt' | 'method'> & { savedAt?: string; method?: string };

export interface CheckpointTensorEntry {
  name: string;
  dims: number[];
  /** Byte offset from the payload's start, and byte length (4 per value). */
  offset: number;
  length: number;
}

export interface CheckpointHeader {
  format: number;
  schema: string;
  modelHash: string;
  config: RunConfig;
  step: number;
  meta: CheckpointMeta;
  tensors: CheckpointTensorEntry[];
  payloadBytes: number;
  payloadSha256: string;
}

const MAX_TEXT = 1000;
const MAX_RANK = 8;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isText = (v: unknown, max = MAX_TEXT): v is string => typeof v === 'string' && v.length <= max;

/** What is wrong with a run config read from a file, or null. */
export function checkRunConfig(config: unknown): string | null {
  if (!isObject(config)) return 'its run config is not an object';
  const r = config.request;
  if (!isObject(r) || !['person', 'event', 'both'].includes(r.target as string) || !Number.isSafeInteger(r.forgetSeed)) {
    return `its forget request ${JSON.stringify(r)} is not a valid request`;
  }
  for (const key of ['personRatio', 'eventRatio'] as const) {
    if (r[key] !== undefined && !(typeof r[key] === 'number' && r[key] > 0 && r[key] <= 1)) return `its forget request's ${key} ${JSON.stringify(r[key])} is not within (0, 1]`;
  }
  if (!isText(config.method, 100) || config.method === '') return 'its method id is missing';
  if (!isObject(config.settings) || !Object.values(config.settings).every(Number.isFinite)) return 'its method settings are not finite numbers';
  if (typeof config.bgd !== 'boolean') return 'its bgd flag is not true/false';
  if (!Number.isSafeInteger(config.seed)) return 'its seed is not an integer';
  if (!isCount(config.lastBlocks)) return 'its lastBlocks is not a whole number';
  return null;
}

function checkMeta(meta: unknown): string | null {
  if (!isObject(meta)) return 'its metadata is not an object';
  if (!isText(meta.label)) return `its label is not text of at most ${MAX_TEXT} characters`;
  if (!isText(meta.method, 200)) return 'its method label is not text';
  if (!isText(meta.savedAt, 100) || !Number.isFinite(Date.parse(meta.savedAt))) return `its save time ${JSON.stringify(meta.savedAt)} is not an ISO date`;
  return null;
}

/** What is wrong with a parsed header, or null when every field has its type and the tensors tile the payload. */
export function checkHeader(header: unknown): string | null {
  if (!isObject(header)) return 'its header is not a JSON object';
  if (!Number.isSafeInteger(header.format)) return 'its header has no format number';
  if (!isText(header.schema, 100)) return 'its header has no state schema';
  if (!isText(header.modelHash, 256) || header.modelHash === '') return 'its header has no model hash';
  if (!isCount(header.step)) return `its step ${JSON.stringify(header.step)} is not a whole number`;
  const problem = checkRunConfig(header.config) ?? checkMeta(header.meta);
  if (problem) return problem;
  if (!isText(header.payloadSha256, 64) || !/^[0-9a-f]{64}$/.test(header.payloadSha256)) return 'its payload checksum is not a sha256 hex string';
  if (!isCount(header.payloadBytes)) return 'its payload size is not a whole number';
  if (!Array.isArray(header.tensors)) return 'its tensor list is missing';
  const seen = new Set<string>();
  let offset = 0;
  for (const [i, t] of header.tensors.entries()) {
    if (!isObject(t)) return `tensor entry ${i} is not an object`;
    const { name, dims, length } = t;
    if (!isText(name, 500) || name === '' || name === '__proto__') return `tensor entry ${i} has no valid name`;
    if (seen.has(name)) return `tensor ${name} appears twice`;
    seen.add(name);
    if (!Array.isArray(dims) || dims.length > MAX_RANK || !dims.every(isCount)) return `tensor ${name} has invalid dims ${JSON.stringify(dims)}`;
    const size = (dims as number[]).reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(size * 4) || length !== size * 4) return `tensor ${name} has dims [${dims.join(',')}] but ${JSON.stringify(length)} bytes`;
    if (t.offset !== offset) return `tensor ${name} starts at payload byte ${JSON.stringify(t.offset)}, expected ${offset}`;
    offset += size * 4;
    if (!Number.isSafeInteger(offset)) return 'its tensors are impossibly large';
  }
  if (offset !== header.payloadBytes) return `its tensors take ${offset} bytes but its payload is ${header.payloadBytes}`;
  return null;
}
