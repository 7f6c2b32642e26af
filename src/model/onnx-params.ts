// Reads PE-Tiny's parameters back out of exported inference graphs: every initializer named
// `p:<name>` is a parameter (the three graphs together hold each one exactly once, bar none), so an
// exported model needs no separate weights file. Not a general ONNX reader: float32 raw data only.
import onnxProto from 'onnx-proto';
import { PARAM_PREFIX } from '../engine/index.ts';
import type { Params } from './params.ts';

// onnx-proto is CommonJS: Node's ESM loader only exposes its default export.
const { onnx } = onnxProto;

const FLOAT = 1;

/** Parameters stored as initializers of one ONNX model; `label` names the file in errors. */
export function paramsFromOnnx(bytes: Uint8Array, label: string): Params {
  let model;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw new Error(`${label} is not a readable ONNX model (${(error as Error).message})`, { cause: error });
  }
  const params: Params = {};
  for (const init of model.graph?.initializer ?? []) {
    const name = init.name ?? '';
    if (!name.startsWith(PARAM_PREFIX)) continue;
    const count = (init.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
    if (init.dataType !== FLOAT) throw new Error(`${label}: parameter ${name} is not float32`);
    let values: Float32Array;
    if (init.rawData && init.rawData.length > 0) {
      // Copy into a fresh buffer: protobuf bytes may be a Node Buffer view into a shared pool, unaligned.
      const raw = new Uint8Array(init.rawData);
      values = new Float32Array(raw.buffer, 0, raw.length / 4);
      if (!littleEndian()) throw new Error('reading ONNX weights needs a little-endian platform');
    } else {
      values = Float32Array.from(init.floatData ?? []);
    }
    if (values.length !== count) throw new Error(`${label}: parameter ${name} holds ${values.length} values, its dims say ${count}`);
    params[name.slice(PARAM_PREFIX.length)] = values;
  }
  return params;
}

function littleEndian(): boolean {
  return new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
}
