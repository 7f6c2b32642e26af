// Reductions over chosen axes: ReduceSum, ReduceMean, ReduceMax, ReduceSumSquare (opset 17 forms:
// ReduceSum takes its axes as an input, the others as an attribute). Omitted axes mean all axes.
// Not here: gradients (autodiff/rules-elementwise.ts).
import { ShapeError, normAxis } from '../shape.ts';
import { formatShape, type Dim, type Tensor } from '../tensor.ts';

function reducedShape(op: string, x: Tensor, axes: readonly number[] | undefined, keepDims: boolean): { axes: number[]; shape: Dim[] } {
  const at = axes === undefined ? x.shape.map((_, i) => i) : [...new Set(axes.map((a) => normAxis(op, a, x.rank)))].sort((p, q) => p - q);
  if (!x.isFloat()) throw new ShapeError(op, `needs a float tensor, got ${x.dtype}${formatShape(x.shape)}`);
  const shape: Dim[] = [];
  x.shape.forEach((d, i) => {
    if (!at.includes(i)) shape.push(d);
    else if (keepDims) shape.push(1);
  });
  return { axes: at, shape };
}

export function reduceSum(x: Tensor, axes?: readonly number[], keepDims = false): Tensor {
  const r = reducedShape('ReduceSum', x, axes, keepDims);
  if (r.axes.length === 0) return x;
  return x.graph.addNode('ReduceSum', [x, x.graph.ints(r.axes)], [{ shape: r.shape, dtype: x.dtype }], {
    keepdims: { kind: 'int', value: keepDims ? 1 : 0 },
  })[0];
}

function attrReduce(op: 'ReduceMean' | 'ReduceMax' | 'ReduceSumSquare', x: Tensor, axes: readonly number[] | undefined, keepDims: boolean): Tensor {
  const r = reducedShape(op, x, axes, keepDims);
  if (r.axes.length === 0) return x;
  return x.graph.addNode(op, [x], [{ shape: r.shape, dtype: x.dtype }], {
    axes: { kind: 'ints', value: r.axes },
    keepdims: { kind: 'int', value: keepDims ? 1 : 0 },
  })[0];
}

export function reduceMean(x: Tensor, axes?: readonly number[], keepDims = false): Tensor {
  return attrReduce('ReduceMean', x, axes, keepDims);
}

export function reduceMax(x: Tensor, axes?: readonly number[], keepDims = false): Tensor {
  return attrReduce('ReduceMax', x, axes, keepDims);
}

/** Sum of squares in one node (used for gradient norms; it has no backward rule). */
export function reduceSumSquare(x: Tensor, axes?: readonly number[], keepDims = false): Tensor {
  return attrReduce('ReduceSumSquare', x, axes, keepDims);
}
