// Neural-network building blocks composed from primitives (so their gradients come for free):
// Softmax/LogSoftmax (primitive ONNX ops with own rules), SiLU, GELU (erf and tanh forms),
// log-sigmoid, softplus, RMSNorm, LayerNorm, one-hot.
// Not here: attention (attention.ts), losses (losses.ts).
import { ShapeError, normAxis } from '../shape.ts';
import { formatShape, type Tensor } from '../tensor.ts';
import { abs, add, cast, div, equal, erf, exp, log, mul, sigmoid, sqrt, sub, tanh } from './elementwise.ts';
import { reduceMean } from './reduce.ts';
import { unsqueeze } from './shape-ops.ts';

function axisOp(op: 'Softmax' | 'LogSoftmax', x: Tensor, axis: number): Tensor {
  if (!x.isFloat()) throw new ShapeError(op, `needs a float tensor, got ${x.dtype}`);
  const a = normAxis(op, axis, x.rank);
  return x.graph.addNode(op, [x], [{ shape: x.shape, dtype: x.dtype }], { axis: { kind: 'int', value: a } })[0];
}

export const softmax = (x: Tensor, axis = -1): Tensor => axisOp('Softmax', x, axis);
export const logSoftmax = (x: Tensor, axis = -1): Tensor => axisOp('LogSoftmax', x, axis);

/** x * sigmoid(x) (a.k.a. swish), the LLaMA MLP activation. */
export const silu = (x: Tensor): Tensor => mul(x, sigmoid(x));

/** Exact GELU 0.5 x (1 + erf(x / sqrt 2)). Uses Erf, which ORT's CPU provider has in float32 only. */
export function gelu(x: Tensor): Tensor {
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/** GELU, tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))); runs in float64 too. */
export function geluTanh(x: Tensor): Tensor {
  const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return mul(mul(x, 0.5), add(tanh(inner), 1));
}

/** log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)), stable for large |x|. */
export function logSigmoid(x: Tensor): Tensor {
  const a = abs(x);
  return sub(mul(sub(x, a), 0.5), log(add(exp(mul(a, -1)), 1)));
}

/** log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)). */
export function softplus(x: Tensor): Tensor {
  const a = abs(x);
  return add(mul(add(x, a), 0.5), log(add(exp(mul(a, -1)), 1)));
}

/** RMSNorm over the last axis: x / sqrt(mean(x^2) + eps) * weight; weight has the last dim's size. */
export function rmsNorm(x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  checkNormWeight('rmsNorm', x, weight);
  const meanSquare = reduceMean(mul(x, x), [-1], true);
  return mul(div(x, sqrt(add(meanSquare, eps))), weight);
}

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * weight + bias. */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps = 1e-5): Tensor {
  checkNormWeight('layerNorm', x, weight);
  checkNormWeight('layerNorm', x, bias);
  const centred = sub(x, reduceMean(x, [-1], true));
  const variance = reduceMean(mul(centred, centred), [-1], true);
  return add(mul(div(centred, sqrt(add(variance, eps))), weight), bias);
}

function checkNormWeight(op: string, x: Tensor, w: Tensor): void {
  if (w.rank !== 1 || w.shape[0] !== x.shape[x.rank - 1]) {
    throw new ShapeError(op, `weight ${formatShape(w.shape)} must be a vector of the last dim of x ${formatShape(x.shape)}`);
  }
}

/** indices (...) int64 -> (..., depth) in the graph float dtype, built from Equal + Cast (runs everywhere). */
export function oneHot(indices: Tensor, depth: number): Tensor {
  if (indices.dtype !== 'int64') throw new ShapeError('oneHot', `indices must be int64, got ${indices.dtype}`);
  const g = indices.graph;
  const classes = g.constant(Array.from({ length: depth }, (_, i) => BigInt(i)), [depth], 'int64');
  return cast(equal(unsqueeze(indices, [-1]), classes), g.dtype);
}
