// PE-Tiny's projector: merges each m x m block of neighbouring patch features into one image token
// (concatenation, as pixel-unshuffle does) and maps it through a 2-layer GELU MLP to the decoder
// width. With 8 px patches and m = 2 a 64 px image becomes 16 image tokens.
// Not here: the vision tower (vision.ts) or where image tokens go in a sequence (vlm.ts, prompt.ts).
import * as E from '../engine/index.ts';
import { imageGrid } from './config.ts';
import type { Weights } from './weights.ts';

/** (B, side*side, W) patches in row-major order -> (B, (side/m)^2, m*m*W), merged blocks row-major. */
export function mergePatches(patches: E.Tensor, side: number, merge: number): E.Tensor {
  const [b, n, width] = patches.shape;
  if (n !== side * side || typeof width !== 'number' || side % merge !== 0) {
    throw new E.ShapeError('mergePatches', `needs (B, ${side * side}, W) with ${side} divisible by ${merge}, got ${E.formatShape(patches.shape)}`);
  }
  if (merge === 1) return patches;
  const t = side / merge;
  const blocks = E.reshape(patches, [b, t, merge, t, merge, width]);
  const grouped = E.transpose(blocks, [0, 1, 3, 2, 4, 5]); // (B, t, t, m, m, W)
  return E.reshape(grouped, [b, t * t, merge * merge * width]);
}

/** Patch features (B, P, vision.width) -> image features (B, imageTokens, decoder.width). */
export function projector(w: Weights, patches: E.Tensor): E.Tensor {
  const grid = imageGrid(w.cfg);
  const merged = mergePatches(patches, grid.side, w.cfg.projector.merge);
  const hidden = E.gelu(w.linear(merged, 'projector.fc1.weight', 'projector.fc1.bias'));
  return w.linear(hidden, 'projector.fc2.weight', 'projector.fc2.bias');
}
