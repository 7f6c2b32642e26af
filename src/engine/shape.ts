// Shape rules checked while the graph is built: numpy broadcasting, axis normalisation, static
// sizes. Every failure is a ShapeError naming the op and the shapes involved.
// Not here: runtime shape computation for symbolic dims (see ops/shape-ops.ts).
import { formatShape, type Dim, type Shape } from './tensor.ts';

export class ShapeError extends Error {
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = 'ShapeError';
  }
}

/** numpy-style broadcast of any number of shapes (trailing dims aligned; equal or 1). */
export function broadcastShapes(op: string, ...shapes: Shape[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i] ?? 1;
      if (d === 1 || d === dim) continue;
      if (dim === 1) {
        dim = d;
        continue;
      }
      throw new ShapeError(
        op,
        `cannot broadcast shapes ${shapes.map(formatShape).join(' and ')}: at axis ${i - rank} sizes ` +
          `${dim} and ${d} differ (numpy broadcasting: trailing dims must be equal or 1)`,
      );
    }
    out.push(dim);
  }
  return out;
}

/** Maps a possibly negative axis into [0, rank). */
export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(op, `axis ${axis} is out of range for a rank-${rank} tensor`);
  }
  return a;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function isStaticShape(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

/** Product of static dims; null when any dim is symbolic. */
export function staticSize(shape: Shape): number | null {
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/** Static dims as numbers, or a ShapeError explaining that this op needs static shapes. */
export function requireStatic(op: string, shape: Shape, why: string): number[] {
  if (!isStaticShape(shape)) {
    throw new ShapeError(op, `needs a static shape ${why}, got ${formatShape(shape)}`);
  }
  return [...shape];
}

/** Inverse of a permutation. */
export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/**
 * A symbolic product of dims, e.g. ['batch', 4, 'seq'] -> { symbols: ['batch','seq'], factor: 4 },
 * used to check reshapes of tensors with symbolic dims.
 */
export function dimProduct(shape: Shape): { symbols: string[]; factor: number } {
  const symbols: string[] = [];
  let factor = 1;
  for (const d of shape) {
    if (typeof d === 'number') factor *= d;
    else {
      for (const part of d.split('*')) {
        if (/^\d+$/.test(part)) factor *= Number(part);
        else symbols.push(part);
      }
    }
  }
  symbols.sort();
  return { symbols, factor };
}

/** Joins symbols and a factor into a dim: 4 * ['b','t'] -> '4*b*t' (or a number if no symbols). */
export function productDim(symbols: string[], factor: number): Dim {
  if (symbols.length === 0) return factor;
  const sorted = [...symbols].sort();
  return factor === 1 ? sorted.join('*') : `${factor}*${sorted.join('*')}`;
}
