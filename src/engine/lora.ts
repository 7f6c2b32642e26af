// LoRA adapters: y = x W + (alpha / rank) (x A) B with A (in, rank) small random and B (rank, out)
// zero, so a fresh adapter leaves the output unchanged. A and B are trainable params named
// `<name>.lora_a` / `<name>.lora_b`; W is whatever the caller made it (usually frozen).
// Not here: choosing which layers get adapters (the model decides).
import type { Rng } from '../core/rng.ts';
import { ShapeError } from './shape.ts';
import { formatShape, type Tensor } from './tensor.ts';
import { add, mul } from './ops/elementwise.ts';
import { linear } from './ops/linalg.ts';

export interface LoraOptions {
  /** Prefix of the adapter params, e.g. 'layers.0.q_proj'. */
  name: string;
  rank: number;
  /** Scale numerator: the adapter's output is multiplied by alpha / rank. */
  alpha: number;
  /** Draws A ~ U(-1/sqrt(in), 1/sqrt(in)). */
  rng: Rng;
}

export interface LoraLayer {
  y: Tensor;
  a: Tensor;
  b: Tensor;
  scale: number;
}

/** x (..., in) through a frozen-or-not weight W (in, out) plus a low-rank adapter. */
export function lora(x: Tensor, weight: Tensor, options: LoraOptions): LoraLayer {
  const { name, rank, alpha, rng } = options;
  if (weight.rank !== 2 || !weight.isStatic) throw new ShapeError('lora', `weight must be a static (in, out) matrix, got ${formatShape(weight.shape)}`);
  const [inDim, outDim] = weight.shape as number[];
  if (!Number.isInteger(rank) || rank < 1 || rank > Math.min(inDim, outDim)) {
    throw new ShapeError('lora', `rank must be an integer in [1, ${Math.min(inDim, outDim)}] for ${formatShape(weight.shape)}, got ${rank}`);
  }
  const g = weight.graph;
  const bound = 1 / Math.sqrt(inDim);
  const a = g.param(`${name}.lora_a`, [inDim, rank], { data: Array.from({ length: inDim * rank }, () => rng.uniform(-bound, bound)) });
  const b = g.param(`${name}.lora_b`, [rank, outDim], { data: new Array<number>(rank * outDim).fill(0) });
  const scale = alpha / rank;
  return { y: loraOutput(x, weight, a, b, scale), a, b, scale };
}

/**
 * x W + scale (x A) B for given A (in, rank) and B (rank, out) tensors: the adapter's arithmetic
 * alone, for graphs whose adapters are params (lora) or inputs fed at each run (an inference graph
 * that follows a training run without being rebuilt).
 */
export function loraOutput(x: Tensor, weight: Tensor, a: Tensor, b: Tensor, scale: number): Tensor {
  return add(linear(x, weight), linear(mul(linear(x, a), scale), b));
}

/** Host-side merge for export: W + scale * A B, all row-major. */
export function mergeLoraWeights(
  weight: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, inDim: number, outDim: number, rank: number, scale: number,
): Float32Array {
  const merged = Float32Array.from(weight);
  for (let i = 0; i < inDim; i++) {
    for (let r = 0; r < rank; r++) {
      const air = a[i * rank + r] * scale;
      if (air === 0) continue;
      for (let o = 0; o < outDim; o++) merged[i * outDim + o] += air * b[r * outDim + o];
    }
  }
  return merged;
}
