// Finite-difference checks of every backward rule: each case builds a small float64 graph around one
// op (with broadcasting where the op allows it), and compares backward()'s gradients of
// sum(op(...) * R) with central differences computed by running the same ONNX model on ORT-node.
import { describe, expect, test } from 'vitest';
import type { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { gradCheck, randomParam } from './harness.ts';

type Case = { op: string; label: string; build: (g: E.Graph, rng: Rng) => E.Tensor };

const p = randomParam;
const positive = (g: E.Graph, rng: Rng, name: string, shape: number[]) => p(g, rng, name, shape, 0.3, 2);
const ints = (g: E.Graph, values: number[], shape: number[]) => g.constant(values.map(BigInt), shape, 'int64');

const cases: Case[] = [
  { op: 'Identity', label: 'identity', build: (g, r) => E.identity(p(g, r, 'x', [3, 2])) },
  { op: 'Neg', label: 'neg', build: (g, r) => E.neg(p(g, r, 'x', [3, 2])) },
  { op: 'Exp', label: 'exp', build: (g, r) => E.exp(p(g, r, 'x', [3, 2])) },
  { op: 'Log', label: 'log', build: (g, r) => E.log(positive(g, r, 'x', [3, 2])) },
  { op: 'Sqrt', label: 'sqrt', build: (g, r) => E.sqrt(positive(g, r, 'x', [3, 2])) },
  { op: 'Sigmoid', label: 'sigmoid', build: (g, r) => E.sigmoid(p(g, r, 'x', [3, 2], 2)) },
  { op: 'Tanh', label: 'tanh', build: (g, r) => E.tanh(p(g, r, 'x', [3, 2])) },
  { op: 'Abs', label: 'abs', build: (g, r) => E.abs(p(g, r, 'x', [3, 4])) },
  { op: 'Add', label: 'add (3,1,4)+(2,4)', build: (g, r) => E.add(p(g, r, 'a', [3, 1, 4]), p(g, r, 'b', [2, 4])) },
  { op: 'Sub', label: 'sub (2,3)-(3)', build: (g, r) => E.sub(p(g, r, 'a', [2, 3]), p(g, r, 'b', [3])) },
  { op: 'Mul', label: 'mul (3,1)*(1,4) outer', build: (g, r) => E.mul(p(g, r, 'a', [3, 1]), p(g, r, 'b', [1, 4])) },
  { op: 'Mul', label: 'mul by itself', build: (g, r) => { const x = p(g, r, 'x', [4]); return E.mul(x, x); } },
  { op: 'Div', label: 'div (2,3)/(2,1)', build: (g, r) => E.div(p(g, r, 'a', [2, 3]), positive(g, r, 'b', [2, 1])) },
  { op: 'Pow', label: 'pow constant exponent', build: (g, r) => E.pow(positive(g, r, 'x', [2, 3]), 2.5) },
  { op: 'Pow', label: 'pow tensor exponent', build: (g, r) => E.pow(positive(g, r, 'x', [2, 3]), p(g, r, 'e', [3], 0.5)) },
  { op: 'Max', label: 'maximum with broadcast', build: (g, r) => E.maximum(p(g, r, 'a', [3, 4]), p(g, r, 'b', [4])) },
  { op: 'Min', label: 'minimum', build: (g, r) => E.minimum(p(g, r, 'a', [3, 4]), p(g, r, 'b', [3, 4])) },
  {
    op: 'Where', label: 'where with broadcast branches',
    build: (g, r) => {
      const cond = E.less(g.constant([0.1, -1, 2, -0.3, 0.5, -2], [2, 3]), 0);
      return E.where(cond, p(g, r, 'a', [2, 3]), p(g, r, 'b', [1, 3]));
    },
  },
  { op: 'Expand', label: 'expand (3,1)->(2,3,4)', build: (g, r) => E.expand(p(g, r, 'x', [3, 1]), [2, 3, 4]) },
  { op: 'ReduceSum', label: 'reduceSum axis 1', build: (g, r) => E.reduceSum(p(g, r, 'x', [2, 3, 4]), [1]) },
  { op: 'ReduceSum', label: 'reduceSum all, keepdims', build: (g, r) => E.reduceSum(p(g, r, 'x', [2, 3]), undefined, true) },
  { op: 'ReduceMean', label: 'reduceMean last, keepdims, then broadcast', build: (g, r) => { const x = p(g, r, 'x', [3, 4]); return E.mul(x, E.reduceMean(x, [-1], true)); } },
  { op: 'ReduceMax', label: 'reduceMax axis 0', build: (g, r) => E.reduceMax(p(g, r, 'x', [4, 3]), [0]) },
  { op: 'Softmax', label: 'softmax last axis', build: (g, r) => E.softmax(p(g, r, 'x', [2, 5])) },
  { op: 'Softmax', label: 'softmax axis 0', build: (g, r) => E.softmax(p(g, r, 'x', [3, 2]), 0) },
  { op: 'LogSoftmax', label: 'logSoftmax', build: (g, r) => E.logSoftmax(p(g, r, 'x', [2, 5])) },
  { op: 'LogSoftmax', label: 'logSoftmax then mean (broadcast grad)', build: (g, r) => E.reduceMean(E.logSoftmax(p(g, r, 'x', [2, 5])), [-1]) },
  { op: 'MatMul', label: 'matmul 2-D', build: (g, r) => E.matmul(p(g, r, 'a', [3, 4]), p(g, r, 'b', [4, 2])) },
  { op: 'MatMul', label: 'matmul 3-D x 2-D (linear)', build: (g, r) => E.linear(p(g, r, 'x', [2, 3, 4]), p(g, r, 'w', [4, 5]), p(g, r, 'b', [5])) },
  { op: 'MatMul', label: 'matmul batched with batch broadcast', build: (g, r) => E.matmul(p(g, r, 'a', [2, 1, 3, 4]), p(g, r, 'b', [3, 4, 2])) },
  { op: 'Gather', label: 'gather rows with repeats', build: (g, r) => E.gather(p(g, r, 'table', [5, 3]), ints(g, [0, 4, 4, 2, 0, 1], [2, 3])) },
  { op: 'Reshape', label: 'reshape', build: (g, r) => E.mul(E.reshape(p(g, r, 'x', [2, 6]), [3, -1]), p(g, r, 'y', [3, 4])) },
  { op: 'Transpose', label: 'transpose', build: (g, r) => E.transpose(p(g, r, 'x', [2, 3, 4]), [2, 0, 1]) },
  { op: 'Concat', label: 'concat axis 1', build: (g, r) => E.concat([p(g, r, 'a', [2, 1]), p(g, r, 'b', [2, 3])], 1) },
  { op: 'Slice', label: 'slice middle', build: (g, r) => E.slice(p(g, r, 'x', [3, 6]), 1, 1, 4) },
  { op: 'Pad', label: 'pad', build: (g, r) => E.pad(p(g, r, 'x', [2, 3]), [1, 0, 0, 2]) },
];

describe('backward rule of every op matches central differences (float64)', () => {
  test('every op with a backward rule has a case here', () => {
    const covered = new Set(cases.map((c) => c.op).concat('Erf', 'Cast'));
    expect(E.differentiableOps().filter((op) => !covered.has(op))).toEqual([]);
  });

  for (const c of cases) {
    test(`${c.op}: ${c.label}`, async () => {
      const report = await gradCheck(c.build);
      expect(report.details).toEqual([]);
      expect(report.worst).toBeLessThan(1e-6);
      expect(report.checked).toBeGreaterThan(0);
    });
  }

  // ORT's CPU Erf kernel is float32 only, so this case runs Erf in float32 inside the float64 graph
  // (which also checks Cast): the numeric derivative carries float32 rounding, so the step and the
  // tolerance are looser.
  test('Erf and Cast (float32 inside a float64 graph)', async () => {
    const report = await gradCheck((g, r) => E.cast(E.erf(E.cast(p(g, r, 'x', [2, 3]), 'float32')), 'float64'), { step: 1e-2 });
    expect(report.worst).toBeLessThan(2e-3);
  });
});
