// Turns the world's RGBA renders into the model's pixel input: drop alpha, x / 255, then
// (x - mean) / std per channel, channel-first (3, S, S). The arithmetic (float32 rounding after the
// rescale and after the normalisation) is the one transformers.js's image processor performs with
// the exported preprocessor_config.json, so both give bit-identical pixel_values.
// Not here: rendering (src/world) or resizing (images already have the model's size).
import type { PeTinyConfig } from './config.ts';

export const RESCALE_FACTOR = 1 / 255;

/** rgba (S*S*4 bytes, row-major) -> (3, S, S) normalised float32. */
export function normalizePixels(cfg: PeTinyConfig, rgba: ArrayLike<number>): Float32Array {
  const size = cfg.imageSize;
  const plane = size * size;
  if (rgba.length !== plane * 4) {
    throw new RangeError(`expected a ${size}x${size} RGBA image (${plane * 4} bytes), got ${rgba.length} values: render at the model size`);
  }
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const rescaled = Math.fround(RESCALE_FACTOR * rgba[i * 4 + c]);
      out[c * plane + i] = (rescaled - cfg.imageMean[c]) / cfg.imageStd[c];
    }
  }
  return out;
}

/** Several images stacked into one (B, 3, S, S) batch. */
export function pixelBatch(cfg: PeTinyConfig, images: readonly ArrayLike<number>[]): { type: 'float32'; dims: number[]; data: Float32Array } {
  const each = 3 * cfg.imageSize * cfg.imageSize;
  const data = new Float32Array(images.length * each);
  images.forEach((rgba, b) => data.set(normalizePixels(cfg, rgba), b * each));
  return { type: 'float32', dims: [images.length, 3, cfg.imageSize, cfg.imageSize], data };
}
