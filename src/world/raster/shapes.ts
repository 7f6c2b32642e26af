// Anti-aliased shape primitives on a Canvas. Rectangles, polygons and strokes get exact area
// coverage (path.ts); ellipses and rounded rectangles get clamp(0.5 - signedDistance / pixelSize),
// with sub-pixel-thin ones widened to one pixel at proportionally lower alpha. Either way one
// description gives the same picture at any size. Coordinates are normalised (0..1, y down).
// Not a general vector library: no transforms, no curves (see trig.ts for point helpers).

import { clamp01, type Canvas, type Paint } from './canvas.ts';
import { fillPolygons } from './path.ts';
import { ring } from './trig.ts';

const B = new Int32Array(4);

/** Axis-aligned rectangle with exact box-filter coverage. */
export function fillRect(c: Canvas, x0: number, y0: number, x1: number, y1: number, paint: Paint, alpha = 1): void {
  if (x1 <= x0 || y1 <= y0 || !c.bounds(x0, y0, x1, y1, B)) return;
  const n = c.size;
  const cov = c.cov;
  const lx = x0 * n;
  const rx = x1 * n;
  for (let i = B[0]; i < B[2]; i++) cov[i] = clamp01(Math.min(rx, i + 1) - Math.max(lx, i));
  for (let j = B[1]; j < B[3]; j++) {
    const covY = clamp01(Math.min(y1 * n, j + 1) - Math.max(y0 * n, j));
    if (covY > 0) c.blendRow(j, B[0], B[2], alpha * covY, paint);
  }
}

/** Ellipse (circle when rx = ry), by a first-order distance estimate. */
export function fillEllipse(c: Canvas, cx: number, cy: number, rx: number, ry: number, paint: Paint, alpha = 1): void {
  const half = c.px * 0.5;
  if (rx < half) { alpha *= rx / half; rx = half; }
  if (ry < half) { alpha *= ry / half; ry = half; }
  if (!c.bounds(cx - rx, cy - ry, cx + rx, cy + ry, B)) return;
  const n = c.size;
  const px = c.px;
  const cov = c.cov;
  const irx = 1 / rx;
  const iry = 1 / ry;
  const minR = Math.min(rx, ry);
  for (let j = B[1]; j < B[3]; j++) {
    const dy = (j + 0.5) * px - cy;
    for (let i = B[0]; i < B[2]; i++) {
      const dx = (i + 0.5) * px - cx;
      const ux = dx * irx;
      const uy = dy * iry;
      const k0 = Math.sqrt(ux * ux + uy * uy);
      const vx = ux * irx;
      const vy = uy * iry;
      const k1 = Math.sqrt(vx * vx + vy * vy);
      const d = k1 > 0 ? (k0 * (k0 - 1)) / k1 : -minR;
      cov[i] = clamp01(0.5 - d * n);
    }
    c.blendRow(j, B[0], B[2], alpha, paint);
  }
}

export function fillCircle(c: Canvas, cx: number, cy: number, r: number, paint: Paint, alpha = 1): void {
  fillEllipse(c, cx, cy, r, r, paint, alpha);
}

/** Ellipse outline of stroke width w. */
export function strokeEllipse(
  c: Canvas, cx: number, cy: number, rx: number, ry: number, w: number, paint: Paint, alpha = 1,
): void {
  if (w < c.px) { alpha *= w / c.px; w = c.px; }
  const hw = w / 2;
  if (!c.bounds(cx - rx - hw, cy - ry - hw, cx + rx + hw, cy + ry + hw, B)) return;
  const n = c.size;
  const px = c.px;
  const cov = c.cov;
  const irx = 1 / rx;
  const iry = 1 / ry;
  for (let j = B[1]; j < B[3]; j++) {
    const dy = (j + 0.5) * px - cy;
    for (let i = B[0]; i < B[2]; i++) {
      const dx = (i + 0.5) * px - cx;
      const ux = dx * irx;
      const uy = dy * iry;
      const k0 = Math.sqrt(ux * ux + uy * uy);
      const k1 = Math.sqrt(ux * ux * irx * irx + uy * uy * iry * iry);
      const d = k1 > 0 ? Math.abs((k0 * (k0 - 1)) / k1) - hw : Math.min(rx, ry) - hw;
      cov[i] = clamp01(0.5 - d * n);
    }
    c.blendRow(j, B[0], B[2], alpha, paint);
  }
}

