// Training checkpoints as one self-describing byte string: magic "PEBCKPT1", a little-endian u32
// header length, a JSON header (step, run description, tensor table) and the float32 tensors,
// 4-byte aligned. Decoding checks every length, so a truncated or corrupt file is reported as such
// instead of resuming from garbage. Not here: where the bytes are written (the CLI does that
// atomically) or what the run description means (the trainer compares it).
const MAGIC = 'PEBCKPT1';

export interface CheckpointTensor {
  dims: number[];
  data: Float32Array;
}

export interface Checkpoint {
  /** Optimizer steps completed. */
  step: number;
  /** What run this belongs to (options that must match to resume), plus anything worth keeping. */
  run: Record<string, unknown>;
  /** Training-step state (p:, m:, v: inputs), float32. */
  tensors: Record<string, CheckpointTensor>;
}

interface HeaderEntry {
  name: string;
  dims: number[];
  offset: number;
  length: number;
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const entries: HeaderEntry[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    const expected = tensor.dims.reduce((a, b) => a * b, 1);
    if (expected !== tensor.data.length) throw new RangeError(`checkpoint tensor ${name}: dims ${tensor.dims.join('x')} hold ${expected} values, data has ${tensor.data.length}`);
    entries.push({ name, dims: tensor.dims, offset, length: tensor.data.length });
    offset += tensor.data.length * 4;
  }
  const header = new TextEncoder().encode(JSON.stringify({ step: checkpoint.step, run: checkpoint.run, tensors: entries }));
  const headerPadded = Math.ceil((MAGIC.length + 4 + header.length) / 4) * 4;
  const bytes = new Uint8Array(headerPadded + offset);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  bytes.fill(0x20, MAGIC.length + 4 + header.length, headerPadded);
  for (const entry of entries) {
    const data = checkpoint.tensors[entry.name].data;
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), headerPadded + entry.offset);
  }
  return bytes;
}

/** Parses a checkpoint; `label` (e.g. the file path) names it in errors. */
export function decodeCheckpoint(bytes: Uint8Array, label = 'checkpoint'): Checkpoint {
  const corrupt = (why: string) =>
    new CheckpointError(`${label} is not a usable checkpoint (${why}); delete it to start training over, or restore it from a backup`);
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw corrupt('wrong magic bytes');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  const headerEnd = MAGIC.length + 4 + headerLength;
  if (headerEnd > bytes.length) throw corrupt('header runs past the end of the file');
  let header: { step: number; run: Record<string, unknown>; tensors: HeaderEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, headerEnd)));
  } catch {
    throw corrupt('header is not JSON');
  }
  if (!Number.isInteger(header.step) || header.step < 0 || !Array.isArray(header.tensors)) throw corrupt('header lacks step or tensors');
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const tensors: Record<string, CheckpointTensor> = {};
  for (const entry of header.tensors) {
    const start = dataStart + entry.offset;
    const end = start + entry.length * 4;
    if (end > bytes.length) throw corrupt(`tensor ${entry.name} runs past the end of the file (truncated?)`);
    const data = new Float32Array(entry.length);
    new Uint8Array(data.buffer).set(bytes.subarray(start, end));
    tensors[entry.name] = { dims: entry.dims, data };
  }
  return { step: header.step, run: header.run ?? {}, tensors };
}
