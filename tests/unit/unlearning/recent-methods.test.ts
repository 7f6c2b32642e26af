// SimNPO, RMU and SIU through the unlearning driver on the shared micro-model (fixture.ts: PE-Tiny at
// the 'test' size trained in-process until it knows its answers): each moves what it targets the
// intended way. SimNPO raises the true forget answers' NLL; RMU brings the forget answers' activations
// at its block towards c·u while retain activations stay much closer to Finetune's, and the forget NLL
// rises; SIU makes its own targets (vague answer / made-up name) more likely and the true answers less.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Params } from '../../../src/model/params.ts';
import { openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { resolveSettings } from '../../../src/unlearning/cards.ts';
import { UnlearnRun } from '../../../src/unlearning/driver.ts';
import type { FeatureCache } from '../../../src/unlearning/features.ts';
import { getMethod } from '../../../src/unlearning/registry.ts';
import { rmuDirection } from '../../../src/unlearning/rmu.ts';
import { unlearningRows, type UnlearnRow } from '../../../src/unlearning/rows.ts';
import { RowScorer } from '../../../src/unlearning/scorer.ts';
import { makeSplits, type Splits } from '../../../src/world/index.ts';
import { meanNll, openFeatures, trainMicroModel, type MicroModel } from './fixture.ts';

const SEQ_LEN = 64;
const SEED = 3;
const RUN = { steps: 6, lr: 1e-2, batch: 8, loraRank: 4 };
const LAYER = 0; // of the micro model's 2 decoder blocks

let runtime: Runtime;
let model: MicroModel;
let features: FeatureCache;
let scorer: RowScorer;
let hiddenScorer: RowScorer;
let persons: Splits;
let truthForget: UnlearnRow[];
let retainRows: UnlearnRow[];
let baseForget = 0;

async function run(id: string, overrides: Record<string, number> = {}): Promise<{ run: UnlearnRun; params: Params }> {
  const method = getMethod(id);
  const r = await UnlearnRun.create(runtime, {
    model: { cfg: model.cfg, tokenizer: model.tokenizer, params: model.params }, splits: persons, method,
    settings: { ...resolveSettings(method, RUN), ...overrides }, bgd: false, seed: SEED, seqLen: SEQ_LEN, features,
  });
  const outcome = await r.run();
  expect(outcome.state).toBe('done');
  expect(r.history.every((h) => h.finite && Number.isFinite(h.loss))).toBe(true);
  return { run: r, params: await r.params() };
}

/** Token-mean of the width-mean squared distance of block LAYER's output at answer positions to `target(row, token)`. */
async function activationDistance(params: Params, rows: readonly UnlearnRow[], target: (row: number, token: number) => ArrayLike<number>): Promise<number> {
  await hiddenScorer.setParams(params);
  const scores = await hiddenScorer.score(rows.map((r) => r.row), (i) => features.get(rows[i].image), { hidden: true });
  const width = model.cfg.decoder.width;
  let sum = 0, count = 0;
  scores.forEach((s, i) => {
    for (let k = 0; k < s.tokenLogProbs.length; k++) {
      const goal = target(i, k);
      let d = 0;
      for (let j = 0; j < width; j++) d += (s.hidden![k * width + j] - goal[j]) ** 2;
      sum += d / width;
      count++;
    }
  });
  return sum / count;
}

async function hiddenOf(params: Params, rows: readonly UnlearnRow[]): Promise<Float32Array[]> {
  await hiddenScorer.setParams(params);
  return (await hiddenScorer.score(rows.map((r) => r.row), (i) => features.get(rows[i].image), { hidden: true })).map((s) => s.hidden!);
}

beforeAll(async () => {
  runtime = await openRuntime({ backend: 'cpu', threads: 1 });
  model = await trainMicroModel(runtime);
  persons = makeSplits(model.world, { target: 'person', personRatio: 0.1, forgetSeed: 0 });
  features = await openFeatures(runtime, model, model.params);
  const gaRows = unlearningRows(persons, model.tokenizer, model.cfg, getMethod('gd'), { seqLen: SEQ_LEN, seed: 0 });
  truthForget = gaRows.forget;
  retainRows = gaRows.retain.slice(0, 24);
  await features.ensure([...truthForget, ...retainRows].map((r) => r.image));
  scorer = await RowScorer.open(runtime, model.cfg, model.params, { batch: 16, seqLen: SEQ_LEN });
  hiddenScorer = await RowScorer.open(runtime, model.cfg, model.params, { batch: 16, seqLen: SEQ_LEN, hiddenLayer: LAYER });
  baseForget = await meanNll(scorer, features, model.params, truthForget);
}, 180_000);

afterAll(async () => {
  await scorer?.dispose();
  await hiddenScorer?.dispose();
  await features?.dispose();
  await runtime?.dispose();
});

describe('SimNPO, RMU and SIU on a micro-model', () => {
  it('SimNPO raises the NLL of the true forget answers', async () => {
    const { run: r, params } = await run('simnpo');
    try {
      const after = await meanNll(scorer, features, params, truthForget);
      expect(after - baseForget, `forget NLL ${baseForget} -> ${after}`).toBeGreaterThan(0.3);
    } finally {
      await r.dispose();
    }
  });

  it('RMU moves forget activations towards c·u, keeps retain activations near Finetune’s, and raises the forget NLL', async () => {
    // c: a few times the typical length of the block's output, as the card's default is for PE-Tiny.
    const base = await hiddenOf(model.params, truthForget);
    const width = model.cfg.decoder.width;
    const norms = base.flatMap((h) => Array.from({ length: h.length / width }, (_, k) => Math.hypot(...h.subarray(k * width, (k + 1) * width))));
    const steer = 4 * norms.reduce((a, b) => a + b, 0) / norms.length;
    const target = rmuDirection(SEED, width).map((v) => v * steer);
    // RMU pulls one block's activations, more slowly than the NLL methods push: twice their steps.
    const { run: r, params } = await run('rmu', { layer: LAYER, steer, alpha: 10, steps: 12 });
    try {
      const before = await activationDistance(model.params, truthForget, () => target);
      const after = await activationDistance(params, truthForget, () => target);
      expect(after, `forget distance to c·u ${before} -> ${after}`).toBeLessThan(0.8 * before);
      const reference = await hiddenOf(model.params, retainRows);
      const width2 = width;
      const drift = await activationDistance(params, retainRows, (i, k) => reference[i].subarray(k * width2, (k + 1) * width2));
      expect(drift, `retain drift ${drift} vs forget distance ${after}`).toBeLessThan(0.25 * after);
      const nll = await meanNll(scorer, features, params, truthForget);
      expect(nll - baseForget, `forget NLL ${baseForget} -> ${nll}`).toBeGreaterThan(0.3);
    } finally {
      await r.dispose();
    }
  });

  it('SIU makes its targets more likely and the true answers less likely', async () => {
    const { run: r, params } = await run('siu');
    try {
      const targets = r.data.forget;
      expect(targets.some((row) => row.turns.some((t) => t.answer === 'This is a person.'))).toBe(true);
      await features.ensure(targets.map((row) => row.image));
      const targetBefore = await meanNll(scorer, features, model.params, targets);
      const targetAfter = await meanNll(scorer, features, params, targets);
      expect(targetBefore - targetAfter, `SIU target NLL ${targetBefore} -> ${targetAfter}`).toBeGreaterThan(0.3);
      const after = await meanNll(scorer, features, params, truthForget);
      expect(after - baseForget, `true forget NLL ${baseForget} -> ${after}`).toBeGreaterThan(0.3);
    } finally {
      await r.dispose();
    }
  });
});
