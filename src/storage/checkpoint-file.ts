// The lab's checkpoint file: one LabState (lab-state.ts: a run's trained tensors at one step) plus what the user
// sees about it (label, save time, method label, optional metrics), as bytes for IndexedDB and files.
// decodeCheckpoint trusts nothing: every length is checked against the file's size before use, both
// checksums, every field's type, every tensor's shape, size and finiteness. Not here: where the bytes
// live (checkpoint-store.ts) or whether the state fits the running graph (worker/lab-state.ts).
//
// Layout (all integers little-endian):
//   0   7 bytes  magic "PEBLAB\0"
//   7   u8       format version (CHECKPOINT_FORMAT)
//   8   u32      header length H in bytes
//   12  32 bytes sha256 of the header bytes
//   44  H bytes  header: UTF-8 JSON object (CheckpointHeader below)
//   ..  0-3 zero bytes, so that the payload starts at a multiple of 4
//   P   float32 payload: the tensors back to back, in header order; the file ends exactly after it
import { checkHeader, sha256Hex, type CheckpointHeader, type CheckpointMeta, type CheckpointMetaInput } from './checkpoint-header.ts';
import { MAX_CHECKPOINT_BYTES, megabytes } from './checkpoint-size.ts';
import { LAB_STATE_SCHEMA, type LabState } from './lab-state.ts';

export type { CheckpointMeta, CheckpointMetaInput } from './checkpoint-header.ts';

export const CHECKPOINT_FORMAT = 1;
export const CHECKPOINT_EXTENSION = '.peblab';
const MAGIC = [0x50, 0x45, 0x42, 0x4c, 0x41, 0x42, 0x00]; // "PEBLAB\0"
const HEADER_START = 44;
/** Metrics ride along as plain JSON; more than this is not "small" and points at a caller bug. */
export const MAX_METRICS_BYTES = 64 * 1024;

export type CheckpointFileErrorKind = 'not-a-checkpoint' | 'too-large' | 'version' | 'corrupt' | 'foreign-model';

/** A checkpoint file that cannot be read; the message says what is wrong and what to do. */
export class CheckpointFileError extends Error {
  override name = 'CheckpointFileError';
  constructor(readonly kind: CheckpointFileErrorKind, message: string) {
    super(message);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Index of the first NaN or infinity, or -1 (a plain loop: findIndex with a callback is several times slower). */
function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/** Refuses a file larger than any checkpoint the lab writes; call it with the file's size before reading it. */
export function checkCheckpointSize(bytes: number, limit = MAX_CHECKPOINT_BYTES): void {
  if (bytes > limit) {
    throw new CheckpointFileError('too-large', `this file is ${megabytes(bytes)}, larger than any PEBench Lab checkpoint (at most ${megabytes(limit)}), ` +
      `so it was not read: choose a ${CHECKPOINT_EXTENSION} file exported by the lab`);
  }
}

/** The checkpoint file of `state` with its metadata (savedAt defaults to now, method to the config's). */
export async function encodeCheckpoint(state: LabState, meta: CheckpointMetaInput): Promise<Uint8Array> {
  const names = Object.keys(state.tensors);
  let offset = 0;
  const tensors: CheckpointHeader['tensors'] = names.map((name) => {
    const { dims, data } = state.tensors[name];
    const size = dims.reduce((a, b) => a * b, 1);
    if (!(data instanceof Float32Array) || data.length !== size) {
      throw new Error(`tensor ${name} must be a Float32Array of ${size} values (dims [${dims.join(',')}]): this is a bug in the caller`);
    }
    const bad = firstNonFinite(data);
    if (bad >= 0) throw new Error(`tensor ${name} holds ${data[bad]} at index ${bad}: a diverged run cannot be saved; reset or restore an earlier checkpoint`);
    const entry = { name, dims: [...dims], offset, length: data.byteLength };
    offset += data.byteLength;
    return entry;
  });
  const fullMeta = checkpointMeta(state, meta);
  const payload = new Uint8Array(offset);
  const payloadView = new DataView(payload.buffer);
  for (const t of tensors) {
    const data = state.tensors[t.name].data;
    if (LITTLE_ENDIAN) payload.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), t.offset);
    else data.forEach((v, i) => payloadView.setFloat32(t.offset + 4 * i, v, true));
  }
  const header: CheckpointHeader = {
    format: CHECKPOINT_FORMAT, schema: state.schema, modelHash: state.modelHash, config: state.config, step: state.step,
    meta: fullMeta, tensors, payloadBytes: payload.length, payloadSha256: await sha256Hex(payload),
  };
  const problem = checkHeader(header); // the writer holds itself to what the reader accepts
  if (problem) throw new Error(`this state cannot be saved: ${problem}`);
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const payloadStart = align4(HEADER_START + headerBytes.length);
  const out = new Uint8Array(payloadStart + payload.length);
  out.set(MAGIC, 0);
  out[7] = CHECKPOINT_FORMAT;
  new DataView(out.buffer).setUint32(8, headerBytes.length, true);
  out.set(hexBytes(await sha256Hex(headerBytes)), 12);
  out.set(headerBytes, HEADER_START);
  out.set(payload, payloadStart);
  return out;
}

