// The drawing surface: a square float RGB buffer in normalised coordinates (0..1, y down), paints
// (solid, vertical/radial gradient, clothing patterns), an optional clip box, coverage blending, and
// the final lighting + quantisation to opaque RGBA bytes. Shapes live in shapes.ts.
// Only IEEE-exact arithmetic (+ - * / sqrt, floor, round) so every platform gets the same bytes.

import type { Rgb } from '../types.ts';
import type { Box } from './layout-meta.ts';

export interface VerticalGradient {
  kind: 'vgrad';
  y0: number;
  y1: number;
  top: Rgb;
  bottom: Rgb;
}

export interface RadialGradient {
  kind: 'radial';
  cx: number;
  cy: number;
  radius: number;
  inner: Rgb;
  outer: Rgb;
}

/** Two-colour clothing pattern; `period` is in image units, the pattern anchored at (ox, oy). */
export interface PatternPaint {
  kind: 'pattern';
  style: 'striped' | 'dotted' | 'checked';
  base: Rgb;
  ink: Rgb;
  period: number;
  ox: number;
  oy: number;
}

export type Paint = Rgb | VerticalGradient | RadialGradient | PatternPaint;

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

export class Canvas {
  /** Interleaved RGB, 0..255 floats, row-major from the top-left pixel. */
  readonly rgb: Float32Array;
  /** Size of one pixel in normalised units. */
  readonly px: number;
  clip: Box | null = null;
  /** Row coverage scratch (one value per pixel of a row) that shapes fill before blendRow(). */
  readonly cov: Float32Array;
  /** Scratch colour written by shade(). */
  private sr = 0;
  private sg = 0;
  private sb = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 8 || size > 4096) {
      throw new RangeError(`render size must be an integer between 8 and 4096 pixels, got ${size}`);
    }
    this.rgb = new Float32Array(size * size * 3);
    this.cov = new Float32Array(size);
    this.px = 1 / size;
  }

  /**
   * Pixel-index bounds [i0, i1) x [j0, j1) of a normalised box grown by one pixel, cut to the frame
   * and the clip box; returns false when nothing is left.
   */
  bounds(x0: number, y0: number, x1: number, y1: number, out: Int32Array): boolean {
    const c = this.clip;
    if (c) {
      x0 = Math.max(x0, c.x0);
      y0 = Math.max(y0, c.y0);
      x1 = Math.min(x1, c.x1);
      y1 = Math.min(y1, c.y1);
    }
    const n = this.size;
    out[0] = Math.max(0, Math.floor(x0 * n) - 1);
    out[1] = Math.max(0, Math.floor(y0 * n) - 1);
    out[2] = Math.min(n, Math.ceil(x1 * n) + 1);
    out[3] = Math.min(n, Math.ceil(y1 * n) + 1);
    return out[0] < out[2] && out[1] < out[3];
  }

  /**
   * Blends `paint` into row j, pixels [i0, i1), each with weight cov[i] * alpha, where cov is this
   * canvas's row scratch buffer that the caller has filled (coverage 0..1 per pixel).
   */
  blendRow(j: number, i0: number, i1: number, alpha: number, paint: Paint): void {
    const n = this.size;
    const px = this.px;
    const cov = this.cov;
    const clip = this.clip;
    const y = (j + 0.5) * px;
    if (clip) alpha *= clamp01((y - clip.y0) * n + 0.5) * clamp01((clip.y1 - y) * n + 0.5);
    if (alpha <= 0) return;
    const rgb = this.rgb;
    let perPixel = false;
    if (Array.isArray(paint)) {
      const p = paint as Rgb;
      this.sr = p[0];
      this.sg = p[1];
      this.sb = p[2];
    } else if ((paint as VerticalGradient).kind === 'vgrad') {
      this.shade(paint as VerticalGradient, 0, y);
    } else {
      perPixel = true;
    }
    let r = this.sr;
    let g = this.sg;
    let b = this.sb;
    for (let i = i0, k = (j * n + i0) * 3; i < i1; i++, k += 3) {
      let a = cov[i] * alpha;
      if (a <= 0) continue;
      if (clip) {
        const x = (i + 0.5) * px;
        a *= clamp01((x - clip.x0) * n + 0.5) * clamp01((clip.x1 - x) * n + 0.5);
        if (a <= 0) continue;
      }
      if (perPixel) {
        this.shade(paint as Exclude<Paint, Rgb>, (i + 0.5) * px, y);
        r = this.sr;
        g = this.sg;
        b = this.sb;
      }
      rgb[k] += (r - rgb[k]) * a;
      rgb[k + 1] += (g - rgb[k + 1]) * a;
      rgb[k + 2] += (b - rgb[k + 2]) * a;
    }
  }

  private mix(a: Rgb, b: Rgb, t: number): void {
    this.sr = a[0] + (b[0] - a[0]) * t;
    this.sg = a[1] + (b[1] - a[1]) * t;
    this.sb = a[2] + (b[2] - a[2]) * t;
  }

  private shade(paint: Exclude<Paint, Rgb>, x: number, y: number): void {
    if (paint.kind === 'vgrad') {
      this.mix(paint.top, paint.bottom, clamp01((y - paint.y0) / (paint.y1 - paint.y0)));
    } else if (paint.kind === 'radial') {
      const dx = x - paint.cx;
      const dy = y - paint.cy;
      this.mix(paint.inner, paint.outer, clamp01(Math.sqrt(dx * dx + dy * dy) / paint.radius));
    } else {
      this.mix(paint.base, paint.ink, patternInk(paint, x, y, this.px));
    }
  }

  /**
   * Final image: lighting (gain, warmth), then bytes. Uint8ClampedArray stores clamp to 0..255 and
   * round half to even (ECMAScript ToUint8Clamp), identically in every engine.
   */
  toRgba(gain: number, warmth: number): Uint8ClampedArray {
    const n = this.size * this.size;
    const out = new Uint8ClampedArray(n * 4);
    const kr = gain * (1 + warmth);
    const kg = gain;
    const kb = gain * (1 - warmth);
    const rgb = this.rgb;
    for (let p = 0, k = 0, o = 0; p < n; p++, k += 3, o += 4) {
      out[o] = rgb[k] * kr;
      out[o + 1] = rgb[k + 1] * kg;
      out[o + 2] = rgb[k + 2] * kb;
      out[o + 3] = 255;
    }
    return out;
  }
}