/** Rectangle with rounded corners of radius r. */
export function fillRoundRect(
  c: Canvas, x0: number, y0: number, x1: number, y1: number, r: number, paint: Paint, alpha = 1,
): void {
  const half = c.px * 0.5;
  let hx = (x1 - x0) / 2;
  let hy = (y1 - y0) / 2;
  if (hx <= 0 || hy <= 0) return;
  if (hx < half) { alpha *= hx / half; hx = half; }
  if (hy < half) { alpha *= hy / half; hy = half; }
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  r = Math.min(r, hx, hy);
  if (!c.bounds(cx - hx, cy - hy, cx + hx, cy + hy, B)) return;
  const n = c.size;
  const px = c.px;
  const cov = c.cov;
  for (let j = B[1]; j < B[3]; j++) {
    const qy = Math.abs((j + 0.5) * px - cy) - hy + r;
    for (let i = B[0]; i < B[2]; i++) {
      const qx = Math.abs((i + 0.5) * px - cx) - hx + r;
      const ox = qx > 0 ? qx : 0;
      const oy = qy > 0 ? qy : 0;
      const inner = qx > qy ? qx : qy;
      const d = Math.sqrt(ox * ox + oy * oy) + (inner < 0 ? inner : 0) - r;
      cov[i] = clamp01(0.5 - d * n);
    }
    c.blendRow(j, B[0], B[2], alpha, paint);
  }
}

/** Any simple polygon (convex or not), flat points [x0, y0, x1, y1, ...]. */
export function fillPolygon(c: Canvas, pts: readonly number[], paint: Paint, alpha = 1): void {
  fillPolygons(c, [pts], paint, alpha);
}

const UNIT_CIRCLES = new Map<number, number[]>();

/** A circle as a polygon, with enough sides for its size in pixels. */
function circlePolygon(c: Canvas, x: number, y: number, r: number): number[] {
  const rPx = r * c.size;
  const sides = rPx < 1.5 ? 8 : rPx < 4 ? 12 : rPx < 12 ? 20 : 32;
  let unit = UNIT_CIRCLES.get(sides);
  if (!unit) {
    unit = ring(0, 0, 1, 1, sides);
    UNIT_CIRCLES.set(sides, unit);
  }
  const out = new Array<number>(unit.length);
  for (let k = 0; k < unit.length; k += 2) {
    out[k] = x + unit[k] * r;
    out[k + 1] = y + unit[k + 1] * r;
  }
  return out;
}

/** A stroke of width w through flat points (round joins and caps); closed joins last to first. */
export function strokePath(c: Canvas, pts: readonly number[], w: number, paint: Paint, alpha = 1, closed = false): void {
  const m = pts.length >> 1;
  if (m < 2 || w <= 0) return;
  const hw = w / 2;
  const polygons: number[][] = [];
  const segments = closed ? m : m - 1;
  for (let s = 0; s < segments; s++) {
    const ax = pts[2 * s];
    const ay = pts[2 * s + 1];
    const e = (s + 1) % m;
    const bx = pts[2 * e];
    const by = pts[2 * e + 1];
    const len = Math.sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
    if (len === 0) continue;
    const nx = (-(by - ay) / len) * hw;
    const ny = ((bx - ax) / len) * hw;
    polygons.push([ax + nx, ay + ny, bx + nx, by + ny, bx - nx, by - ny, ax - nx, ay - ny]);
  }
  for (let k = 0; k < m; k++) polygons.push(circlePolygon(c, pts[2 * k], pts[2 * k + 1], hw));
  fillPolygons(c, polygons, paint, alpha);
}

export function strokeLine(
  c: Canvas, x0: number, y0: number, x1: number, y1: number, w: number, paint: Paint, alpha = 1,
): void {
  strokePath(c, [x0, y0, x1, y1], w, paint, alpha);
}
