// Matrix products: batched MatMul with numpy batch broadcasting, and `linear` for (..., C) x (C, D)
// layers. Linear layers stay one MatMul in the forward pass; the backward rule flattens leading
// dims so weight gradients become a single 2-D Gemm(transA=1).
// Not here: gradients (autodiff/rules-linalg.ts).
import { ShapeError, broadcastShapes } from '../shape.ts';
import { formatShape, type Tensor } from '../tensor.ts';
import { add } from './elementwise.ts';

/** (..., M, K) x (..., K, N) -> (..., M, N); batch dims broadcast. Both operands need rank >= 2. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.rank < 2 || b.rank < 2) {
    throw new ShapeError('MatMul', `operands need rank >= 2, got ${formatShape(a.shape)} x ${formatShape(b.shape)} (reshape vectors to matrices)`);
  }
  if (a.dtype !== b.dtype || !a.isFloat()) {
    throw new ShapeError('MatMul', `operands must share a float dtype, got ${a.dtype} and ${b.dtype}`);
  }
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) {
    throw new ShapeError('MatMul', `inner dims differ: ${formatShape(a.shape)} x ${formatShape(b.shape)} (${k} vs ${k2})`);
  }
  let batch;
  try {
    batch = broadcastShapes('MatMul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new ShapeError('MatMul', `batch dims of ${formatShape(a.shape)} x ${formatShape(b.shape)} do not broadcast`);
  }
  return a.graph.addNode('MatMul', [a, b], [{ shape: [...batch, m, n], dtype: a.dtype }])[0];
}

/** x (..., C) times W (C, D), plus an optional bias (D): the usual dense layer. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  if (weight.rank !== 2) throw new ShapeError('linear', `weight must be (in, out), got ${formatShape(weight.shape)}`);
  const y = matmul(x, weight);
  return bias ? add(y, bias) : y;
}

/** 2-D Gemm with optional transposes (alpha 1, no C): op(a) x op(b). Emitted mostly by backward rules. */
export function gemm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  if (a.rank !== 2 || b.rank !== 2) throw new ShapeError('Gemm', `operands must be 2-D, got ${formatShape(a.shape)} x ${formatShape(b.shape)}`);
  const [m, k] = transA ? [a.shape[1], a.shape[0]] : a.shape;
  const [k2, n] = transB ? [b.shape[1], b.shape[0]] : b.shape;
  if (k !== k2) {
    throw new ShapeError('Gemm', `inner dims differ: ${transA ? 'transpose of ' : ''}${formatShape(a.shape)} x ` +
      `${transB ? 'transpose of ' : ''}${formatShape(b.shape)} (${k} vs ${k2})`);
  }
  return a.graph.addNode('Gemm', [a, b], [{ shape: [m, n], dtype: a.dtype }], {
    transA: { kind: 'int', value: transA ? 1 : 0 },
    transB: { kind: 'int', value: transB ? 1 : 0 },
  })[0];
}
