// Structural ops: Reshape, Transpose, Concat, Slice, Gather, Expand, Pad, (Un)squeeze, and the
// run-time shape helpers (Shape, Range) that forward-only graphs with symbolic dims need.
// Peepholes: reshape-of-reshape and transpose-of-transpose fold into one node; no-ops vanish.
// Not here: gradients (autodiff/rules-structural.ts).
import {
  ShapeError, broadcastShapes, dimProduct, invertPerm, isStaticShape, normAxis, productDim, requireStatic, sameShape,
} from '../shape.ts';
import { Tensor, formatShape, type Dim, type Shape } from '../tensor.ts';

const INT64_MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Reshape to `target`: numbers, symbolic dims present in x (or in a graph input), and at most one -1.
 * Element counts are checked at build time, symbolically when dims are symbolic.
 */
export function reshape(x: Tensor, target: readonly Dim[]): Tensor {
  const g = x.graph;
  const inferAt = target.indexOf(-1);
  if (target.lastIndexOf(-1) !== inferAt) throw new ShapeError('Reshape', `at most one -1 allowed, got ${formatShape(target)}`);
  const src = dimProduct(x.shape);
  const known = dimProduct(target.filter((d) => d !== -1));
  const leftover = divideProduct(src, known);
  if (!leftover || (inferAt < 0 && (leftover.symbols.length > 0 || leftover.factor !== 1))) {
    throw new ShapeError('Reshape', `cannot reshape ${formatShape(x.shape)} to ${formatShape(target)}: element counts differ`);
  }
  const outShape = target.map((d) => (d === -1 ? productDim(leftover.symbols, leftover.factor) : d));
  if (sameShape(outShape, x.shape)) return x;
  const base = x.producer?.op === 'Reshape' ? x.producer.inputs[0] : x;
  if (sameShape(outShape, base.shape)) return base;
  return g.addNode('Reshape', [base, shapeTensor(base, outShape, inferAt)], [{ shape: outShape, dtype: x.dtype }])[0];
}

function divideProduct(a: { symbols: string[]; factor: number }, b: { symbols: string[]; factor: number }) {
  const rest = [...a.symbols];
  for (const s of b.symbols) {
    const i = rest.indexOf(s);
    if (i < 0) return null;
    rest.splice(i, 1);
  }
  if (a.factor % b.factor !== 0) return null;
  return { symbols: rest, factor: a.factor / b.factor };
}

/** The int64 shape input of a Reshape; symbolic dims become 0 (copy), -1, or a Shape() lookup. */
function shapeTensor(x: Tensor, outShape: Shape, inferAt: number): Tensor {
  const g = x.graph;
  if (isStaticShape(outShape)) return g.ints(outShape);
  let minusOneUsed = inferAt >= 0;
  const pieces = outShape.map((d, i): number | Tensor => {
    if (i === inferAt) return -1;
    if (typeof d === 'number') return d;
    if (x.shape[i] === d) return 0;
    const symbolsLeft = outShape.filter((e, j) => typeof e === 'string' && j > i && x.shape[j] !== e).length;
    if (!minusOneUsed && symbolsLeft === 0) {
      minusOneUsed = true;
      return -1;
    }
    return dimLookup(x, d);
  });
  if (pieces.every((p) => typeof p === 'number')) return g.ints(pieces as number[]);
  const parts = pieces.map((p) => (typeof p === 'number' ? g.ints([p]) : p));
  return concat(parts, 0);
}

/** A 1-element int64 tensor holding the run-time size of symbolic dim `d` (found in x or a graph input). */
export function dimLookup(x: Tensor, d: string): Tensor {
  const holders = [x, ...x.graph.inputs];
  for (const h of holders) {
    const axis = h.shape.indexOf(d);
    if (axis >= 0) return shapeOf(h, axis, axis + 1);
  }
  throw new ShapeError('Reshape', `symbolic dim '${d}' is not a dim of ${x.name} nor of any graph input; cannot compute it at run time`);
}

/** Shape(x)[start:end] as an int64 vector (run time). */
export function shapeOf(x: Tensor, start = 0, end = x.rank): Tensor {
  return x.graph.addNode('Shape', [x], [{ shape: [end - start], dtype: 'int64' }], {
    start: { kind: 'int', value: start },
    end: { kind: 'int', value: end },
  })[0];
}

/**
 * [0, 1, ..., n-1] computed at run time; n is an int64 scalar or 1-element tensor (e.g. from shapeOf).
 * `dim` names the (symbolic) length of the result. Static ranges are plain constants instead.
 */
export function arange(n: Tensor, dim: Dim): Tensor {
  const g = n.graph;
  if (n.dtype !== 'int64' || (n.rank > 1) || (n.rank === 1 && n.shape[0] !== 1)) {
    throw new ShapeError('Range', `limit must be an int64 scalar or 1-element vector, got ${n.dtype}${formatShape(n.shape)}`);
  }
  const limit = n.rank === 0 ? n : reshape(n, []);
  return g.addNode('Range', [g.scalar(0, 'int64'), limit, g.scalar(1, 'int64')], [{ shape: [dim], dtype: 'int64' }])[0];
}

export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new ShapeError('Transpose', `perm [${perm.join(', ')}] is not a permutation of the axes of ${formatShape(x.shape)}`);
  }
  if (perm.every((p, i) => p === i)) return x;
  if (x.producer?.op === 'Transpose') {
    const inner = x.producer.attrs.perm.value as number[];
    return transpose(x.producer.inputs[0], perm.map((p) => inner[p]));
  }
  const shape = perm.map((p) => x.shape[p]);
  return x.graph.addNode('Transpose', [x], [{ shape, dtype: x.dtype }], { perm: { kind: 'ints', value: [...perm] } })[0];
}

