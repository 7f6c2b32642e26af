// Reads a model's graph output names straight from the ONNX protobuf bytes, skipping everything
// else (initializers are never copied). Needed before a session exists: WebGPU's
// preferredOutputLocation must name outputs at creation time. Not a general ONNX parser.

// Field numbers from onnx.proto: ModelProto.graph = 7, GraphProto.output = 12, ValueInfoProto.name = 1.
const MODEL_GRAPH = 7;
const GRAPH_OUTPUT = 12;
const VALUE_INFO_NAME = 1;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/** Names of the graph outputs, in declaration order. Throws on bytes that are not protobuf. */
export function graphOutputNames(model: Uint8Array): string[] {
  const names: string[] = [];
  for (const graph of fieldsOf(model, MODEL_GRAPH)) {
    for (const output of fieldsOf(graph, GRAPH_OUTPUT)) {
      for (const name of fieldsOf(output, VALUE_INFO_NAME)) names.push(new TextDecoder().decode(name));
    }
  }
  return names;
}

/** Every length-delimited field `wanted` of one message, as views into `bytes`. */
function* fieldsOf(bytes: Uint8Array, wanted: number): Generator<Uint8Array> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated protobuf varint: the model file is incomplete');
      const byte = bytes[pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  };
  while (pos < bytes.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (wire === WIRE_VARINT) varint();
    else if (wire === WIRE_FIXED64) pos += 8;
    else if (wire === WIRE_FIXED32) pos += 4;
    else if (wire === WIRE_BYTES) {
      const length = varint();
      if (pos + length > bytes.length) throw new Error('truncated protobuf field: the model file is incomplete');
      if (field === wanted) yield bytes.subarray(pos, pos + length);
      pos += length;
    } else {
      throw new Error(`unexpected protobuf wire type ${wire}: this is not an ONNX model`);
    }
  }
}
