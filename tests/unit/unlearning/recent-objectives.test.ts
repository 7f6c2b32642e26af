// The losses of SimNPO, RMU and SIU against the same quantities computed by hand in plain JS (float64
// graphs on ORT-node): SimNPO's softplus of the margin, RMU's width-mean squared distances to c·u and
// to Finetune's activations, SIU's cross-entropy and its Dual Masked KL (token and vocabulary masks).
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { OBJECTIVE_INPUTS, buildObjective, type ObjectiveOptions } from '../../../src/unlearning/objectives.ts';
import { rmuDirection } from '../../../src/unlearning/rmu.ts';
import { dualMaskedKl } from '../../../src/unlearning/siu.ts';
import { GraphRunner } from '../engine/harness.ts';

const B = 4, T = 3, V = 5, D = 3;
const rng = new Rng(11, 'recent-objectives');
const logits = Array.from({ length: B * T * V }, () => 2 * rng.normal());
const refLogits = Array.from({ length: B * T * V }, () => 2 * rng.normal());
const hidden = Array.from({ length: B * T * D }, () => rng.normal());
const refHidden = Array.from({ length: B * T * D }, () => rng.normal());
const targets = Array.from({ length: B * T }, () => rng.int(V));
const mask = [0, 1, 1, /**/ 1, 1, 0, /**/ 0, 1, 1, /**/ 1, 1, 1];
const forgetRows = [1, 1, 0, 0];
const retainRows = [0, 0, 1, 1];
const tokenMask = [0, 1, 0, /**/ 1, 1, 0, /**/ 0, 1, 1, /**/ 1, 1, 1];
const vocabMask = [1, 0, 1, 1, 0];

const rows = [...Array(B).keys()];
const steps = [...Array(T).keys()];
const m = (b: number, t: number) => mask[b * T + t];
const logSoftmax = (values: number[]): number[] => {
  const max = Math.max(...values);
  const lse = max + Math.log(values.reduce((s, x) => s + Math.exp(x - max), 0));
  return values.map((x) => x - lse);
};
const at = (values: number[], b: number, t: number, size: number) => values.slice((b * T + t) * size, (b * T + t + 1) * size);
const nll = rows.map((b) => -steps.reduce((s, t) => s + logSoftmax(at(logits, b, t, V))[targets[b * T + t]] * m(b, t), 0) / steps.reduce((s, t) => s + m(b, t), 0));
const meanOver = (values: number[], weights: number[]) => values.reduce((s, v, i) => s + v * weights[i], 0) / weights.reduce((s, w) => s + w, 0);
const softplus = (x: number) => Math.log1p(Math.exp(x));
const msd = (a: number[], c: number[]) => a.reduce((s, x, i) => s + (x - c[i]) ** 2, 0) / a.length;

async function lossOf(options: ObjectiveOptions, extra: Record<string, Float64Array> = {}): Promise<number> {
  const g = new E.Graph('float64');
  const x = g.param('logits', [B, T, V], { data: logits });
  const h = g.param('hidden', [B, T, D], { data: hidden });
  const tgt = g.input('targets', [B, T], 'int64');
  const msk = g.input('mask', [B, T]);
  const objective = buildObjective(g, { tokenLogProbs: E.tokenLogProbs(x, tgt), mask: msk, logits: x, hidden: h }, options);
  g.output('loss', objective.loss);
  const runner = await GraphRunner.create(g);
  const needs = new Set(g.inputs.map((i) => i.name));
  const feeds: Record<string, Float64Array | BigInt64Array> = {
    targets: BigInt64Array.from(targets, BigInt), mask: Float64Array.from(mask),
    [OBJECTIVE_INPUTS.forgetRows]: Float64Array.from(forgetRows), [OBJECTIVE_INPUTS.retainRows]: Float64Array.from(retainRows), ...extra,
  };
  const missing = [...needs].filter((n) => !(n in feeds));
  expect(missing, 'inputs the objective declares but the test does not feed').toEqual([]);
  const out = await runner.run(feeds);
  await runner.release();
  return (out.loss.data as Float64Array)[0];
}

