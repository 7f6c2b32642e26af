// The safetensors format, written and read by its published spec (no npm writer is kept well enough):
// 8 bytes little-endian u64 N, then N bytes of UTF-8 JSON header, then the raw tensor bytes. The
// header maps each tensor name to {dtype, shape, data_offsets: [begin, end]} (byte offsets into the
// data that follows the header, in order, without gaps) and may hold "__metadata__", a map of
// strings. Data is little-endian and row-major. The header is padded with spaces to a multiple of 8
// bytes so the data starts aligned, as the reference writer does. Pure: runs in Node and the browser.
// Not here: which tensors a PyTorch folder holds (pytorch-export.ts).

export type SafetensorsDtype = 'F32' | 'I64';

export interface SafeTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: readonly number[];
  data: Float32Array | BigInt64Array;
}

const BYTES: Record<SafetensorsDtype, number> = { F32: 4, I64: 8 };
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One file of `tensors` (names unique, each data length = product of its shape) and optional string metadata. */
export function encodeSafetensors(tensors: readonly SafeTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = { ...metadata };
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__' || t.name === '') throw new Error(`safetensors: "${t.name}" is not a tensor name`);
    if (t.name in header) throw new Error(`safetensors: tensor ${t.name} appears twice`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.shape.some((d) => !Number.isSafeInteger(d) || d < 0) || count !== t.data.length) {
      throw new Error(`safetensors: tensor ${t.name} has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    }
    if ((t.dtype === 'F32') !== t.data instanceof Float32Array) throw new Error(`safetensors: tensor ${t.name} data does not match dtype ${t.dtype}`);
    const bytes = count * BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const jsonBytes = () => new TextEncoder().encode(json).length;
  while ((8 + jsonBytes()) % 8 !== 0) json += ' ';
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of tensors) {
    const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (littleEndian) out.set(raw, at);
    else writeSwapped(view, at, t);
    at += t.data.byteLength;
  }
  return out;
}

function writeSwapped(view: DataView, at: number, t: SafeTensor): void {
  const size = BYTES[t.dtype];
  for (let i = 0; i < t.data.length; i++) {
    if (t.data instanceof Float32Array) view.setFloat32(at + i * size, t.data[i], true);
    else view.setBigInt64(at + i * size, t.data[i], true);
  }
}

export interface DecodedSafetensors {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

/** Reads a safetensors file (F32 and I64 tensors), checking the header against the spec. */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new Error('safetensors: the file is shorter than its 8-byte header length');
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`safetensors: header length ${n} runs past the end of the ${bytes.length}-byte file`);
  const header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const dataStart = 8 + n;
  const tensors = new Map<string, SafeTensor>();
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  let expected = 0;
  const entries = Object.entries(header).filter(([name]) => name !== '__metadata__')
    .map(([name, e]) => ({ name, ...(e as { dtype: SafetensorsDtype; shape: number[]; data_offsets: [number, number] }) }))
    .sort((a, b) => a.data_offsets[0] - b.data_offsets[0]);
  for (const e of entries) {
    const size = BYTES[e.dtype];
    if (!size) throw new Error(`safetensors: tensor ${e.name} has dtype ${e.dtype}, which this reader does not read`);
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (begin !== expected || end - begin !== count * size || dataStart + end > bytes.length) {
      throw new Error(`safetensors: tensor ${e.name} has data_offsets [${begin}, ${end}] that do not fit its shape or follow the previous tensor`);
    }
    expected = end;
    const copy = bytes.slice(dataStart + begin, dataStart + end);
    const data = e.dtype === 'F32' ? new Float32Array(copy.buffer) : new BigInt64Array(copy.buffer);
    tensors.set(e.name, { name: e.name, dtype: e.dtype, shape: e.shape, data });
  }
  if (dataStart + expected !== bytes.length) throw new Error(`safetensors: ${bytes.length - dataStart - expected} bytes after the last tensor`);
  return { tensors, metadata };
}
