// Evaluation of one model state (evaluate.ts). evalPlan: a seeded sample of each split set that is
// the same on every call, respects its caps, keeps the split's order, and whose scored "unseen"
// items are the variant-1 render of each scored forget item with the same question. evaluateState
// on a micro-model trained in-process for a few seconds (so answers can be checked against the
// truth): one answer per planned item, given back in plan order, and token scores that prefer the
// true answer over its perturbed ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perturbedAnswers } from '../../../src/eval/truth.ts';
import { openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { DEFAULT_EVAL_CAPS, evalPlan, evaluateState, type EvalPlan, type EvalResult } from '../../../src/unlearning/evaluate.ts';
import type { FeatureCache } from '../../../src/unlearning/features.ts';
import { forgetItemsOf, generalityItemsOf, imageKeyId, itemId, makeSplits, type SplitItem, type Splits } from '../../../src/world/index.ts';
import { defaultSplits, openFeatures, trainMicroModel, type MicroModel } from './fixture.ts';

const ids = (items: readonly SplitItem[]) => items.map(itemId);

/** Every list of a plan, by name. */
const lists = (plan: EvalPlan): Record<string, SplitItem[]> => ({
  forget: plan.forget, generality: plan.generality, retain: plan.retain, scope: plan.scope, utility: plan.utility,
  textForget: plan.text.forget, textRetain: plan.text.retain, scoredForget: plan.scored.forget, scoredUnseen: plan.scored.unseen,
});

/** The split set each plan list samples from. */
const sources = (splits: Splits): Record<string, SplitItem[]> => ({
  forget: forgetItemsOf(splits), generality: generalityItemsOf(splits), retain: splits.retainItems, scope: splits.scopeItems,
  utility: splits.utilityItems, textForget: splits.textItems.forget, textRetain: splits.textItems.retain,
});

/** `sub` is `full` with some items left out (order kept). */
function isOrderedSubset(sub: readonly string[], full: readonly string[]): boolean {
  let at = 0;
  for (const id of sub) {
    while (at < full.length && full[at] !== id) at++;
    if (at++ >= full.length) return false;
  }
  return true;
}

describe.each(defaultSplits.map(([name, splits]) => [name, splits] as const))('evalPlan, %s request', (_, splits) => {
  const caps = { forget: 12, generality: 9, retain: 20, scope: 5, utility: 30, text: 4, scored: 6 };

  it('is the same plan on every call with the same seed; another seed samples differently', () => {
    const plan = evalPlan(splits, { seed: 4, caps });
    expect(evalPlan(splits, { seed: 4, caps })).toEqual(plan);
    expect(evalPlan(splits, { seed: 4 })).toEqual(evalPlan(splits, { seed: 4 }));
    expect(ids(evalPlan(splits, { seed: 5, caps }).retain)).not.toEqual(ids(plan.retain));
  });

  it('respects every cap with a sample of the split set, in the split order, without repeats', () => {
    const plan = evalPlan(splits, { seed: 4, caps });
    const full = sources(splits);
    for (const [name, items] of Object.entries(lists(plan))) {
      if (name.startsWith('scored')) continue;
      const cap = name.startsWith('text') ? caps.text : caps[name as keyof typeof caps];
      expect(items.length, name).toBe(Math.min(cap, full[name].length));
      expect(new Set(ids(items)).size, name).toBe(items.length);
      expect(isOrderedSubset(ids(items), ids(full[name])), `${name} is not an ordered sample of its split set`).toBe(true);
    }
    // A cap at or above the set's size takes all of it; a cap of 0 none.
    const all = evalPlan(splits, { seed: 4, caps: { retain: splits.retainItems.length, forget: 0 } });
    expect(ids(all.retain)).toEqual(ids(splits.retainItems));
    expect(all.forget).toEqual([]);
    expect(all.scored.forget).toEqual([]);
    expect(() => evalPlan(splits, { caps: { scope: -1 } })).toThrow(/eval cap scope must be >= 0/);
  });

  it('defaults to DEFAULT_EVAL_CAPS', () => {
    const plan = evalPlan(splits);
    const full = sources(splits);
    expect(plan.retain.length).toBe(Math.min(DEFAULT_EVAL_CAPS.retain, full.retain.length));
    expect(plan.utility.length).toBe(Math.min(DEFAULT_EVAL_CAPS.utility, full.utility.length));
    expect(plan.scored.forget.length).toBe(Math.min(DEFAULT_EVAL_CAPS.scored, plan.forget.length));
  });

  it('scores forget items of the plan, and as unseen items their variant-1 renders with the same question', () => {
    const plan = evalPlan(splits, { seed: 4, caps });
    const { forget, unseen } = plan.scored;
    expect(forget.length).toBe(Math.min(caps.scored, plan.forget.length));
    expect(isOrderedSubset(ids(forget), ids(plan.forget))).toBe(true);
    expect(unseen.length).toBe(forget.length);
    unseen.forEach((item, i) => {
      const source = forget[i];
      expect(source.key!.variant).toBe(0);
      expect(['identity', 'event']).toContain(source.qa.type);
      expect(item.key).toEqual({ ...source.key!, variant: 1 });
      expect(item.qa).toEqual(source.qa);
    });
    // Never a trained render: no unseen item is an item of any unlearning or forget set.
    const seen = new Set(ids(forgetItemsOf(splits)));
    expect(ids(unseen).filter((id) => seen.has(id))).toEqual([]);
  });
});

describe('evaluateState on a micro-model', () => {
  let runtime: Runtime;
  let model: MicroModel;
  let features: FeatureCache;
  let splits: Splits;
  let plan: EvalPlan;
  let result: EvalResult;

  beforeAll(async () => {
    runtime = await openRuntime({ backend: 'cpu', threads: 1 });
    model = await trainMicroModel(runtime);
    features = await openFeatures(runtime, model, model.params);
    splits = makeSplits(model.world, { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 });
    plan = evalPlan(splits, { seed: 1, caps: { forget: 16, generality: 8, retain: 8, scope: 6, utility: 8, text: 4, scored: 6 } });
    result = await evaluateState(runtime, model.world, { ...model, features }, plan, { batch: 8 });
  }, 180_000);

  afterAll(async () => {
    await features?.dispose();
    await runtime?.dispose();
  });

  it('answers every planned item once, in plan order', () => {
    const answered: Record<string, { item: SplitItem; answer: string }[]> = {
      forget: result.answers.forget, generality: result.answers.generality, retain: result.answers.retain, scope: result.answers.scope,
      utility: result.answers.utility, textForget: result.answers.text!.forget, textRetain: result.answers.text!.retain,
    };
    const planned = lists(plan);
    for (const [name, answers] of Object.entries(answered)) {
      expect(planned[name].length, name).toBeGreaterThan(0);
      expect(ids(answers.map((a) => a.item)), name).toEqual(ids(planned[name]));
      for (const a of answers) expect(typeof a.answer).toBe('string');
    }
    expect(result.seconds.answers).toBeGreaterThan(0);
  });

  it("each answer belongs to its own question: the trained model's answers on trained items match their truth", () => {
    // Forget items are training renders with trained wordings: a model that knows its world answers
    // most of them exactly; answers shuffled between items (identity vs event) would match almost none.
    const forget = result.answers.forget;
    const exact = forget.filter((a) => a.answer.trim().toLowerCase() === a.item.qa.answer.trim().toLowerCase()).length;
    expect(exact / forget.length, forget.map((a) => `${a.item.qa.answer} | ${a.answer}`).join('\n')).toBeGreaterThan(0.5);
  });

  it('scores the true answer and its perturbed answers of each scored item; the trained model prefers the truth', () => {
    for (const [set, items] of [['forget', plan.scored.forget], ['unseen', plan.scored.unseen]] as const) {
      const scores = result.scores[set];
      expect(ids(scores.map((s) => s.item)), set).toEqual(ids(items));
      for (const s of scores) {
        expect(s.truth.logProbs.length).toBeGreaterThan(0);
        expect(s.truth.mu?.length).toBe(s.truth.logProbs.length);
        expect(s.truth.sigma?.length).toBe(s.truth.logProbs.length);
        expect(s.perturbed.length).toBe(perturbedAnswers(model.world, s.item).length);
        for (const p of [s.truth, ...s.perturbed]) expect(Array.from(p.logProbs).every((v) => v <= 0 && Number.isFinite(v))).toBe(true);
      }
    }
    const mean = (lp: ArrayLike<number>) => Array.from(lp).reduce((a, b) => a + b, 0) / lp.length;
    const withWrong = result.scores.forget.filter((s) => s.perturbed.length > 0);
    expect(withWrong.length).toBeGreaterThan(0);
    const prefersTruth = withWrong.filter((s) => s.perturbed.every((p) => mean(s.truth.logProbs) > mean(p.logProbs))).length;
    expect(prefersTruth / withWrong.length).toBeGreaterThan(0.5);
    expect(result.scores.unseen.map((s) => imageKeyId(s.item.key!))).toEqual(plan.scored.forget.map((i) => imageKeyId({ ...i.key!, variant: 1 })));
  });
});
