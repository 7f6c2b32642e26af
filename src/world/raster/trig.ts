// Deterministic sine/cosine from + - * only (range reduction + Taylor series), so polygon vertices
// are bit-identical in every JavaScript engine (Math.sin is not specified to the last bit).
// Accurate to ~1e-9, plenty for drawing; not for numerics.

const TWO_PI = 6.283185307179586;
const HALF_PI = 1.5707963267948966;
const PI = 3.141592653589793;

export function detSin(x: number): number {
  let t = x - TWO_PI * Math.round(x / TWO_PI); // -pi..pi
  if (t > HALF_PI) t = PI - t;
  else if (t < -HALF_PI) t = -PI - t;
  const t2 = t * t;
  // sin t = t - t^3/3! + t^5/5! - ... up to t^13
  let term = t;
  let sum = t;
  for (let k = 1; k <= 6; k++) {
    term = (-term * t2) / ((2 * k) * (2 * k + 1));
    sum += term;
  }
  return sum;
}

export function detCos(x: number): number {
  return detSin(x + HALF_PI);
}

/** n points on an ellipse, flat [x0, y0, x1, y1, ...], starting at angle `turn` (in turns, 0..1). */
export function ring(cx: number, cy: number, rx: number, ry: number, n: number, turn = 0): number[] {
  const pts: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = TWO_PI * (turn + i / n);
    pts.push(cx + rx * detCos(a), cy + ry * detSin(a));
  }
  return pts;
}

/** Points along an elliptical arc from turn a0 to a1 (inclusive), flat. */
export function arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number, n: number): number[] {
  const pts: number[] = [];
  for (let i = 0; i <= n; i++) {
    const a = TWO_PI * (a0 + ((a1 - a0) * i) / n);
    pts.push(cx + rx * detCos(a), cy + ry * detSin(a));
  }
  return pts;
}
