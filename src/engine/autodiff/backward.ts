// Reverse-mode differentiation over the graph's ONNX nodes. Only nodes that lie on a path from a
// requested tensor (`wrt`) to the loss get backward nodes; frozen params, data inputs and constants
// never do, and rules skip the input gradients nobody needs.
// Not here: the rules (rules-*.ts), optimizers (optim.ts).
import { ShapeError } from '../shape.ts';
import { formatShape, type OpNode, type Tensor } from '../tensor.ts';
import { add } from '../ops/elementwise.ts';
import { expand } from '../ops/shape-ops.ts';
import type { GradRule } from './grad-utils.ts';
import { elementwiseRules } from './rules-elementwise.ts';
import { describeMissingRule, nonDifferentiable, structuralRules } from './rules-structural.ts';

const rules: Record<string, GradRule> = { ...elementwiseRules, ...structuralRules };

/** Op types that have a backward rule (for tests and error messages). */
export const differentiableOps = (): string[] => Object.keys(rules);

/**
 * Gradients of a scalar `loss` with respect to each tensor in `wrt` (usually trainable params),
 * returned in the same order with the same (static) shapes. Appends the backward nodes to the graph.
 */
export function backward(loss: Tensor, wrt: readonly Tensor[]): Tensor[] {
  const g = loss.graph;
  if (!loss.isFloat() || loss.size !== 1) {
    throw new ShapeError('backward', `loss must be a float scalar, got ${loss.dtype}${formatShape(loss.shape)}`);
  }
  const wrtIds = new Set(wrt.map((t) => t.id));
  const lossIndex = loss.producer ? g.nodes.indexOf(loss.producer) : -1;
  const forward = g.nodes.slice(0, lossIndex + 1);

  // Forward sweep: which tensors depend on a wrt tensor.
  const dependsOnWrt = new Set(wrtIds);
  for (const node of forward) {
    if (nonDifferentiable.has(node.op)) continue;
    if (node.inputs.some((t) => dependsOnWrt.has(t.id))) {
      for (const o of node.outputs) if (o.isFloat()) dependsOnWrt.add(o.id);
    }
  }

  // Reverse sweep: accumulate contributions; consumers always come after producers.
  const contributions = new Map<number, Tensor[]>();
  const push = (t: Tensor, grad: Tensor) => {
    const list = contributions.get(t.id);
    if (list) list.push(grad);
    else contributions.set(t.id, [grad]);
  };
  const total = (t: Tensor): Tensor | null => {
    const list = contributions.get(t.id);
    if (!list) return null;
    const sum = list.reduce((acc, x) => add(acc, x));
    contributions.set(t.id, [sum]);
    return sum;
  };
  push(loss, loss.rank === 0 ? g.scalar(1, loss.dtype) : g.constant([1], loss.shape.map(() => 1), loss.dtype));
  for (let i = forward.length - 1; i >= 0; i--) {
    const node = forward[i];
    if (node.outputs.length !== 1) continue;
    const out = node.outputs[0];
    if (!dependsOnWrt.has(out.id)) continue;
    const grad = total(out);
    if (!grad) continue;
    const needs = node.inputs.map((t) => dependsOnWrt.has(t.id) && t.isFloat());
    if (!needs.some(Boolean)) continue;
    const inputGrads = applyRule(node, grad, needs);
    node.inputs.forEach((t, k) => {
      const gk = inputGrads[k];
      if (needs[k] && gk) push(t, checkBroadcastable(node, t, gk));
    });
  }

  return wrt.map((t) => {
    const grad = total(t);
    if (!grad) return expand(g.scalar(0, t.dtype), t.shape as number[]);
    return grad.shape.every((d, i) => d === t.shape[i]) ? grad : expand(grad, t.shape as number[]);
  });
}

function applyRule(node: OpNode, grad: Tensor, needs: boolean[]): (Tensor | null)[] {
  const rule = rules[node.op];
  if (!rule) throw new Error(describeMissingRule(node.op, node.outputs[0]));
  for (const t of [...node.inputs, ...node.outputs]) {
    if (!t.isStatic) {
      throw new ShapeError(node.op, `training graphs need static shapes (pad to a fixed bucket), got ${t.name}${formatShape(t.shape)}`);
    }
  }
  return rule({ node, grad, needs });
}

function checkBroadcastable(node: OpNode, t: Tensor, grad: Tensor): Tensor {
  const ok = grad.rank === t.rank && grad.shape.every((d, i) => d === 1 || d === t.shape[i]);
  if (!ok) {
    throw new Error(`backward rule for ${node.op} returned a gradient ${formatShape(grad.shape)} for ${t.name}${formatShape(t.shape)}: this is an engine bug`);
  }
  return grad;
}