/** Swaps the last two axes. */
export function transposeLast2(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 2] = x.rank - 1;
  perm[x.rank - 1] = x.rank - 2;
  return transpose(x, perm);
}

export function concat(parts: readonly Tensor[], axis: number): Tensor {
  if (parts.length === 0) throw new ShapeError('Concat', 'needs at least one tensor');
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const a = normAxis('Concat', axis, first.rank);
  let total: Dim = 0;
  for (const p of parts) {
    const mismatch = p.rank !== first.rank || p.dtype !== first.dtype || p.shape.some((d, i) => i !== a && d !== first.shape[i]);
    if (mismatch) {
      throw new ShapeError('Concat', `along axis ${axis}, shapes ${parts.map((q) => formatShape(q.shape)).join(', ')} ` +
        `must agree on every other axis (and dtypes ${parts.map((q) => q.dtype).join(', ')} must match)`);
    }
    const d = p.shape[a];
    total = typeof total === 'number' && typeof d === 'number' ? total + d : `${total}+${d}`;
  }
  const shape = first.shape.map((d, i) => (i === a ? total : d));
  return first.graph.addNode('Concat', parts, [{ shape, dtype: first.dtype }], { axis: { kind: 'int', value: a } })[0];
}

/** x[start:end] along one axis (step 1). Negative bounds count from the end (static dims only). */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normAxis('Slice', axis, x.rank);
  const d = x.shape[a];
  let outDim: Dim;
  let s = start;
  let e = end;
  if (typeof d === 'number') {
    s = s < 0 ? s + d : s;
    e = e === undefined ? d : e < 0 ? e + d : Math.min(e, d);
    if (s < 0 || s > e || e > d) {
      throw new ShapeError('Slice', `range [${start}, ${end ?? 'end'}) is out of bounds for axis ${axis} of ${formatShape(x.shape)}`);
    }
    if (s === 0 && e === d) return x;
    outDim = e - s;
  } else {
    if (s < 0 || (e !== undefined && e < s)) throw new ShapeError('Slice', `symbolic axis '${d}' needs 0 <= start <= end, got [${start}, ${end})`);
    outDim = e !== undefined ? e - s : s === 0 ? d : `${d}-${s}`;
    if (s === 0 && e === undefined) return x;
  }
  const g = x.graph;
  const shape = x.shape.map((dim, i) => (i === a ? outDim : dim));
  const inputs = [x, g.ints([s]), g.ints([e ?? INT64_MAX_SAFE]), g.ints([a]), g.ints([1])];
  return g.addNode('Slice', inputs, [{ shape, dtype: x.dtype }])[0];
}

/** Gather along `axis` (embeddings: axis 0). indices are int64; out = data[:axis] + indices + data[axis+1:]. */
export function gather(data: Tensor, indices: Tensor, axis = 0): Tensor {
  const a = normAxis('Gather', axis, data.rank);
  if (indices.dtype !== 'int64') throw new ShapeError('Gather', `indices must be int64, got ${indices.dtype}${formatShape(indices.shape)}`);
  const shape = [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)];
  return data.graph.addNode('Gather', [data, indices], [{ shape, dtype: data.dtype }], { axis: { kind: 'int', value: a } })[0];
}

/** Broadcasts x to `shape` (static). */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const out = broadcastShapes('Expand', x.shape, shape);
  if (!sameShape(out, shape)) {
    throw new ShapeError('Expand', `${formatShape(x.shape)} does not broadcast to ${formatShape(shape)} (it gives ${formatShape(out)})`);
  }
  if (sameShape(x.shape, shape)) return x;
  return x.graph.addNode('Expand', [x, x.graph.ints(shape)], [{ shape, dtype: x.dtype }])[0];
}

/** Zero padding: pads = [before_0..before_{r-1}, after_0..after_{r-1}] (static, non-negative). */
export function pad(x: Tensor, pads: readonly number[]): Tensor {
  const dims = requireStatic('Pad', x.shape, 'to pad');
  if (pads.length !== 2 * x.rank || pads.some((p) => p < 0)) {
    throw new ShapeError('Pad', `pads [${pads.join(', ')}] must hold ${2 * x.rank} non-negative values for ${formatShape(x.shape)}`);
  }
  if (pads.every((p) => p === 0)) return x;
  const shape = dims.map((d, i) => d + pads[i] + pads[i + x.rank]);
  return x.graph.addNode('Pad', [x, x.graph.ints(pads)], [{ shape, dtype: x.dtype }])[0];
}

/** Inserts size-1 axes at the given output positions. */
export function unsqueeze(x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.rank + axes.length;
  const at = axes.map((a) => normAxis('Unsqueeze', a, rank));
  const shape: Dim[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) shape.push(at.includes(i) ? 1 : x.shape[k++]);
  if (x.isStatic) return reshape(x, shape);
  return x.graph.addNode('Unsqueeze', [x, x.graph.ints(at)], [{ shape, dtype: x.dtype }])[0];
}

/** Removes the given size-1 axes. */
export function squeeze(x: Tensor, axes: readonly number[]): Tensor {
  const at = axes.map((a) => normAxis('Squeeze', a, x.rank));
  for (const a of at) {
    if (x.shape[a] !== 1) throw new ShapeError('Squeeze', `axis ${a} of ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  const shape = x.shape.filter((_, i) => !at.includes(i));
  if (x.isStatic) return reshape(x, shape);
  return x.graph.addNode('Squeeze', [x, x.graph.ints(at)], [{ shape, dtype: x.dtype }])[0];
}

export { invertPerm };
