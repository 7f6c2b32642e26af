// Every objective against the same quantity computed independently in plain JS (float64 graphs on
// ORT-node): log-softmax by hand, row NLLs, sequence log-probs, KL, sigmoid and softplus.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { OBJECTIVE_INPUTS, buildObjective, type ObjectiveOptions } from '../../../src/unlearning/objectives.ts';
import { GraphRunner } from '../engine/harness.ts';

const B = 4, T = 3, V = 5;
const rng = new Rng(5, 'objectives');
const logits = Array.from({ length: B * T * V }, () => 2 * rng.normal());
const refLogits = Array.from({ length: B * T * V }, () => 2 * rng.normal());
const targets = Array.from({ length: B * T }, () => rng.int(V));
const mask = [0, 1, 1, /**/ 1, 1, 0, /**/ 0, 0, 1, /**/ 1, 1, 1];
const forgetRows = [1, 1, 0, 0];
const retainRows = [0, 0, 1, 1];
const refSeq = [-2.5, -1.25, -3, -0.5];

const logSoftmaxAt = (values: number[], b: number, t: number): number[] => {
  const row = values.slice((b * T + t) * V, (b * T + t + 1) * V);
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
  return row.map((x) => x - lse);
};
const lp = (b: number, t: number) => logSoftmaxAt(logits, b, t)[targets[b * T + t]];
const m = (b: number, t: number) => mask[b * T + t];
const rows = [...Array(B).keys()];
const steps = [...Array(T).keys()];
const seq = rows.map((b) => steps.reduce((s, t) => s + lp(b, t) * m(b, t), 0));
const nll = rows.map((b) => -seq[b] / steps.reduce((s, t) => s + m(b, t), 0));
const meanOver = (values: number[], weights: number[]) => values.reduce((s, v, i) => s + v * weights[i], 0) / weights.reduce((s, w) => s + w, 0);
const softplus = (x: number) => Math.log1p(Math.exp(x));
const logSigmoid = (x: number) => -softplus(-x);
const klRetain = (() => {
  let total = 0, count = 0;
  for (const b of rows) for (const t of steps) {
    if (!(m(b, t) && retainRows[b])) continue;
    const p0 = logSoftmaxAt(refLogits, b, t);
    const p = logSoftmaxAt(logits, b, t);
    total += p0.reduce((s, l0, v) => s + Math.exp(l0) * (l0 - p[v]), 0);
    count++;
  }
  return total / count;
})();

async function lossOf(options: ObjectiveOptions & { dpoPairs?: number }, extra: Record<string, Float64Array | BigInt64Array> = {}): Promise<number> {
  const g = new E.Graph('float64');
  const x = g.param('logits', [B, T, V], { data: logits });
  const tgt = g.input('targets', [B, T], 'int64');
  const msk = g.input('mask', [B, T]);
  const objective = buildObjective(g, { tokenLogProbs: E.tokenLogProbs(x, tgt), mask: msk, logits: x }, options);
  g.output('loss', objective.loss);
  const runner = await GraphRunner.create(g);
  const needs = new Set(g.inputs.map((i) => i.name));
  const feeds: Record<string, Float64Array | BigInt64Array> = {
    targets: BigInt64Array.from(targets, BigInt), mask: Float64Array.from(mask),
    [OBJECTIVE_INPUTS.forgetRows]: Float64Array.from(forgetRows), [OBJECTIVE_INPUTS.retainRows]: Float64Array.from(retainRows),
    [OBJECTIVE_INPUTS.refSequence]: Float64Array.from(refSeq), [OBJECTIVE_INPUTS.refLogits]: Float64Array.from(refLogits), ...extra,
  };
  const out = await runner.run(Object.fromEntries(Object.entries(feeds).filter(([k]) => needs.has(k))));
  await runner.release();
  return (out.loss.data as Float64Array)[0];
}

const base: ObjectiveOptions = { kind: 'ga', lambda: 0.7, beta: 0.5, balanced: false };

