// Training-time augmentation of a training render, so that the model learns the person and the
// event rather than the one picture it sees of each pair (fresh renders move, scale and relight the
// scene): a random mirror, scale and shift (one bilinear resample, edges clamped) and a lighting
// change (overall gain plus a small per-channel tint). Deterministic given the Rng.
// Not here: which rows are augmented (the trainer) or evaluation images (never augmented).
import type { Rng } from '../core/rng.ts';

export interface AugmentOptions {
  /** Largest shift in pixels, each axis (default 3). */
  shift?: number;
  /** Scale range is [1 - scale, 1 + scale] (default 0.1). */
  scale?: number;
  /** Overall gain range [1 - light, 1 + light] (default 0.15). */
  light?: number;
  /** Per-channel tint range [1 - tint, 1 + tint] on top of the gain (default 0.05). */
  tint?: number;
  /** Mirror left-right with probability 1/2 (default true). */
  mirror?: boolean;
}

/** A new S x S RGBA image (alpha kept opaque) transformed from `rgba`. */
export function augmentRgba(rgba: ArrayLike<number>, size: number, rng: Rng, options: AugmentOptions = {}): Uint8ClampedArray {
  if (rgba.length !== size * size * 4) throw new RangeError(`augmentRgba: expected ${size}x${size} RGBA (${size * size * 4} values), got ${rgba.length}`);
  const shift = options.shift ?? 3;
  const scaleRange = options.scale ?? 0.1;
  const light = options.light ?? 0.15;
  const tint = options.tint ?? 0.05;
  const mirror = (options.mirror ?? true) && rng.chance(0.5);
  const scale = rng.uniform(1 - scaleRange, 1 + scaleRange);
  const dx = rng.uniform(-shift, shift);
  const dy = rng.uniform(-shift, shift);
  const gain = rng.uniform(1 - light, 1 + light);
  const channelGain = [0, 1, 2].map(() => gain * rng.uniform(1 - tint, 1 + tint));

  const out = new Uint8ClampedArray(size * size * 4);
  const centre = (size - 1) / 2;
  const last = size - 1;
  for (let y = 0; y < size; y++) {
    // Output pixel -> source coordinates: undo the shift, then the scale about the centre.
    const sy = Math.min(last, Math.max(0, (y - dy - centre) / scale + centre));
    const y0 = Math.min(last - 1, Math.floor(sy));
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const mx = mirror ? last - x : x;
      const sx = Math.min(last, Math.max(0, (mx - dx - centre) / scale + centre));
      const x0 = Math.min(last - 1, Math.floor(sx));
      const fx = sx - x0;
      const i00 = (y0 * size + x0) * 4;
      const i01 = i00 + 4;
      const i10 = i00 + size * 4;
      const i11 = i10 + 4;
      const o = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        const top = rgba[i00 + c] * (1 - fx) + rgba[i01 + c] * fx;
        const bottom = rgba[i10 + c] * (1 - fx) + rgba[i11 + c] * fx;
        out[o + c] = Math.round((top * (1 - fy) + bottom * fy) * channelGain[c]);
      }
      out[o + 3] = 255;
    }
  }
  return out;
}