describe('SimNPO', () => {
  it('(2/β) softplus(γ − β l) on forget rows plus λ times the retain NLL', async () => {
    const [beta, gamma, lambda] = [2.5, 0.3, 0.7];
    const forget = meanOver(nll.map((l) => (2 / beta) * softplus(gamma - beta * l)), forgetRows);
    const loss = await lossOf({ kind: 'simnpo', beta, lambda, balanced: false, settings: { gamma } });
    expect(loss).toBeCloseTo(forget + lambda * meanOver(nll, retainRows), 10);
  });

  it('is −(2/β) log σ(−(β/|y|) log π(y|x) − γ) written with the summed log-prob', () => {
    // One answer of 4 tokens with log π = −2: token-mean NLL 0.5; β = 2, γ = 1.
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    const direct = -(2 / 2) * Math.log(sigmoid(-(2 / 4) * -2 - 1));
    expect(direct).toBeCloseTo(softplus(1 - 2 * 0.5), 12);
    expect(direct).toBeCloseTo(Math.LN2, 12); // the margin exactly met: softplus(0)
  });
});

describe('RMU', () => {
  const u = rmuDirection(4, D);

  it('draws a unit direction with non-negative entries, fixed by the seed', () => {
    expect(Math.hypot(...u)).toBeCloseTo(1, 12);
    expect(u.every((v) => v >= 0)).toBe(true);
    expect(rmuDirection(4, D)).toEqual(u);
    expect(rmuDirection(5, D)).not.toEqual(u);
  });

  it('width-mean squared distance to c·u on forget answers plus α times the distance to Finetune on retain answers', async () => {
    const [steer, alpha] = [2, 3];
    const target = u.map((v) => v * steer);
    const perRow = rows.map((b) => {
      const kept = steps.filter((t) => m(b, t));
      return kept.reduce((s, t) => s + msd(at(hidden, b, t, D), target), 0) / kept.length;
    });
    let retain = 0, count = 0;
    for (const b of rows) for (const t of steps) {
      if (!(m(b, t) && retainRows[b])) continue;
      retain += msd(at(hidden, b, t, D), at(refHidden, b, t, D));
      count++;
    }
    const expected = meanOver(perRow, forgetRows) + alpha * (retain / count);
    const loss = await lossOf({ kind: 'rmu', beta: 1, lambda: 1, balanced: false, seed: 4, settings: { steer, alpha, layer: 0 } }, {
      [OBJECTIVE_INPUTS.refHidden]: Float64Array.from(refHidden),
    });
    expect(loss).toBeCloseTo(expected, 10);
  });
});

describe('SIU', () => {
  /** KL(p' ‖ q') with both renormalised over the kept vocabulary, by hand. */
  const maskedKlAt = (ref: number[], cur: number[]) => {
    const keep = (v: number[]) => logSoftmax(v.filter((_, i) => vocabMask[i]));
    const p = keep(ref), q = keep(cur);
    return p.reduce((s, lp, i) => s + Math.exp(lp) * (lp - q[i]), 0);
  };
  let dmk = 0, kept = 0;
  for (const b of rows) for (const t of steps) {
    if (!tokenMask[b * T + t]) continue;
    dmk += maskedKlAt(at(refLogits, b, t, V), at(logits, b, t, V));
    kept++;
  }
  dmk /= kept;

  it('a hand-worked Dual Masked KL: one token, the masked word carries most of the reference mass', async () => {
    // Reference logits [0, 5, 0] and model logits [ln 3, 0, 0]; the middle word is masked, the second token too.
    const g = new E.Graph('float64');
    const out = dualMaskedKl(g.constant([0, 5, 0, 1, 1, 1], [1, 2, 3]), g.constant([Math.log(3), 0, 0, 1, 1, 1], [1, 2, 3]), g.constant([1, 0], [1, 2]), g.constant([1, 0, 1], [3]));
    g.output('kl', out);
    const runner = await GraphRunner.create(g);
    const value = Number((await runner.run()).kl.data[0]);
    await runner.release();
    // Kept: reference (1/2, 1/2), model (3/4, 1/4): KL = 1/2 ln(2/3) + 1/2 ln 2.
    expect(value).toBeCloseTo(0.5 * Math.log(2 / 3) + 0.5 * Math.log(2), 10);
  });

  it('the NLL of its targets on forget rows, λ times the retain NLL, and α times the Dual Masked KL', async () => {
    expect(dmk).toBeGreaterThan(0);
    const [lambda, klWeight] = [0.7, 1.5];
    const loss = await lossOf({ kind: 'siu', beta: 1, lambda, balanced: false, settings: { klWeight } }, {
      [OBJECTIVE_INPUTS.refLogits]: Float64Array.from(refLogits),
      [OBJECTIVE_INPUTS.siuTokenMask]: Float64Array.from(tokenMask),
      [OBJECTIVE_INPUTS.siuVocabMask]: Float64Array.from(vocabMask),
    });
    expect(loss).toBeCloseTo(meanOver(nll, forgetRows) + lambda * meanOver(nll, retainRows) + klWeight * dmk, 9);
  });
});
