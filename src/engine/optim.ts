// In-graph optimizer maths: global gradient norm and clipping, the divergence guard, AdamW and SGD
// (with momentum) update rules. Every per-step scalar (learning rate, bias corrections) is a graph
// value, so one session.run performs one full step.
//
// The guard: `ok` is false when the loss, the gradient norm, lr or step is NaN/Inf. Gradients are
// replaced by 0 where !ok (one Where per tensor) and every step scalar by its neutral value, so
// p' = p * 1 - 0 * u = p, m' = m * 1 + 0 = m, v' = v exactly, without three Where passes per tensor.
// Not here: naming of inputs/outputs (train-step.ts).
import type { Tensor } from './tensor.ts';
import { add, cast, div, equal, minimum, mul, pow, sqrt, sub, where } from './ops/elementwise.ts';
import { reduceSumSquare } from './ops/reduce.ts';

/** sqrt(sum over tensors of sum(g^2)), a scalar. */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  const squares = grads.map((gr) => reduceSumSquare(gr));
  return sqrt(squares.reduce((a, b) => add(a, b)));
}

/** min(1, maxNorm / (norm + 1e-6)): multiply gradients by it to clip their global norm. */
export function clipScale(norm: Tensor, maxNorm: number): Tensor {
  return minimum(div(maxNorm, add(norm, 1e-6)), 1);
}

/** Bool scalar: true when every given scalar is finite (x * 0 is NaN for NaN and +-Inf). */
export function allFinite(scalars: readonly Tensor[]): Tensor {
  const probe = scalars.map((s) => mul(s, 0)).reduce((a, b) => add(a, b));
  return equal(probe, 0);
}

/** Bool scalar -> 1.0 / 0.0 in the graph float dtype. */
export function asFloat(flag: Tensor): Tensor {
  return cast(flag, flag.graph.dtype);
}

/** Guarded scalar: `value` when ok, else `fallback` (the value that makes the update a no-op). */
export function guarded(ok: Tensor, value: Tensor, fallback: number): Tensor {
  return where(ok, value, fallback);
}

export interface StepScalars {
  /** Bool scalar from allFinite. */
  ok: Tensor;
  /** Learning rate (scalar input). */
  lr: Tensor;
  /** 1-based step count t (scalar input), used for Adam's bias corrections. */
  step: Tensor;
  /** Gradient multiplier (e.g. the clip scale), or null for none. */
  gradScale: Tensor | null;
}

/**
 * The raw gradient, or 0 everywhere when the step is rejected. The gradient scale (clipping) is not
 * applied here: the update rules fold it into their per-step scalars, saving a pass per tensor.
 */
export function safeGrad(s: StepScalars, grad: Tensor): Tensor {
  return where(s.ok, grad, 0);
}

/** c * gradScale (or c * gradScale^2), guarded so a NaN scale of a rejected step stays harmless. */
function scaledCoefficient(s: StepScalars, c: number, squared = false): Tensor | number {
  if (!s.gradScale) return c;
  const k = squared ? mul(s.gradScale, s.gradScale) : s.gradScale;
  return guarded(s.ok, mul(k, c), 0);
}

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay factor (multiplied by lr), for params where `decay` is true. */
  weightDecay?: number;
}

/** Per-step AdamW scalars, shared by all parameters. */
export function adamwScalars(s: StepScalars, options: AdamWOptions) {
  const { beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = options;
  const g = s.lr.graph;
  const bc1 = sub(1, pow(g.scalar(beta1), s.step));
  const sqrtBc2 = sqrt(sub(1, pow(g.scalar(beta2), s.step)));
  return {
    // m' = beta1 m + (1 - beta1) scale g;  v' = beta2 v + (1 - beta2) scale^2 g^2
    gradToM: scaledCoefficient(s, 1 - beta1),
    gradSquareToV: scaledCoefficient(s, 1 - beta2, true),
    keepM: guarded(s.ok, g.scalar(beta1), 1),
    keepV: guarded(s.ok, g.scalar(beta2), 1),
    // lr * mhat / (sqrt(vhat) + eps) = (lr sqrt(bc2) / bc1) * m / (sqrt(v) + eps sqrt(bc2))
    stepSize: guarded(s.ok, div(mul(s.lr, sqrtBc2), bc1), 0),
    epsHat: guarded(s.ok, mul(sqrtBc2, eps), 1),
    decayKeep: guarded(s.ok, sub(1, mul(s.lr, weightDecay)), 1),
  };
}

/** One AdamW update for a parameter; `grad` must come from safeGrad. */
export function adamwUpdate(
  k: ReturnType<typeof adamwScalars>, param: Tensor, grad: Tensor, m: Tensor, v: Tensor, decay: boolean,
): { param: Tensor; m: Tensor; v: Tensor } {
  const newM = add(mul(m, k.keepM), mul(grad, k.gradToM));
  const newV = add(mul(v, k.keepV), mul(mul(grad, grad), k.gradSquareToV));
  const update = div(newM, add(sqrt(newV), k.epsHat));
  const base = decay ? mul(param, k.decayKeep) : param;
  return { param: sub(base, mul(update, k.stepSize)), m: newM, v: newV };
}

export interface SgdOptions {
  momentum?: number;
  weightDecay?: number;
}

/** Per-step SGD scalars, shared by all parameters. */
export function sgdScalars(s: StepScalars, options: SgdOptions) {
  const g = s.lr.graph;
  const { momentum = 0, weightDecay = 0 } = options;
  const scale = s.gradScale ? guarded(s.ok, s.gradScale, 0) : null;
  return {
    momentum,
    /** Multiplies the gradient entering the momentum buffer (null: 1). */
    gradScale: momentum > 0 ? scale : null,
    /** lr, times the gradient scale when there is no momentum buffer to carry it. */
    lr: guarded(s.ok, momentum > 0 || !s.gradScale ? s.lr : mul(s.lr, s.gradScale), 0),
    keepM: guarded(s.ok, g.scalar(momentum), 1),
    decayKeep: weightDecay ? guarded(s.ok, sub(1, mul(s.lr, weightDecay)), 1) : null,
  };
}

/** One SGD update (heavy-ball momentum buffer m when momentum > 0); `grad` must come from safeGrad. */
export function sgdUpdate(
  k: ReturnType<typeof sgdScalars>, param: Tensor, grad: Tensor, m: Tensor | null, decay: boolean,
): { param: Tensor; m: Tensor | null } {
  const newM = m ? add(mul(m, k.keepM), k.gradScale ? mul(grad, k.gradScale) : grad) : null;
  const base = decay && k.decayKeep ? mul(param, k.decayKeep) : param;
  return { param: sub(base, mul(newM ?? grad, k.lr)), m: newM };
}
