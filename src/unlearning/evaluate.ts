// Evaluates one model state on one forget request: which items are asked (a seeded sample of each
// split set, the same for every model so rows of a table compare like with like), the model's greedy
// answers to them, and the token scores of forget items and of fresh renders of the same pictures
// (true answer plus same-form wrong answers) for the extras. Returns what pebenchReport() takes.
// Not here: the metrics themselves (src/eval/pebench-report.ts) or the unlearning steps.
import { Rng } from '../core/rng.ts';
import type { ItemTokenScores } from '../eval/pebench-extras.ts';
import type { AnsweredItem, ReportInput } from '../eval/pebench-report.ts';
import { perturbedAnswers } from '../eval/truth.ts';
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { inferenceModels } from '../model/inference.ts';
import type { Params } from '../model/params.ts';
import { answerIds } from '../model/prompt.ts';
import { packRow } from '../model/sequence.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { Answerer } from '../runtime/answerer.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { generalityItemsOf, forgetItemsOf, imageKeyId, type ImageKey, type SplitItem, type Splits, type World } from '../world/index.ts';
import type { FeatureCache } from './features.ts';
import { RowScorer } from './scorer.ts';

/** Items asked per set at most (a seeded sample when the split holds more). */
export interface EvalCaps {
  forget: number;
  generality: number;
  retain: number;
  scope: number;
  utility: number;
  text: number;
  /** Forget items (and as many fresh renders of them) scored for the extras. */
  scored: number;
}

export const DEFAULT_EVAL_CAPS: EvalCaps = { forget: 200, generality: 300, retain: 300, scope: 200, utility: 240, text: 200, scored: 80 };

export interface EvalPlan {
  forget: SplitItem[];
  generality: SplitItem[];
  retain: SplitItem[];
  scope: SplitItem[];
  utility: SplitItem[];
  text: { forget: SplitItem[]; retain: SplitItem[] };
  /** Forget items and the same questions on a fresh render of the same pair (never trained). */
  scored: { forget: SplitItem[]; unseen: SplitItem[] };
}

export function evalPlan(splits: Splits, options: { seed?: number; caps?: Partial<EvalCaps> } = {}): EvalPlan {
  const caps = { ...DEFAULT_EVAL_CAPS, ...options.caps };
  const rng = new Rng(options.seed ?? 0, 'unlearn-eval');
  const take = (name: string, items: readonly SplitItem[], cap: number): SplitItem[] => {
    if (!(cap >= 0)) throw new RangeError(`eval cap ${name} must be >= 0, got ${cap}`);
    if (items.length <= cap) return [...items];
    // Keep the split's order among the chosen items.
    const chosen = new Set(rng.fork(name).sample([...items.keys()], cap));
    return items.filter((_, i) => chosen.has(i));
  };
  const forget = take('forget', forgetItemsOf(splits), caps.forget);
  const scoredForget = take('scored', forget.filter((i) => i.key && (i.qa.type === 'identity' || i.qa.type === 'event')), caps.scored);
  return {
    forget,
    generality: take('generality', generalityItemsOf(splits), caps.generality),
    retain: take('retain', splits.retainItems, caps.retain),
    scope: take('scope', splits.scopeItems, caps.scope),
    utility: take('utility', splits.utilityItems, caps.utility),
    text: { forget: take('text-forget', splits.textItems.forget, caps.text), retain: take('text-retain', splits.textItems.retain, caps.text) },
    scored: { forget: scoredForget, unseen: scoredForget.map((i) => ({ key: { ...i.key!, variant: 1 }, qa: i.qa })) },
  };
}

/** Every image a plan's answers need. */
function planImages(plan: EvalPlan): ImageKey[] {
  const all = [...plan.forget, ...plan.generality, ...plan.retain, ...plan.scope, ...plan.utility];
  const keys = new Map<string, ImageKey>();
  for (const item of all) if (item.key) keys.set(imageKeyId(item.key), item.key);
  return [...keys.values()];
}

export interface EvalModel {
  cfg: PeTinyConfig;
  tokenizer: Tokenizer;
  params: Params;
  /** This model's image features (its own vision tower). */
  features: FeatureCache;
}

export interface EvalResult {
  answers: ReportInput['answers'];
  scores: { forget: ItemTokenScores[]; unseen: ItemTokenScores[] };
  seconds: { answers: number; scores: number };
}

