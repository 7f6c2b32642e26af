// Helpers shared by the backward rules. Gradients flowing backwards may be "broadcastable": same rank
// as the tensor they belong to, with size 1 where the value is the same along an axis. That avoids
// Expand nodes after reductions; rules that need full shapes call `materialize`.
// Not here: the rules themselves (rules-*.ts) or the reverse walk (backward.ts).
import { ShapeError } from '../shape.ts';
import { formatShape, type Shape, type Tensor } from '../tensor.ts';
import { mul } from '../ops/elementwise.ts';
import { reduceSum } from '../ops/reduce.ts';
import { expand, reshape } from '../ops/shape-ops.ts';
import type { OpNode } from '../tensor.ts';

/** Context handed to a backward rule. */
export interface GradContext {
  readonly node: OpNode;
  /** d loss / d output, broadcastable to the output's shape. */
  readonly grad: Tensor;
  /** needs[i]: whether input i wants a gradient (false for frozen or non-float inputs). */
  readonly needs: readonly boolean[];
}

/** Returns one gradient (or null) per node input, each broadcastable to that input's shape. */
export type GradRule = (ctx: GradContext) => (Tensor | null)[];

/** Expands a broadcastable gradient to the full static shape. */
export function materialize(grad: Tensor, shape: Shape): Tensor {
  return expand(grad, shape as number[]);
}

/**
 * Sums a gradient computed at an op's output shape back to one input's (smaller, broadcast) shape.
 * `grad` is broadcastable to `outShape`; axes where grad already has size 1 but the output did not
 * are folded into a scalar factor instead of a reduction.
 */
export function unbroadcast(grad: Tensor, inShape: Shape, outShape: Shape): Tensor {
  const lead = outShape.length - inShape.length;
  if (grad.rank !== outShape.length) {
    throw new ShapeError('backward', `gradient ${formatShape(grad.shape)} does not have the rank of output ${formatShape(outShape)}`);
  }
  const sumAxes: number[] = [];
  let factor = 1;
  for (let i = 0; i < outShape.length; i++) {
    const inDim = i < lead ? null : inShape[i - lead];
    const collapse = inDim === null || (inDim === 1 && outShape[i] !== 1);
    if (!collapse) continue;
    if (grad.shape[i] !== 1) sumAxes.push(i);
    else factor *= outShape[i] as number;
  }
  let out = sumAxes.length ? reduceSum(grad, sumAxes, true) : grad;
  if (lead > 0) out = reshape(out, out.shape.slice(lead));
  return factor !== 1 ? mul(out, factor) : out;
}

/** The values of a constant int64 input (axes, starts, ...), as numbers. */
export function constInts(node: OpNode, index: number): number[] {
  const t = node.inputs[index];
  const data = t.graph.constantData(t);
  if (!data) throw new Error(`${node.op}: input ${index} must be a constant to differentiate this node`);
  return Array.from(data as ArrayLike<number | bigint>, Number);
}
