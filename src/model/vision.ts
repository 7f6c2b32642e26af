// PE-Tiny's vision tower: a small ViT. Patchify is Reshape + Transpose + MatMul (the maths of a
// stride-p convolution without a Conv op), then learned positions, pre-LayerNorm blocks with full
// (non-causal) multi-head attention and an exact-GELU MLP, and a final LayerNorm.
// Works with a static or symbolic batch dim. Not here: merging patches or mapping to the decoder
// width (projector.ts).
import * as E from '../engine/index.ts';
import { imageGrid } from './config.ts';
import type { Weights } from './weights.ts';

/** pixels (B, 3, S, S) -> (B, (S/p)^2, 3 p p), patches in row-major order, each (channel, row, col). */
export function patchify(pixels: E.Tensor, patch: number): E.Tensor {
  const [b, c, h, w] = pixels.shape;
  if (typeof h !== 'number' || typeof w !== 'number' || typeof c !== 'number' || h % patch !== 0 || w % patch !== 0) {
    throw new E.ShapeError('patchify', `needs (B, C, H, W) with static C, H, W divisible by ${patch}, got ${E.formatShape(pixels.shape)}`);
  }
  const rows = h / patch;
  const cols = w / patch;
  const split = E.reshape(pixels, [b, c, rows, patch, cols, patch]);
  const patches = E.transpose(split, [0, 2, 4, 1, 3, 5]); // (B, rows, cols, C, p, p)
  return E.reshape(patches, [b, rows * cols, c * patch * patch]);
}

/** Full self-attention over (B, N, W) tokens with a fused qkv projection. */
function selfAttention(w: Weights, x: E.Tensor, prefix: string, heads: number): E.Tensor {
  const width = x.shape[2] as number;
  const qkv = w.linear(x, `${prefix}.qkv.weight`, `${prefix}.qkv.bias`); // (B, N, 3W)
  const [q, k, v] = [0, 1, 2].map((i) => E.splitHeads(E.slice(qkv, -1, i * width, (i + 1) * width), heads)); // (B, H, N, W/H)
  return w.linear(E.mergeHeads(E.attention(q, k, v)), `${prefix}.o.weight`, `${prefix}.o.bias`);
}

/** pixels (B, 3, S, S), normalised -> patch features (B, P, vision.width) after the final LayerNorm. */
export function visionTower(w: Weights, pixels: E.Tensor): E.Tensor {
  const { cfg } = w;
  const eps = cfg.layerNormEps;
  const { patches } = imageGrid(cfg);
  const norm = (x: E.Tensor, name: string) => E.layerNorm(x, w.get(`${name}.weight`), w.get(`${name}.bias`), eps);
  let x = w.linear(patchify(pixels, cfg.patchSize), 'vision.patch_embed.weight', 'vision.patch_embed.bias');
  if (x.shape[1] !== patches) throw new E.ShapeError('visionTower', `expected ${patches} patches, got ${E.formatShape(x.shape)}`);
  x = E.add(x, w.get('vision.pos_embed')); // (B, P, W)
  for (let l = 0; l < cfg.vision.layers; l++) {
    const p = `vision.layers.${l}`;
    x = w.graph.scope(`vision${l}`, () => {
      const attended = E.add(x, selfAttention(w, norm(x, `${p}.ln1`), p, cfg.vision.heads));
      const hidden = E.gelu(w.linear(norm(attended, `${p}.ln2`), `${p}.fc1.weight`, `${p}.fc1.bias`));
      return E.add(attended, w.linear(hidden, `${p}.fc2.weight`, `${p}.fc2.bias`));
    });
  }
  return norm(x, 'vision.ln_post');
}
