// Backward rules for elementwise ops, reductions and (log-)softmax. Each rule reuses forward values
// (e.g. the op's own output for Exp, Sigmoid, Tanh, Sqrt, Softmax) instead of recomputing them.
// Not here: structural ops and MatMul (rules-structural.ts).
import type { Tensor } from '../tensor.ts';
import { cast, div, equal, exp, less, log, mul, neg, pow, sub, where } from '../ops/elementwise.ts';
import { reduceSum } from '../ops/reduce.ts';
import { reshape } from '../ops/shape-ops.ts';
import { constInts, unbroadcast, type GradContext, type GradRule } from './grad-utils.ts';

/** Applies `f` to the output gradient for input 0 of a unary op. */
const unaryRule = (f: (g: Tensor, x: Tensor, y: Tensor) => Tensor): GradRule => ({ node, grad, needs }) =>
  [needs[0] ? f(grad, node.inputs[0], node.outputs[0]) : null];

function binaryRule(fa: ((c: GradContext) => Tensor) | null, fb: ((c: GradContext) => Tensor) | null): GradRule {
  return (ctx) => {
    const [a, b] = ctx.node.inputs;
    const out = ctx.node.outputs[0].shape;
    return [
      ctx.needs[0] && fa ? unbroadcast(fa(ctx), a.shape, out) : null,
      ctx.needs[1] && fb ? unbroadcast(fb(ctx), b.shape, out) : null,
    ];
  };
}

const input = (c: GradContext, i: number): Tensor => c.node.inputs[i];
const output = (c: GradContext): Tensor => c.node.outputs[0];

function powBaseGrad(c: GradContext): Tensor {
  const [a, p] = c.node.inputs;
  const pData = a.graph.constantData(p);
  if (pData && p.rank === 0) {
    const exponent = Number(pData[0]);
    return mul(c.grad, mul(pow(a, exponent - 1), exponent));
  }
  return mul(c.grad, mul(pow(a, sub(p, 1)), p));
}

/** Keeps the reduced axes of a keepdims=0 reduction as size-1 axes. */
function keepDims(c: GradContext, t: Tensor): Tensor {
  if (c.node.attrs.keepdims?.value === 1) return t;
  const x = input(c, 0);
  const axes = c.node.op === 'ReduceSum' ? constInts(c.node, 1) : (c.node.attrs.axes.value as number[]);
  let k = 0;
  const shape = x.shape.map((_, i) => (axes.includes(i) ? 1 : t.shape[k++]));
  return reshape(t, shape);
}

function reducedCount(c: GradContext): number {
  const x = input(c, 0);
  const axes = c.node.attrs.axes.value as number[];
  return axes.reduce((n, a) => n * (x.shape[a] as number), 1);
}

export const elementwiseRules: Record<string, GradRule> = {
  Identity: unaryRule((g) => g),
  Neg: unaryRule((g) => neg(g)),
  Exp: unaryRule((g, _x, y) => mul(g, y)),
  Log: unaryRule((g, x) => div(g, x)),
  Sqrt: unaryRule((g, _x, y) => div(mul(g, 0.5), y)),
  Sigmoid: unaryRule((g, _x, y) => mul(g, mul(y, sub(1, y)))),
  Tanh: unaryRule((g, _x, y) => mul(g, sub(1, mul(y, y)))),
  Erf: unaryRule((g, x) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI)))),
  Abs: unaryRule((g, x) => where(less(x, 0), neg(g), g)),
  Cast: unaryRule((g, x) => cast(g, x.dtype)),

  Add: binaryRule((c) => c.grad, (c) => c.grad),
  Sub: binaryRule((c) => c.grad, (c) => neg(c.grad)),
  Mul: binaryRule((c) => mul(c.grad, input(c, 1)), (c) => mul(c.grad, input(c, 0))),
  Div: (ctx) => {
    // d(a/b)/da = 1/b; d(a/b)/db = -(a/b)/b = -y/b, so gb = -(g/b) * y reuses g/b.
    const [a, b] = ctx.node.inputs;
    const out = ctx.node.outputs[0].shape;
    const gOverB = div(ctx.grad, b);
    return [
      ctx.needs[0] ? unbroadcast(gOverB, a.shape, out) : null,
      ctx.needs[1] ? unbroadcast(neg(mul(gOverB, output(ctx))), b.shape, out) : null,
    ];
  },
  Pow: binaryRule(powBaseGrad, (c) => mul(c.grad, mul(output(c), log(input(c, 0))))),
  Max: binaryRule(
    (c) => where(less(input(c, 0), input(c, 1)), 0, c.grad),
    (c) => where(less(input(c, 0), input(c, 1)), c.grad, 0),
  ),
  Min: binaryRule(
    (c) => where(less(input(c, 0), input(c, 1)), c.grad, 0),
    (c) => where(less(input(c, 0), input(c, 1)), 0, c.grad),
  ),
  Where: (ctx) => {
    const [cond, a, b] = ctx.node.inputs;
    const out = ctx.node.outputs[0].shape;
    return [
      null,
      ctx.needs[1] ? unbroadcast(where(cond, ctx.grad, 0), a.shape, out) : null,
      ctx.needs[2] ? unbroadcast(where(cond, 0, ctx.grad), b.shape, out) : null,
    ];
  },
  Expand: (ctx) => [ctx.needs[0] ? unbroadcast(ctx.grad, input(ctx, 0).shape, output(ctx).shape) : null, null],

  // The gradient of a sum is the output gradient spread over the reduced axes: a size-1 axis in a
  // broadcastable gradient says exactly that, so no Expand is needed.
  ReduceSum: (c) => [c.needs[0] ? keepDims(c, c.grad) : null, null],
  ReduceMean: (c) => [c.needs[0] ? mul(keepDims(c, c.grad), 1 / reducedCount(c)) : null],
  ReduceMax: (c) => {
    if (!c.needs[0]) return [null];
    const x = input(c, 0);
    const isMax = cast(equal(x, keepDims(c, output(c))), x.dtype);
    return [mul(keepDims(c, c.grad), isMax)];
  },

  Softmax: (c) => {
    // dx = y * (g - sum(g * y)); g * y is full-shaped, so a broadcastable g is fine here.
    if (!c.needs[0]) return [null];
    const y = output(c);
    const axis = c.node.attrs.axis.value as number;
    const gy = mul(c.grad, y);
    return [sub(gy, mul(y, reduceSum(gy, [axis], true)))];
  },
  LogSoftmax: (c) => {
    // dx = g - softmax(x) * sum(g); softmax(x) = exp(y).
    if (!c.needs[0]) return [null];
    const y = output(c);
    const axis = c.node.attrs.axis.value as number;
    const g = c.grad;
    const total = g.shape[axis] === 1 ? mul(g, y.shape[axis] as number) : reduceSum(g, [axis], true);
    return [sub(g, mul(exp(y), total))];
  },
};
