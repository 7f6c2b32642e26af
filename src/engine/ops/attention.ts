// Attention helpers: head split/merge, scaled dot-product attention with an additive causal or
// padding bias, and rotary position embeddings (Hugging Face LLaMA convention: rotate_half, cos/sin
// tables of shape (T, headDim) built from inv_freq = base^(-2i/headDim)).
// Not here: projections or any model layout (a model composes these with linear/lora).
import type { Graph } from '../graph.ts';
import { ShapeError } from '../shape.ts';
import { formatShape, type Tensor } from '../tensor.ts';
import { add, less, mul, neg, sub, where } from './elementwise.ts';
import { matmul } from './linalg.ts';
import { softmax } from './nn.ts';
import { arange, concat, reshape, shapeOf, slice, transpose, transposeLast2, unsqueeze } from './shape-ops.ts';

/** Large negative additive bias for masked scores (finite so 0 * bias stays 0). */
export const MASKED_BIAS = -1e9;

/** (B, T, H*D) -> (B, H, T, D). */
export function splitHeads(x: Tensor, heads: number): Tensor {
  const [b, t, c] = x.shape;
  if (x.rank !== 3 || typeof c !== 'number' || c % heads !== 0) {
    throw new ShapeError('splitHeads', `needs (B, T, C) with C divisible by ${heads} heads, got ${formatShape(x.shape)}`);
  }
  return transpose(reshape(x, [b, t, heads, c / heads]), [0, 2, 1, 3]);
}

/** (B, H, T, D) -> (B, T, H*D). */
export function mergeHeads(x: Tensor): Tensor {
  const [b, h, t, d] = x.shape;
  if (x.rank !== 4 || typeof h !== 'number' || typeof d !== 'number') {
    throw new ShapeError('mergeHeads', `needs (B, H, T, D) with static H and D, got ${formatShape(x.shape)}`);
  }
  return reshape(transpose(x, [0, 2, 1, 3]), [b, t, h * d]);
}

/** (T, T) constant: 0 where key <= query, MASKED_BIAS above the diagonal. */
export function causalBias(g: Graph, length: number): Tensor {
  const values = new Array<number>(length * length);
  for (let q = 0; q < length; q++) for (let k = 0; k < length; k++) values[q * length + k] = k <= q ? 0 : MASKED_BIAS;
  return g.constant(values, [length, length]);
}

/**
 * Causal bias (T, S) for queries that are the last T of S positions (KV cache: S = past + T):
 * query i may see keys j <= S - T + i. Static shapes give a constant; symbolic ones compute it at
 * run time from the shapes of q and k (both (B, H, len, D)).
 */
export function causalBiasFor(q: Tensor, k: Tensor): Tensor {
  const t = q.shape[q.rank - 2];
  const s = k.shape[k.rank - 2];
  const g = q.graph;
  if (typeof t === 'number' && typeof s === 'number') {
    if (s < t) throw new ShapeError('causalBiasFor', `keys (${s}) must be at least as many as queries (${t})`);
    const values = new Array<number>(t * s);
    for (let i = 0; i < t; i++) for (let j = 0; j < s; j++) values[i * s + j] = j <= s - t + i ? 0 : MASKED_BIAS;
    return g.constant(values, [t, s]);
  }
  const queryLen = shapeOf(q, q.rank - 2, q.rank - 1);
  const keyLen = shapeOf(k, k.rank - 2, k.rank - 1);
  const queryPos = add(arange(queryLen, t), reshape(sub(keyLen, queryLen), [])); // (T)
  const keyPos = arange(keyLen, s); // (S)
  const hidden = less(unsqueeze(queryPos, [1]), unsqueeze(keyPos, [0])); // (T, S): key after query
  return where(hidden, MASKED_BIAS, 0);
}

/**
 * softmax(q k^T / sqrt(D) + bias) v for q (B, H, T, D), k and v (B, H, S, D); `bias` broadcasts to
 * (B, H, T, S) (e.g. causalBias (T, T), or a padding bias (B, 1, 1, S)). Returns (B, H, T, D).
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, bias?: Tensor): Tensor {
  const d = q.shape[q.rank - 1];
  if (typeof d !== 'number' || k.shape[k.rank - 1] !== d) {
    throw new ShapeError('attention', `q ${formatShape(q.shape)} and k ${formatShape(k.shape)} need the same static head dim`);
  }
  const scores = matmul(mul(q, 1 / Math.sqrt(d)), transposeLast2(k));
  const probs = softmax(bias ? add(scores, bias) : scores, -1);
  return matmul(probs, v);
}

/** Rotary tables for positions 0..length-1: cos and sin of shape (length, headDim). */
export function rotaryTables(g: Graph, length: number, headDim: number, base = 10000): { cos: Tensor; sin: Tensor } {
  if (headDim % 2 !== 0) throw new ShapeError('rotaryTables', `head dim must be even, got ${headDim}`);
  const half = headDim / 2;
  const cos = new Array<number>(length * headDim);
  const sin = new Array<number>(length * headDim);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < headDim; i++) {
      const angle = p * Math.pow(base, -(2 * (i % half)) / headDim);
      cos[p * headDim + i] = Math.cos(angle);
      sin[p * headDim + i] = Math.sin(angle);
    }
  }
  return { cos: g.constant(cos, [length, headDim]), sin: g.constant(sin, [length, headDim]) };
}

/** x * cos + rotate_half(x) * sin, with rotate_half(x) = concat(-x2, x1) over the last axis. */
export function applyRotary(x: Tensor, cos: Tensor, sin: Tensor): Tensor {
  const d = x.shape[x.rank - 1];
  if (typeof d !== 'number' || d % 2 !== 0) throw new ShapeError('applyRotary', `last dim must be static and even, got ${formatShape(x.shape)}`);
  const x1 = slice(x, -1, 0, d / 2);
  const x2 = slice(x, -1, d / 2, d);
  const rotated = concat([neg(x2), x1], -1);
  return add(mul(x, cos), mul(rotated, sin));
}
