// Small colour helpers for painters: mixing, darkening, lightening. Results are plain RGB triples
// (floats allowed; the canvas rounds once at the end). Not a colour-science module.

import type { Rgb } from '../types.ts';

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function darken(c: Rgb, t: number): Rgb {
  return mix(c, [0, 0, 0], t);
}

export function lighten(c: Rgb, t: number): Rgb {
  return mix(c, [255, 255, 255], t);
}

/** Perceived brightness 0..255. */
export function luma(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}
