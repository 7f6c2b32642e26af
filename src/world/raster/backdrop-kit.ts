// Building blocks shared by the backdrop painters: sky and ground gradients, rolling hills, tree
// lines, converging floor lines. Each takes explicit colours and positions; no event knowledge here.

import type { Rgb } from '../types.ts';
import type { Canvas } from './canvas.ts';
import { darken, lighten, mix } from './colour.ts';
import { fillEllipse, fillRect, strokeLine } from './shapes.ts';
import type { Rng } from '../../core/rng.ts';

/** Vertical gradient over the band y0..y1 of the full width. */
export function band(c: Canvas, y0: number, y1: number, top: Rgb, bottom: Rgb): void {
  fillRect(c, 0, y0, 1, y1, { kind: 'vgrad', y0, y1, top, bottom });
}

/** Sky from the top of the image down to y, lighter towards the horizon. */
export function sky(c: Canvas, sky: Rgb, y: number, haze = 0.35): void {
  band(c, 0, y, darken(sky, 0.06), lighten(sky, haze));
}

/** Ground from y to the bottom of the image, darker towards the viewer. */
export function ground(c: Canvas, colour: Rgb, y: number, far: Rgb = lighten(colour, 0.12)): void {
  band(c, y, 1, far, darken(colour, 0.14));
}

/** Rolling hills: overlapping flat ellipses whose tops sit up to `height` above `base`. */
export function hills(c: Canvas, base: number, height: number, colour: Rgb, rng: Rng, count = 5, shift = 0): void {
  for (let k = 0; k < count; k++) {
    const x = shift + (k + rng.uniform(-0.3, 0.3)) / (count - 1);
    const rx = rng.uniform(0.16, 0.32);
    const ry = height * rng.uniform(0.55, 1);
    fillEllipse(c, x, base, rx, ry, colour);
  }
  fillRect(c, 0, base, 1, base + height * 0.3, colour);
}

/** A dense row of round tree crowns along the horizon. */
export function treeLine(c: Canvas, base: number, size: number, colour: Rgb, rng: Rng, shift = 0): void {
  const dark = darken(colour, 0.18);
  for (let x = -0.04 + shift * 0.05; x < 1.06; x += size * rng.uniform(0.9, 1.4)) {
    const r = size * rng.uniform(0.7, 1.15);
    fillEllipse(c, x, base - r * 0.55, r, r * 0.95, rng.chance(0.5) ? colour : dark);
  }
  fillRect(c, 0, base - size * 0.5, 1, base + 0.004, dark);
}

/** Lines fanning out from a vanishing point (vx, vy) to the bottom edge, drawn below y = fromY. */
export function fanLines(
  c: Canvas, vx: number, vy: number, fromY: number, count: number, spread: number, w: number, colour: Rgb, alpha = 1,
): void {
  const t = (fromY - vy) / (1.02 - vy);
  for (let k = 0; k <= count; k++) {
    const bx = 0.5 + (k / count - 0.5) * spread;
    strokeLine(c, vx + (bx - vx) * t, fromY, bx, 1.02, w, colour, alpha);
  }
}

/** Horizontal lines from y0 to the bottom, spaced wider towards the viewer (floorboards, furrows). */
export function depthLines(c: Canvas, y0: number, count: number, w: number, colour: Rgb, alpha = 1): void {
  for (let k = 1; k <= count; k++) {
    const t = k / (count + 1);
    const y = y0 + (1 - y0) * t * t;
    strokeLine(c, 0, y, 1, y, w * (0.6 + t), colour, alpha);
  }
}

export function haze(a: Rgb, towards: Rgb, t: number): Rgb {
  return mix(a, towards, t);
}
