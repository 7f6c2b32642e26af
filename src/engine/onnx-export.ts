// Serialises a Graph to an ONNX ModelProto (opset 17, IR version 8) with onnx-proto. Large tensors
// can go to a separate external-data buffer (saved next to the model as `model.onnx.data`).
// Dead nodes (not needed by any output) are dropped. Not here: running models (src/runtime).
import onnxProto from 'onnx-proto';
import type { onnx as proto } from 'onnx-proto';
import type { Graph } from './graph.ts';
import type { Attr, DType, OpNode, Tensor, TensorData } from './tensor.ts';

// onnx-proto is CommonJS: Node's ESM loader only exposes its default export.
const { onnx } = onnxProto;

export const OPSET = 17;
export const IR_VERSION = 8;

export interface OnnxExportOptions {
  /** Initializers of at least this many bytes go to the external data buffer. Default: none do. */
  externalDataThreshold?: number;
  /** File name written in the external-data entries. Default 'model.onnx.data'. */
  externalDataLocation?: string;
  /** How trainable params are stored. Default 'inputs' (fed as `p:<name>` each run). */
  trainableParams?: 'inputs' | 'initializers';
  /** How frozen params are stored. Default 'initializers' (baked in; they need data). */
  frozenParams?: 'inputs' | 'initializers';
  graphName?: string;
  docString?: string;
}

export interface OnnxModel {
  model: Uint8Array;
  /** Present when some initializer went to external data; save it as `externalDataLocation`. */
  externalData?: Uint8Array;
  inputNames: string[];
  outputNames: string[];
}

const ELEM_TYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9, float64: 11 };
const EXTERNAL_ALIGNMENT = 64;

export function toOnnx(graph: Graph, options: OnnxExportOptions = {}): OnnxModel {
  const threshold = options.externalDataThreshold ?? Infinity;
  const location = options.externalDataLocation ?? 'model.onnx.data';
  // An output that is an op result takes the output's name; anything else (an input, a param, a
  // tensor output twice) gets an Identity node.
  const rename = new Map<number, string>();
  const aliased: { name: string; tensor: Tensor }[] = [];
  for (const o of graph.outputs) {
    if (o.tensor.kind === 'node' && !rename.has(o.tensor.id)) rename.set(o.tensor.id, o.name);
    else aliased.push(o);
  }
  const valueName = (t: Tensor) => rename.get(t.id) ?? t.name;
  const extraNodes: proto.INodeProto[] = aliased.map((o) => ({
    opType: 'Identity', name: `output_${o.name}`, input: [valueName(o.tensor)], output: [o.name],
  }));
  const outputNames = graph.outputs.map((o) => o.name);
  const live = liveNodes(graph);

  const used = new Set<number>();
  for (const node of live) for (const t of node.inputs) used.add(t.id);
  for (const o of graph.outputs) used.add(o.tensor.id);

  const inputs: proto.IValueInfoProto[] = graph.inputs.map((t) => valueInfo(t.name, t));
  const initializers: proto.ITensorProto[] = [];
  const external = new ExternalData(location);
  const store = (t: Tensor, data: TensorData) => initializers.push(external.tensorProto(t.name, t, data, threshold));
  for (const p of graph.params.values()) {
    const asInput = (p.trainable ? options.trainableParams ?? 'inputs' : options.frozenParams ?? 'initializers') === 'inputs';
    if (asInput) {
      inputs.push(valueInfo(p.tensor.name, p.tensor));
    } else if (used.has(p.tensor.id)) {
      if (!p.data) throw new Error(`param '${p.name}' is stored as an initializer but has no data: pass data to graph.param or setParamData`);
      store(p.tensor, p.data);
    }
  }
  for (const c of graph.constants) if (used.has(c.tensor.id)) store(c.tensor, c.data);

  const nodes = live.map((n) => nodeProto(n, valueName));
  const graphProto: proto.IGraphProto = {
    name: options.graphName ?? 'graph',
    docString: options.docString ?? '',
    node: [...nodes, ...extraNodes],
    input: inputs,
    output: graph.outputs.map((o) => valueInfo(o.name, o.tensor)),
    initializer: initializers,
  };
  const modelProto = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'pebench-engine',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: graphProto,
  });
  return {
    model: onnx.ModelProto.encode(modelProto).finish(),
    externalData: external.bytes(),
    inputNames: inputs.map((i) => i.name!),
    outputNames,
  };
}

/** Nodes some output depends on, in topological order. */
function liveNodes(graph: Graph): OpNode[] {
  const needed = new Set<number>(graph.outputs.map((o) => o.tensor.id));
  const live: OpNode[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i];
    if (!node.outputs.some((o) => needed.has(o.id))) continue;
    live.push(node);
    for (const t of node.inputs) needed.add(t.id);
  }
  return live.reverse();
}

function valueInfo(name: string, t: Tensor): proto.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE[t.dtype],
        shape: { dim: t.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function nodeProto(node: OpNode, valueName: (t: Tensor) => string): proto.INodeProto {
  return {
    opType: node.op,
    name: `n${node.id}_${node.op}`,
    input: node.inputs.map(valueName),
    output: node.outputs.map(valueName),
    attribute: Object.entries(node.attrs).map(([name, a]) => attributeProto(name, a)),
  };
}

function attributeProto(name: string, a: Attr): proto.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: [...a.value] };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

function rawBytes(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** Collects large tensors into one buffer with aligned offsets. */
class ExternalData {
  private chunks: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly location: string) {}

  tensorProto(name: string, t: Tensor, data: TensorData, threshold: number): proto.ITensorProto {
    const base = { name, dims: t.shape as number[], dataType: ELEM_TYPE[t.dtype] };
    if (data.byteLength < threshold) return { ...base, rawData: rawBytes(data) };
    const padding = (EXTERNAL_ALIGNMENT - (this.size % EXTERNAL_ALIGNMENT)) % EXTERNAL_ALIGNMENT;
    if (padding) this.push(new Uint8Array(padding));
    const offset = this.size;
    this.push(rawBytes(data));
    return {
      ...base,
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: this.location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(data.byteLength) },
      ],
    };
  }

  bytes(): Uint8Array | undefined {
    if (this.size === 0) return undefined;
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }
}