describe('unlearning objectives equal their definitions', () => {
  it('GA: minus the forget NLL', async () => {
    expect(await lossOf(base)).toBeCloseTo(-meanOver(nll, forgetRows), 10);
  });

  it('GD: minus the forget NLL plus lambda times the retain NLL', async () => {
    expect(await lossOf({ ...base, kind: 'gd' })).toBeCloseTo(-meanOver(nll, forgetRows) + 0.7 * meanOver(nll, retainRows), 10);
    expect(await lossOf({ ...base, kind: 'gd', lambda: 0 })).toBeCloseTo(-meanOver(nll, forgetRows), 10);
  });

  it('KL: minus the forget NLL plus lambda times the token-mean KL(ref || model) on retain answers', async () => {
    expect(klRetain).toBeGreaterThan(0);
    expect(await lossOf({ ...base, kind: 'kl' })).toBeCloseTo(-meanOver(nll, forgetRows) + 0.7 * klRetain, 10);
  });

  it('PO: the NLL of the (refusal) forget rows plus lambda times the retain NLL', async () => {
    expect(await lossOf({ ...base, kind: 'po' })).toBeCloseTo(meanOver(nll, forgetRows) + 0.7 * meanOver(nll, retainRows), 10);
  });

  it('NPO: (2/beta) softplus(beta (s - s0)) on forget rows plus the retain term', async () => {
    const npo = meanOver(rows.map((b) => (2 / 0.5) * softplus(0.5 * (seq[b] - refSeq[b]))), forgetRows);
    expect(await lossOf({ ...base, kind: 'npo' })).toBeCloseTo(npo + 0.7 * meanOver(nll, retainRows), 10);
    // At s = s0 the term is (2/beta) log 2, whatever beta.
    expect((2 / 0.5) * softplus(0)).toBeCloseTo(4 * Math.LN2, 12);
  });

  it('DPO: -log sigmoid(beta (margin of the refusal over the true answer)) on row pairs', async () => {
    const pairs = { [OBJECTIVE_INPUTS.preferred]: BigInt64Array.from([0n, 2n]), [OBJECTIVE_INPUTS.dispreferred]: BigInt64Array.from([1n, 3n]) };
    const r = rows.map((b) => seq[b] - refSeq[b]);
    const dpo = -(logSigmoid(0.5 * (r[0] - r[1])) + logSigmoid(0.5 * (r[2] - r[3]))) / 2;
    expect(await lossOf({ ...base, kind: 'dpo', lambda: 0, dpoPairs: 2 }, pairs)).toBeCloseTo(dpo, 10);
  });

  it('BGD: weighted person and event forget terms', async () => {
    const personRows = [1, 0, 0, 0], eventRows = [0, 1, 0, 0];
    const extra = {
      [OBJECTIVE_INPUTS.personRows]: Float64Array.from(personRows), [OBJECTIVE_INPUTS.eventRows]: Float64Array.from(eventRows),
      [OBJECTIVE_INPUTS.bgdWeights]: Float64Array.from([0.3, 0.7]),
    };
    const expected = 0.3 * -nll[0] + 0.7 * -nll[1] + 0.7 * meanOver(nll, retainRows);
    expect(await lossOf({ ...base, kind: 'gd', balanced: true }, extra)).toBeCloseTo(expected, 10);
  });

  it('refuses combinations that have no meaning', () => {
    const fresh = () => {
      const g = new E.Graph('float64');
      return { g, scores: { tokenLogProbs: g.input('lp', [B, T]), mask: g.input('mask', [B, T]) } };
    };
    const a = fresh();
    expect(() => buildObjective(a.g, a.scores, { ...base, kind: 'dpo' })).toThrow(/dpoPairs/);
    const b = fresh();
    expect(() => buildObjective(b.g, b.scores, { ...base, kind: 'kl' })).toThrow(/logits/);
    const c = fresh();
    expect(() => buildObjective(c.g, c.scores, { ...base, kind: 'dpo', dpoPairs: 1, balanced: true })).toThrow(/BGD/);
  });
});
