// Shape errors surface while the graph is built, and their messages name the op and the shapes.
import { describe, expect, test } from 'vitest';
import * as E from '../../../src/engine/index.ts';

describe('build-time shape errors', () => {
  const g = new E.Graph();
  const a = g.input('a', [2, 3]);
  const b = g.input('b', [4, 5]);
  const c = g.input('c', [3, 1]);
  const tokens = g.input('tokens', [2, 3], 'int64');

  const cases: [string, () => unknown, RegExp][] = [
    ['Add broadcasting', () => E.add(a, b), /^Add: cannot broadcast shapes \[2, 3\] and \[4, 5\].*trailing dims must be equal or 1/],
    ['Mul broadcasting with 3 vs 1 fine but 2 vs 3 not', () => E.mul(a, c), /^Mul: cannot broadcast shapes \[2, 3\] and \[3, 1\]: at axis -2 sizes 2 and 3 differ/],
    ['MatMul inner dims', () => E.matmul(a, b), /^MatMul: inner dims differ: \[2, 3\] x \[4, 5\] \(3 vs 4\)/],
    ['MatMul rank', () => E.matmul(E.reshape(a, [6]), b), /^MatMul: operands need rank >= 2, got \[6\] x \[4, 5\]/],
    ['Reshape element count', () => E.reshape(a, [4, 2]), /^Reshape: cannot reshape \[2, 3\] to \[4, 2\]: element counts differ/],
    ['Transpose perm', () => E.transpose(a, [0, 0]), /^Transpose: perm \[0, 0\] is not a permutation of the axes of \[2, 3\]/],
    ['Concat other axes', () => E.concat([a, b], 0), /^Concat: along axis 0, shapes \[2, 3\], \[4, 5\] must agree/],
    ['Slice bounds', () => E.slice(a, 1, 4), /^Slice: range \[4, end\) is out of bounds for axis 1 of \[2, 3\]/],
    ['Gather float indices', () => E.gather(b, a), /^Gather: indices must be int64, got float32\[2, 3\]/],
    ['Reduce axis range', () => E.reduceSum(a, [2]), /^ReduceSum: axis 2 is out of range for a rank-2 tensor/],
    ['Softmax on ints', () => E.softmax(tokens), /^Softmax: needs a float tensor, got int64/],
    ['dtype mix', () => E.add(a, tokens), /^Add: operand dtypes differ: float32\[2, 3\] vs int64\[2, 3\]/],
    ['rmsNorm weight', () => E.rmsNorm(a, g.param('w', [4], { data: [1, 1, 1, 1] })), /^rmsNorm: weight \[4\] must be a vector of the last dim of x \[2, 3\]/],
    ['splitHeads', () => E.splitHeads(E.reshape(b, [1, 4, 5]), 2), /^splitHeads: needs \(B, T, C\) with C divisible by 2 heads, got \[1, 4, 5\]/],
    ['tokenLogProbs targets', () => E.tokenLogProbs(E.reshape(b, [1, 4, 5]), tokens), /^tokenLogProbs: targets \[2, 3\] must match logits \[1, 4, 5\]/],
    ['Expand', () => E.expand(a, [3, 3]), /^Expand: cannot broadcast shapes \[2, 3\] and \[3, 3\]/],
    ['Expand to a smaller shape', () => E.expand(c, [3]), /^Expand: \[3, 1\] does not broadcast to \[3\]/],
    ['lora rank', () => E.lora(a, g.param('lw', [3, 2], { data: [0, 0, 0, 0, 0, 0] }), { name: 'x', rank: 3, alpha: 1, rng: null! }), /^lora: rank must be an integer in \[1, 2\]/],
  ];

  for (const [label, build, message] of cases) {
    test(label, () => {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(E.ShapeError);
      expect((error as Error).message).toMatch(message);
    });
  }

  test('backward refuses symbolic shapes with a hint to pad', () => {
    const h = new E.Graph();
    const x = h.input('x', ['batch', 3]);
    const w = h.param('w', [3, 2], { data: [1, 2, 3, 4, 5, 6] });
    expect(() => E.backward(E.reduceSum(E.linear(x, w)), [w])).toThrow(/static shapes \(pad to a fixed bucket\)/);
  });

  test('backward refuses a non-scalar loss', () => {
    const h = new E.Graph();
    const w = h.param('w', [3], { data: [1, 2, 3] });
    expect(() => E.backward(E.mul(w, 2), [w])).toThrow(/^backward: loss must be a float scalar, got float32\[3\]/);
  });
});