/** The metadata exactly as encodeCheckpoint stores it: defaults filled in, metrics as plain JSON. */
export function checkpointMeta(state: LabState, meta: CheckpointMetaInput): CheckpointMeta {
  const method = meta.method ?? `${state.config.method.toUpperCase()}${state.config.bgd ? ' + BGD' : ''}`;
  const full: CheckpointMeta = { label: meta.label, savedAt: meta.savedAt ?? new Date().toISOString(), method };
  if (meta.metrics !== undefined) {
    const text = JSON.stringify(meta.metrics);
    if (text === undefined || text.length > MAX_METRICS_BYTES) throw new Error(`checkpoint metrics must be plain JSON of at most ${MAX_METRICS_BYTES} bytes`);
    full.metrics = JSON.parse(text);
  }
  return full;
}

/** Reads and checks a checkpoint file; with `expect.modelHash`, refuses one made from another model. */
export async function decodeCheckpoint(bytes: Uint8Array, expect: { modelHash?: string } = {}): Promise<{ state: LabState; meta: CheckpointMeta }> {
  const notOurs = (why: string): never => {
    throw new CheckpointFileError('not-a-checkpoint', `this file is not a PEBench Lab checkpoint (${why}): choose a ${CHECKPOINT_EXTENSION} file exported by the lab`);
  };
  const corrupt = (why: string): never => {
    throw new CheckpointFileError('corrupt', `this checkpoint file is damaged: ${why}; export it again from the lab that saved it`);
  };
  const truncated = (need: number): never => corrupt(`it is truncated at byte ${bytes.length} (it needs ${need} bytes), so the copy or download was cut short`);
  if (!(bytes instanceof Uint8Array)) notOurs('it is not binary data');
  if (bytes.length === 0) notOurs('it is empty');
  checkCheckpointSize(bytes.length);
  const magicSeen = Math.min(bytes.length, MAGIC.length);
  for (let i = 0; i < magicSeen; i++) if (bytes[i] !== MAGIC[i]) notOurs('it does not start with the lab\'s signature');
  if (bytes.length < HEADER_START) truncated(HEADER_START);
  const format = bytes[7];
  if (format > CHECKPOINT_FORMAT) {
    throw new CheckpointFileError('version', `this checkpoint was made by a newer lab (format ${format}); this lab reads format ${CHECKPOINT_FORMAT}: update the lab to load it`);
  }
  if (format !== CHECKPOINT_FORMAT) corrupt(`its format byte is ${format}, which no lab writes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  const headerEnd = HEADER_START + headerLength;
  if (headerEnd > bytes.length) truncated(headerEnd);
  const headerBytes = bytes.subarray(HEADER_START, headerEnd);
  if ((await sha256Hex(headerBytes)) !== bytesHex(bytes.subarray(12, HEADER_START))) corrupt('checksum mismatch in its header');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    corrupt('its header is not valid UTF-8 JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) corrupt('its header is not a JSON object');
  const problem = checkHeader(header);
  if (problem) corrupt(problem);
  const h = header as CheckpointHeader;
  if (h.format !== format) corrupt(`its header says format ${String(h.format)} but its signature says format ${format}`);
  if (h.schema !== LAB_STATE_SCHEMA) {
    throw new CheckpointFileError('version', `this checkpoint holds state schema ${JSON.stringify(h.schema)}; this lab reads ${LAB_STATE_SCHEMA}: open it with the lab version that saved it`);
  }
  if (expect.modelHash !== undefined && h.modelHash !== expect.modelHash) {
    throw new CheckpointFileError('foreign-model', `this checkpoint was made from Finetune model ${h.modelHash.slice(0, 12)}..., the loaded model is ${expect.modelHash.slice(0, 12)}...: load that model first`);
  }
  const payloadStart = align4(headerEnd);
  for (let i = headerEnd; i < Math.min(payloadStart, bytes.length); i++) if (bytes[i] !== 0) corrupt(`byte ${i} (padding) is not zero`);
  const fileEnd = payloadStart + h.payloadBytes;
  if (fileEnd > bytes.length) truncated(fileEnd);
  if (fileEnd < bytes.length) corrupt(`it has ${bytes.length - fileEnd} unexpected bytes after its payload`);
  const payload = bytes.subarray(payloadStart, fileEnd);
  if ((await sha256Hex(payload)) !== h.payloadSha256) corrupt('checksum mismatch in its tensor data');

  const aligned = payload.slice(); // own buffer, offset 0: every tensor starts at a multiple of 4
  const alignedView = new DataView(aligned.buffer);
  const tensors: LabState['tensors'] = {};
  for (const t of h.tensors) {
    const n = t.length / 4;
    let data: Float32Array;
    if (LITTLE_ENDIAN) data = new Float32Array(aligned.buffer.slice(t.offset, t.offset + t.length));
    else {
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = alignedView.getFloat32(t.offset + 4 * i, true);
    }
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) corrupt(`tensor ${t.name} holds ${data[bad]} at index ${bad}, which no saved run holds`);
    tensors[t.name] = { dims: [...t.dims], data };
  }
  const state: LabState = { schema: LAB_STATE_SCHEMA, modelHash: h.modelHash, config: h.config, step: h.step, tensors };
  return { state, meta: h.meta };
}

function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function bytesHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