/** Anti-aliased band coverage of a periodic pattern: fraction of a pixel that is ink. */
function band(t: number, period: number, halfWidth: number, px: number): number {
  const phase = t / period - Math.floor(t / period); // 0..1
  const d = (phase < 0.5 ? phase : 1 - phase) * period; // distance to the nearest band centre
  const w = Math.max(halfWidth, px * 0.5);
  return clamp01((w - d) / px + 0.5) * (halfWidth / w);
}

function patternInk(p: PatternPaint, x: number, y: number, px: number): number {
  const u = x - p.ox;
  const v = y - p.oy;
  if (p.style === 'striped') return band(v, p.period, p.period * 0.22, px);
  if (p.style === 'checked') {
    // checkerboard: ink where exactly one of two half-period bands is on
    const a = band(u, p.period, p.period * 0.25, px);
    const b = band(v, p.period, p.period * 0.25, px);
    return a + b - 2 * a * b;
  }
  // dotted: distance to the nearest lattice point, rows offset by half a period
  const row = Math.floor(v / p.period);
  const shift = (row & 1) === 0 ? 0 : 0.5;
  const fu = u / p.period + shift;
  const du = (fu - Math.floor(fu) - 0.5) * p.period;
  const dv = (v / p.period - row - 0.5) * p.period;
  const r = p.period * 0.2;
  const rr = Math.max(r, px * 0.5);
  return clamp01((rr - Math.sqrt(du * du + dv * dv)) / px + 0.5) * ((r * r) / (rr * rr));
}