/** Answers every item of the plan and scores the plan's scored items. */
export async function evaluateState(runtime: Runtime, world: World, model: EvalModel, plan: EvalPlan, options: { batch?: number } = {}): Promise<EvalResult> {
  const t0 = performance.now();
  const sets = { forget: plan.forget, generality: plan.generality, retain: plan.retain, scope: plan.scope, utility: plan.utility, textForget: plan.text.forget, textRetain: plan.text.retain };
  const flat = Object.entries(sets).flatMap(([set, items]) => items.map((item) => ({ set, item })));
  // Ask questions with similar answer lengths together: a batch runs until its longest answer ends.
  const order = flat.map((_, i) => i).sort((a, b) => answerLengthRank(flat[a].item) - answerLengthRank(flat[b].item) || a - b);
  const answerer = await Answerer.open(runtime, { cfg: model.cfg, tokenizer: model.tokenizer, files: inferenceModels(model.cfg, model.params) }, 'PE-Tiny (evaluation)');
  const texts = new Array<string>(flat.length);
  try {
    await model.features.ensure(planImages(plan));
    const generated = await answerer.answer(order.map((i) => {
      const key = flat[i].item.key;
      return { question: flat[i].item.qa.question, pixels: null, features: key ? model.features.get(key) : null };
    }), { batchSize: options.batch ?? 48, maxNewTokens: maxAnswerTokens(model.tokenizer, flat.map((f) => f.item)) + ANSWER_MARGIN });
    order.forEach((i, j) => (texts[i] = generated[j].text));
  } finally {
    await answerer.dispose();
  }
  const answered = (set: string): AnsweredItem[] => flat.flatMap((f, i) => (f.set === set ? [{ item: f.item, answer: texts[i] }] : []));
  const t1 = performance.now();
  const scores = await scoreItems(runtime, world, model, plan.scored);
  return {
    answers: {
      forget: answered('forget'), generality: answered('generality'), retain: answered('retain'), scope: answered('scope'),
      utility: answered('utility'), text: { forget: answered('textForget'), retain: answered('textRetain') },
    },
    scores,
    seconds: { answers: (t1 - t0) / 1000, scores: (performance.now() - t1) / 1000 },
  };
}

/**
 * Tokens a generated answer may take beyond the longest reference answer of the items. A damaged
 * model that never says `<eos>` would otherwise run every batch to the answerer's default length (48).
 * An answer cut here is already longer than any right answer; the cut can only drop words it would
 * have added after that point.
 */
export const ANSWER_MARGIN = 6;

export function maxAnswerTokens(tokenizer: Tokenizer, items: readonly SplitItem[]): number {
  let most = 1;
  for (const item of items) most = Math.max(most, answerIds(tokenizer, item.qa.answer).ids.length);
  return most;
}

/** Event answers are the longest, identity next, then one-word answers. */
function answerLengthRank(item: SplitItem): number {
  return item.qa.type === 'event' ? 2 : item.qa.type === 'identity' ? 1 : 0;
}

export const SCORE_SEQ_LEN = 64;

/** Token scores of each item's true answer and its perturbed answers, one single-turn row each. */
export async function scoreItems(runtime: Runtime, world: World, model: EvalModel, scored: EvalPlan['scored']): Promise<EvalResult['scores']> {
  const items = [...scored.forget, ...scored.unseen];
  await model.features.ensure(items.flatMap((i) => (i.key ? [i.key] : [])));
  const rows: { item: number; answer: string; truth: boolean }[] = [];
  items.forEach((item, i) => {
    rows.push({ item: i, answer: item.qa.answer, truth: true });
    for (const wrong of perturbedAnswers(world, item)) rows.push({ item: i, answer: wrong, truth: false });
  });
  const packed = rows.map((r) => packRow(model.tokenizer, {
    image: items[r.item].key !== null, turns: [{ question: items[r.item].qa.question, answer: r.answer }], seqLen: SCORE_SEQ_LEN, imageTokens: imageTokenCount(model.cfg),
  }));
  const scorer = await RowScorer.open(runtime, model.cfg, model.params, { batch: 32, seqLen: SCORE_SEQ_LEN, distribution: true }, 'PE-Tiny (extras scoring)');
  let scores;
  try {
    await scorer.setParams(model.params);
    scores = await scorer.score(packed, (i) => {
      const key = items[rows[i].item].key;
      return key ? model.features.get(key) : null;
    });
  } finally {
    await scorer.dispose();
  }
  const out: ItemTokenScores[] = items.map((item) => ({ item, truth: { logProbs: new Float32Array() }, perturbed: [] }));
  rows.forEach((r, i) => {
    const s = { logProbs: scores[i].tokenLogProbs, mu: scores[i].mu, sigma: scores[i].sigma };
    if (r.truth) out[r.item].truth = s;
    else out[r.item].perturbed.push(s);
  });
  return { forget: out.slice(0, scored.forget.length), unseen: out.slice(scored.forget.length) };
}
