// Exact-area polygon rasteriser: each edge adds, row by row, the signed area it leaves to its right
// into an accumulation buffer; a running sum along each row then gives every pixel's covered
// fraction (box filter). Several closed polygons drawn together form their union (all are turned
// to the same orientation, coverage = min(1, |winding area|)). Cost ~ edges x rows + covered area.
// Not a general path API: straight edges only (callers flatten circles and curves to points).

import type { Canvas, Paint } from './canvas.ts';

interface Scratch {
  acc: Float32Array;
  rowMin: Int32Array;
  rowMax: Int32Array;
  stride: number;
}

const scratchBySize = new Map<number, Scratch>();

function scratchFor(size: number): Scratch {
  let s = scratchBySize.get(size);
  if (!s) {
    const stride = size + 3;
    s = {
      acc: new Float32Array(stride * size),
      rowMin: new Int32Array(size).fill(0x7fffffff),
      rowMax: new Int32Array(size).fill(-1),
      stride,
    };
    scratchBySize.set(size, s);
  }
  return s;
}

/** Integral of clamp(t, 0, 1) from 0 to s. */
function ramp(s: number): number {
  return s <= 0 ? 0 : s >= 1 ? s - 0.5 : 0.5 * s * s;
}

/** One edge piece inside a single pixel row, xa..xb in pixels (clamped to 0..size), dy signed. */
function accumulateRow(sc: Scratch, row: number, xa: number, xb: number, dy: number): void {
  if (xa > xb) {
    const t = xa;
    xa = xb;
    xb = t;
  }
  const base = row * sc.stride;
  const c0 = Math.floor(xa);
  const c1 = Math.floor(xb) + 1;
  if (c0 < sc.rowMin[row]) sc.rowMin[row] = c0;
  if (c1 > sc.rowMax[row]) sc.rowMax[row] = c1;
  const width = xb - xa;
  let prev = 0;
  for (let c = c0; c <= c1; c++) {
    // area of cell c to the right of the edge, over this row piece
    const area = width > 1e-9
      ? ((ramp(c + 1 - xa) - ramp(c + 1 - xb)) / width) * dy
      : (c + 1 - xa <= 0 ? 0 : c + 1 - xa >= 1 ? 1 : c + 1 - xa) * dy;
    sc.acc[base + c] += area - prev;
    prev = area;
  }
}

function accumulateEdge(sc: Scratch, size: number, x0: number, y0: number, x1: number, y1: number): void {
  if (y0 === y1) return;
  const ymin = Math.max(0, Math.min(y0, y1));
  const ymax = Math.min(size, Math.max(y0, y1));
  if (ymin >= ymax) return;
  const dir = y1 > y0 ? 1 : -1;
  const slope = (x1 - x0) / (y1 - y0);
  for (let row = Math.floor(ymin); row < ymax; row++) {
    const ys = Math.max(ymin, row);
    const ye = Math.min(ymax, row + 1);
    let xs = x0 + (ys - y0) * slope;
    let xe = x0 + (ye - y0) * slope;
    // pieces left of the frame act as a vertical edge at x = 0; right of it, at x = size
    xs = xs < 0 ? 0 : xs > size ? size : xs;
    xe = xe < 0 ? 0 : xe > size ? size : xe;
    accumulateRow(sc, row, xs, xe, (ye - ys) * dir);
  }
}

/** Splits an edge where it crosses x = 0 and x = size so clamping keeps the inside exact. */
function addEdge(sc: Scratch, size: number, x0: number, y0: number, x1: number, y1: number): void {
  for (const bound of [0, size]) {
    if ((x0 < bound && x1 > bound) || (x0 > bound && x1 < bound)) {
      const t = (bound - x0) / (x1 - x0);
      const ym = y0 + (y1 - y0) * t;
      addEdge(sc, size, x0, y0, bound, ym);
      addEdge(sc, size, bound, ym, x1, y1);
      return;
    }
  }
  accumulateEdge(sc, size, x0, y0, x1, y1);
}

function signedArea(pts: readonly number[]): number {
  let a = 0;
  const m = pts.length >> 1;
  for (let i = 0, j = m - 1; i < m; j = i++) a += pts[2 * j] * pts[2 * i + 1] - pts[2 * i] * pts[2 * j + 1];
  return a / 2;
}

/**
 * Fills the union of closed polygons (flat normalised points each) with exact area coverage.
 * Each polygon is turned to the same orientation, so overlaps do not cancel.
 */
export function fillPolygons(c: Canvas, polygons: readonly (readonly number[])[], paint: Paint, alpha = 1): void {
  const size = c.size;
  const sc = scratchFor(size);
  let rowLo = size;
  let rowHi = -1;
  for (const pts of polygons) {
    const m = pts.length >> 1;
    if (m < 3) continue;
    const flip = signedArea(pts) < 0;
    for (let e = 0; e < m; e++) {
      const a = flip ? m - 1 - e : e;
      const b = flip ? (a + m - 1) % m : (a + 1) % m;
      const y0 = pts[2 * a + 1] * size;
      const y1 = pts[2 * b + 1] * size;
      addEdge(sc, size, pts[2 * a] * size, y0, pts[2 * b] * size, y1);
      const lo = Math.max(0, Math.floor(Math.min(y0, y1)));
      const hi = Math.min(size - 1, Math.floor(Math.max(y0, y1)));
      if (lo < rowLo) rowLo = lo;
      if (hi > rowHi) rowHi = hi;
    }
  }
  const cov = c.cov;
  for (let row = rowLo; row <= rowHi; row++) {
    const lo = sc.rowMin[row];
    const hi = sc.rowMax[row];
    if (hi < 0) continue;
    const base = row * sc.stride;
    let sum = 0;
    const end = Math.min(size, hi + 1);
    for (let i = lo; i < end; i++) {
      sum += sc.acc[base + i];
      sc.acc[base + i] = 0;
      const v = sum < 0 ? -sum : sum;
      cov[i] = v > 1 ? 1 : v;
    }
    for (let i = end; i <= hi + 1; i++) sc.acc[base + i] = 0;
    sc.rowMin[row] = 0x7fffffff;
    sc.rowMax[row] = -1;
    if (lo < end) c.blendRow(row, lo, end, alpha, paint);
  }
}
