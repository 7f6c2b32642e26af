// Composite ops against plain-JS references (forward values, including numerically hard inputs) and
// finite differences (gradients through the composition).
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { GraphRunner, gradCheck, randomParam } from './harness.ts';

async function evaluate(build: (g: E.Graph, x: E.Tensor) => E.Tensor, xs: number[]): Promise<number[]> {
  const g = new E.Graph('float64');
  g.output('y', build(g, g.input('x', [xs.length])));
  const out = await (await GraphRunner.create(g)).run({ x: Float64Array.from(xs) });
  return Array.from(out.y.data as Float64Array);
}

const xs = [-60, -8, -1.5, -0.2, 0, 0.3, 2, 9, 60];
const close = (got: number[], want: number[], digits = 12) => got.forEach((v, i) => expect(v).toBeCloseTo(want[i], digits));

describe('composite ops: forward values', () => {
  test('logSigmoid and softplus are stable for large |x|', async () => {
    const ref = (x: number) => (x < 0 ? x - Math.log1p(Math.exp(x)) : -Math.log1p(Math.exp(-x)));
    close(await evaluate((_, x) => E.logSigmoid(x), xs), xs.map(ref));
    close(await evaluate((_, x) => E.softplus(x), xs), xs.map((x) => -ref(-x)));
  });

  test('silu and geluTanh', async () => {
    close(await evaluate((_, x) => E.silu(x), xs), xs.map((x) => x / (1 + Math.exp(-x))));
    const gt = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
    close(await evaluate((_, x) => E.geluTanh(x), xs), xs.map(gt));
  });

  test('rmsNorm and layerNorm over the last axis', async () => {
    const v = [0.5, -1, 2, 3];
    const w = [1, 2, 0.5, -1];
    const ms = v.reduce((s, x) => s + x * x, 0) / 4;
    const rms = await evaluate((g, x) => E.rmsNorm(x, g.param('w', [4], { data: w }), 1e-6), v);
    close(rms, v.map((x, i) => (x / Math.sqrt(ms + 1e-6)) * w[i]));
    const mean = v.reduce((s, x) => s + x, 0) / 4;
    const variance = v.reduce((s, x) => s + (x - mean) ** 2, 0) / 4;
    const ln = await evaluate((g, x) => E.layerNorm(x, g.param('w', [4], { data: w }), g.param('b', [4], { data: [1, 0, 0, 0] }), 1e-5), v);
    close(ln, v.map((x, i) => ((x - mean) / Math.sqrt(variance + 1e-5)) * w[i] + (i === 0 ? 1 : 0)));
  });

  test('maskedCrossEntropy is the mean -log p(target) over kept positions', async () => {
    const logits = [[1, 2, 0.5], [0, 0, 3], [2, -1, 1]];
    const targets = [1, 2, 0];
    const mask = [1, 0, 1];
    const g = new E.Graph('float64');
    const loss = E.maskedCrossEntropy(
      g.constant(logits.flat(), [3, 3]), g.constant(targets.map(BigInt), [3], 'int64'), g.constant(mask, [3]),
    );
    g.output('loss', loss);
    const got = Number((await (await GraphRunner.create(g)).run()).loss.data[0]);
    const nll = (row: number[], t: number) => Math.log(row.reduce((s, x) => s + Math.exp(x), 0)) - row[t];
    expect(got).toBeCloseTo((nll(logits[0], 1) + nll(logits[2], 0)) / 2, 12);
  });

  test('maskedKl is zero for identical logits and matches the definition otherwise', async () => {
    const a = [1, 2, 0.5, 0, 0, 3];
    const b = [0.5, 2, 1, 1, -1, 0];
    const g = new E.Graph('float64');
    const mask = g.constant([1, 1], [2]);
    g.output('same', E.maskedKl(g.constant(a, [2, 3]), g.constant(a, [2, 3]), mask));
    g.output('kl', E.maskedKl(g.constant(a, [2, 3]), g.constant(b, [2, 3]), mask));
    const out = await (await GraphRunner.create(g)).run();
    const softmax = (r: number[]) => { const z = r.reduce((s, x) => s + Math.exp(x), 0); return r.map((x) => Math.exp(x) / z); };
    const kl = (p: number[], q: number[]) => p.reduce((s, pi, i) => s + pi * Math.log(pi / q[i]), 0);
    const want = (kl(softmax(a.slice(0, 3)), softmax(b.slice(0, 3))) + kl(softmax(a.slice(3)), softmax(b.slice(3)))) / 2;
    expect(Math.abs(Number(out.same.data[0]))).toBeLessThan(1e-15);
    expect(Number(out.kl.data[0])).toBeCloseTo(want, 12);
  });
});

describe('composite ops: gradients', () => {
  const cases: [string, (g: E.Graph, r: Rng) => E.Tensor][] = [
    ['silu', (g, r) => E.silu(randomParam(g, r, 'x', [2, 3], 2))],
    ['geluTanh', (g, r) => E.geluTanh(randomParam(g, r, 'x', [2, 3], 2))],
    ['logSigmoid', (g, r) => E.logSigmoid(randomParam(g, r, 'x', [2, 3], 3))],
    ['rmsNorm', (g, r) => E.rmsNorm(randomParam(g, r, 'x', [2, 4]), randomParam(g, r, 'w', [4]))],
    ['layerNorm', (g, r) => E.layerNorm(randomParam(g, r, 'x', [2, 4]), randomParam(g, r, 'w', [4]), randomParam(g, r, 'b', [4]))],
    ['rotary attention', (g, r) => {
      const { cos, sin } = E.rotaryTables(g, 3, 4);
      const [q, k, v] = ['q', 'k', 'v'].map((n) => randomParam(g, r, n, [1, 2, 3, 4]));
      return E.attention(E.applyRotary(q, cos, sin), E.applyRotary(k, cos, sin), v, E.causalBias(g, 3));
    }],
    ['sequenceLogProbs', (g, r) => E.sequenceLogProbs(randomParam(g, r, 'logits', [2, 3, 5]), g.constant([0, 4, 2, 1, 1, 3].map(BigInt), [2, 3], 'int64'), g.constant([1, 1, 0, 0, 1, 1], [2, 3]))],
    ['maskedKl (both sides trainable)', (g, r) => E.maskedKl(randomParam(g, r, 'ref', [2, 4]), randomParam(g, r, 'x', [2, 4]), g.constant([1, 0.5], [2]))],
  ];
  for (const [label, build] of cases) {
    test(label, async () => {
      const report = await gradCheck(build);
      expect(report.details).toEqual([]);
      expect(report.worst).toBeLessThan(1e-6);
    });
  }
});

