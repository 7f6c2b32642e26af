// Backward rules for MatMul (linear layers and batched products), Gather (embeddings) and shape ops.
// Linear-layer weight gradients are one 2-D Gemm(transA=1) over the flattened (B*T, C) rows;
// embedding gradients are a one-hot (Equal + Cast) Gemm, which every ORT backend supports
// (no ScatterND).
// Not here: elementwise rules (rules-elementwise.ts).
import { ShapeError } from '../shape.ts';
import { formatShape, type Tensor } from '../tensor.ts';
import { gemm, matmul } from '../ops/linalg.ts';
import { oneHot } from '../ops/nn.ts';
import { invertPerm, pad, reshape, slice, transpose, transposeLast2 } from '../ops/shape-ops.ts';
import { constInts, materialize, unbroadcast, type GradContext, type GradRule } from './grad-utils.ts';

function matmulRule({ node, grad, needs }: GradContext): (Tensor | null)[] {
  const [a, b] = node.inputs;
  const y = node.outputs[0];
  const g = materialize(grad, y.shape);
  const k = a.shape[a.rank - 1] as number;
  const n = b.shape[b.rank - 1] as number;
  if (b.rank === 2) {
    // Shared weight: flatten the rows of a and g so both grads are single 2-D Gemms.
    const g2 = reshape(g, [-1, n]);
    const ga = needs[0] ? reshape(gemm(g2, b, false, true), a.shape) : null;
    const gb = needs[1] ? gemm(reshape(a, [-1, k]), g2, true, false) : null;
    return [ga, gb];
  }
  const ga = needs[0] ? matmul(g, transposeLast2(b)) : null;
  const gb = needs[1] ? matmul(transposeLast2(a), g) : null;
  return [
    ga ? unbroadcast(ga, a.shape, ga.shape) : null,
    gb ? unbroadcast(gb, b.shape, gb.shape) : null,
  ];
}

function gatherRule({ node, grad, needs }: GradContext): (Tensor | null)[] {
  if (!needs[0]) return [null, null];
  const [data, indices] = node.inputs;
  if (node.attrs.axis.value !== 0) {
    throw new ShapeError('Gather', `backward is implemented for axis 0 (embedding lookups) only, got axis ${node.attrs.axis.value}`);
  }
  const vocab = data.shape[0] as number;
  const rowSize = data.shape.slice(1).reduce<number>((p, d) => p * (d as number), 1);
  const rows = materialize(grad, node.outputs[0].shape);
  // d table = onehot(indices)^T (V, N) x d rows (N, R)
  const hot = oneHot(reshape(indices, [-1]), vocab);
  const table = gemm(hot, reshape(rows, [-1, rowSize]), true, false);
  return [reshape(table, data.shape), null];
}

export const structuralRules: Record<string, GradRule> = {
  MatMul: matmulRule,
  Gather: gatherRule,
  Reshape: ({ node, grad, needs }) => [needs[0] ? reshape(materialize(grad, node.outputs[0].shape), node.inputs[0].shape) : null, null],
  Transpose: ({ node, grad, needs }) => [needs[0] ? transpose(grad, invertPerm(node.attrs.perm.value as number[])) : null],
  Concat: ({ node, grad, needs }) => {
    const axis = node.attrs.axis.value as number;
    const g = materialize(grad, node.outputs[0].shape);
    let offset = 0;
    return node.inputs.map((x, i) => {
      const d = x.shape[axis] as number;
      const piece = needs[i] ? slice(g, axis, offset, offset + d) : null;
      offset += d;
      return piece;
    });
  },
  Slice: ({ node, grad, needs }) => {
    if (!needs[0]) return node.inputs.map(() => null);
    const x = node.inputs[0];
    const [start] = constInts(node, 1);
    const [axis] = constInts(node, 3);
    const steps = constInts(node, 4);
    if (steps[0] !== 1) throw new ShapeError('Slice', 'backward supports step 1 only');
    const y = node.outputs[0];
    const pads = new Array<number>(2 * x.rank).fill(0);
    pads[axis] = start;
    pads[axis + x.rank] = (x.shape[axis] as number) - start - (y.shape[axis] as number);
    return [pad(materialize(grad, y.shape), pads), null, null, null, null];
  },
  Pad: ({ node, grad, needs }) => {
    if (!needs[0]) return [null, null];
    const x = node.inputs[0];
    const pads = constInts(node, 1);
    let g = materialize(grad, node.outputs[0].shape);
    x.shape.forEach((d, axis) => {
      g = slice(g, axis, pads[axis], pads[axis] + (d as number));
    });
    return [g, null];
  },
};

/** Ops whose outputs never carry gradients (integer/bool results, shape queries). */
export const nonDifferentiable = new Set(['Equal', 'Less', 'Greater', 'Not', 'And', 'Or', 'Shape', 'Range']);

export function describeMissingRule(op: string, t: Tensor): string {
  return `no backward rule for ${op} (reached from ${t.name}${formatShape(t.shape)}): compose it from ops that have one, or add a rule in src/engine/autodiff/`;
}
