// Small ONNX graphs for the runtime's tests: a MatMul and an op no backend knows. The toy training
// step lives in src/runtime/check/ because the self-check page uses it too.
import { FLOAT, encode, node, valueInfo } from '../../../src/runtime/check/toy-step-graph.ts';

export { toyStepGraph, type ToyStepShape } from '../../../src/runtime/check/toy-step-graph.ts';

/** y[m,n] = x[m,k] @ w[k,n]. */
export function matmulGraph(m: number, k: number, n: number): Uint8Array {
  return encode({
    nodes: [node('MatMul', ['x', 'w'], 'y')],
    inputs: [valueInfo('x', FLOAT, [m, k]), valueInfo('w', FLOAT, [k, n])],
    outputs: [valueInfo('y', FLOAT, [m, n])],
  });
}

/** A graph using an op that does not exist, to exercise session-creation errors. */
export function unknownOpGraph(): Uint8Array {
  return encode({
    nodes: [{ opType: 'FrobnicateTensor', input: ['x'], output: ['y'], name: 'frob_1' }],
    inputs: [valueInfo('x', FLOAT, [2])],
    outputs: [valueInfo('y', FLOAT, [2])],
  });
}

