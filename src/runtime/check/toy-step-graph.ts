// A hand-written ONNX "training step" (linear regression, momentum SGD) that follows the engine's
// step contract: state X -> new_X, inputs lr and step, outputs loss, grad_norm, finite. Used by the
// runtime's tests and the self-check page before (and besides) the engine's own graphs.
// Not the engine: the gradient is written out by hand for this one model.
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const BOOL = onnx.TensorProto.DataType.BOOL;

export type Node = { opType: string; input: string[]; output: string[]; name?: string; attribute?: object[] };

export const valueInfo = (name: string, elemType: number, shape: number[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: shape.map((dimValue) => ({ dimValue })) } } },
});

export const node = (opType: string, input: string[], output: string, attribute: object[] = []): Node =>
  ({ opType, input, output: [output], name: `${opType}_${output}`, attribute });

const intAttr = (name: string, i: number) => ({ name, i, type: onnx.AttributeProto.AttributeType.INT });

export function encode(graph: { nodes: Node[]; inputs: object[]; outputs: object[]; initializers?: object[] }): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'pebench-runtime-check',
    graph: { name: 'toy', node: graph.nodes, input: graph.inputs, output: graph.outputs, initializer: graph.initializers ?? [] },
  }).finish();
}

const floatConst = (name: string, value: number) => ({ name, dataType: FLOAT, dims: [], floatData: [value] });

export interface ToyStepShape {
  batch: number;
  inDim: number;
  outDim: number;
  /** false: new_* are the raw updates, with no finite guard (to test the TrainSession's own guard). */
  guarded?: boolean;
}

/**
 * One step of momentum SGD on mean((x @ W + bias - y)^2).
 * Inputs: W[in,out], m_W[in,out] (state), bias[out] (constant), x[B,in], y[B,out] (batch),
 * lr[] float32, step[] int64 (effective rate lr / sqrt(step)).
 * Outputs: loss[], grad_norm[], finite[] bool, new_W, new_m_W.
 */
export function toyStepGraph({ batch, inDim, outDim, guarded = true }: ToyStepShape): Uint8Array {
  const nodes: Node[] = [
    node('MatMul', ['x', 'W'], 'xw'),
    node('Add', ['xw', 'bias'], 'pred'),
    node('Sub', ['pred', 'y'], 'diff'),
    node('Mul', ['diff', 'diff'], 'sq'),
    node('ReduceMean', ['sq'], 'loss', [intAttr('keepdims', 0)]),
    node('Mul', ['diff', 'two_over_n'], 'dpred'),
    node('Transpose', ['x'], 'xT', [{ name: 'perm', ints: [1, 0], type: onnx.AttributeProto.AttributeType.INTS }]),
    node('MatMul', ['xT', 'dpred'], 'gW'),
    node('Mul', ['gW', 'gW'], 'gsq'),
    node('ReduceSum', ['gsq'], 'gsum', [intAttr('keepdims', 0)]),
    node('Sqrt', ['gsum'], 'grad_norm'),
    node('Add', ['loss', 'grad_norm'], 'health'),
    node('IsNaN', ['health'], 'is_nan'),
    node('IsInf', ['health'], 'is_inf'),
    node('Or', ['is_nan', 'is_inf'], 'bad'),
    node('Not', ['bad'], 'finite'),
    node('Mul', ['m_W', 'beta'], 'm_decayed'),
    node('Add', ['m_decayed', 'gW'], guarded ? 'm_next' : 'new_m_W'),
    node('Cast', ['step'], 'step_f', [intAttr('to', FLOAT)]),
    node('Sqrt', ['step_f'], 'sqrt_step'),
    node('Div', ['lr', 'sqrt_step'], 'lr_eff'),
    node('Mul', [guarded ? 'm_next' : 'new_m_W', 'lr_eff'], 'update'),
    node('Sub', ['W', 'update'], guarded ? 'W_next' : 'new_W'),
  ];
  if (guarded) {
    nodes.push(node('Where', ['finite', 'W_next', 'W'], 'new_W'), node('Where', ['finite', 'm_next', 'm_W'], 'new_m_W'));
  }
  return encode({
    nodes,
    inputs: [
      valueInfo('W', FLOAT, [inDim, outDim]),
      valueInfo('m_W', FLOAT, [inDim, outDim]),
      valueInfo('bias', FLOAT, [outDim]),
      valueInfo('x', FLOAT, [batch, inDim]),
      valueInfo('y', FLOAT, [batch, outDim]),
      valueInfo('lr', FLOAT, []),
      valueInfo('step', INT64, []),
    ],
    outputs: [
      valueInfo('loss', FLOAT, []),
      valueInfo('grad_norm', FLOAT, []),
      valueInfo('finite', BOOL, []),
      valueInfo('new_W', FLOAT, [inDim, outDim]),
      valueInfo('new_m_W', FLOAT, [inDim, outDim]),
    ],
    initializers: [floatConst('two_over_n', 2 / (batch * outDim)), floatConst('beta', 0.9)],
  });
}
