// The relearning attack on one set of weights: a fresh LoRA (the run's rank) trained K steps of AdamW
// on plain NLL over the relearn set, L = E_relearn l(x, y), then Efficacy of the held-out targets'
// forget items before and after, scored as the report scores them. Zero-weight held-out forget rows in
// every batch give the forget curve per step. The weights given are never changed.
// Not here: which items (relearn-set.ts), the Goal baseline and the report (relearn-attack.ts).
import * as E from '../engine/index.ts';
import { pebenchReport } from '../eval/pebench-report.ts';
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { mergeLora, paramsFromState, trainFeeds } from '../model/graph-io.ts';
import { inferenceModels } from '../model/inference.ts';
import type { Params } from '../model/params.ts';
import { packRow, rowsToFeeds, type PackedRow } from '../model/sequence.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { rowLogits, weightPolicy } from '../model/vlm.ts';
import { Weights } from '../model/weights.ts';
import { Rng } from '../core/rng.ts';
import { Answerer } from '../runtime/answerer.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { TrainSession } from '../runtime/train-session.ts';
import type { HostTensor } from '../runtime/types.ts';
import type { ForgetConcept, SplitItem, Splits, World } from '../world/index.ts';
import { ANSWER_MARGIN, maxAnswerTokens } from './evaluate.ts';
import type { FeatureCache } from './features.ts';
import { rowNll } from './objectives.ts';
import { RELEARN_BATCH, RELEARN_LR, type RelearnSplit } from './relearn-set.ts';
import { loraAlpha, trainableSet } from './step-graph.ts';

export interface RelearnModel {
  cfg: PeTinyConfig;
  tokenizer: Tokenizer;
  /** The weights attacked (unlearned, Goal, ...), left as they are. */
  params: Params;
  /** This model's image features (its own vision tower). */
  features: FeatureCache;
}

export type ConceptValues = Partial<Record<ForgetConcept, number | null>>;

export interface RelearnOutcome {
  efficacyBefore: ConceptValues;
  efficacyAfter: ConceptValues;
  n: Partial<Record<ForgetConcept, number>>;
  /** NLL of the watched held-out forget rows at the weights before each step (after 0 .. K - 1 steps). */
  forgetNll: number[];
  /** The weights after the attack (LoRA merged). */
  params: Params;
  seconds: { steps: number; eval: number };
}

const SEQ_LEN = 64;
/** Held-out forget rows watched per step (zero weight in the loss). */
const WATCHED = 4;
const INPUTS = { trainRows: 'relearn_rows', watchRows: 'watched_rows' } as const;
const WATCH_NLL = 'watched_nll';

/** The K-step attack; `onStep(k, watchedNll)` as each step runs, with the watched rows' NLL after k = 0 .. K - 1 steps. */
export async function relearnAttack(
  runtime: Runtime, world: World, splits: Splits, model: RelearnModel, split: RelearnSplit,
  options: { steps: number; seed: number; rank: number; lr?: number; onStep?: (step: number, forgetNll: number) => void; signal?: AbortSignal },
): Promise<RelearnOutcome> {
  if (split.train.length === 0) throw new RangeError('the relearn set is empty: nothing to relearn on');
  const before = await efficacyOf(runtime, world, splits, model, split.eval);
  const t0 = performance.now();
  const { cfg, tokenizer } = model;
  const pack = (item: SplitItem): PackedRow => packRow(tokenizer, { image: item.key !== null, turns: [{ question: item.qa.question, answer: item.qa.answer }], seqLen: SEQ_LEN, imageTokens: imageTokenCount(cfg) });
  const trainRows = split.train.map(pack);
  const watched = split.eval.filter((i) => i.key).slice(0, WATCHED);
  const watchRows = watched.map(pack);
  const batch = RELEARN_BATCH + watchRows.length;
  await model.features.ensure([...split.train, ...watched].flatMap((i) => (i.key ? [i.key] : [])));

  const g = new E.Graph('float32');
  const trainable = trainableSet({ kind: 'lora', rank: options.rank, seed: options.seed });
  const w = new Weights(g, cfg, model.params, weightPolicy(cfg, trainable));
  const { logits, targets, lossMask } = rowLogits(w, { batch, seqLen: SEQ_LEN }, 'features');
  const nll = rowNll({ tokenLogProbs: E.tokenLogProbs(logits, targets), mask: lossMask }); // (B)
  const loss = E.maskedMean(nll, g.input(INPUTS.trainRows, [batch]));
  g.output(WATCH_NLL, E.maskedMean(nll, g.input(INPUTS.watchRows, [batch])));
  const step = E.buildTrainStep(g, { loss, optimizer: { kind: 'adamw', weightDecay: 0 }, clipNorm: 1 });
  const feeds = trainFeeds({ step, imageInput: 'features', trained: step.params });
  const session = await TrainSession.create(runtime, feeds.model, { initial: feeds.initial, label: 'relearning attack step', monitors: [WATCH_NLL] });
  const forgetNll: number[] = [];
  let params: Params;
  try {
    const rng = new Rng(options.seed, 'relearn/batches');
    let order: number[] = [];
    let at = 0;
    const perImage = imageTokenCount(cfg) * cfg.decoder.width;
    const items = [...split.train, ...watched];
    for (let s = 1; s <= options.steps; s++) {
      if (options.signal?.aborted) throw new DOMException('the relearning attack was cancelled', 'AbortError');
      const chosen: number[] = [];
      while (chosen.length < RELEARN_BATCH) {
        if (at >= order.length) {
          order = rng.fork(`pass/${s}`).shuffle([...trainRows.keys()]);
          at = 0;
        }
        chosen.push(order[at++]);
      }
      const rows = [...chosen.map((i) => trainRows[i]), ...watchRows];
      const rowItems = [...chosen.map((i) => items[i]), ...watched];
      const features = new Float32Array(batch * perImage);
      rowItems.forEach((item, i) => item.key && features.set(model.features.get(item.key), i * perImage));
      const flag = (keep: (i: number) => boolean): HostTensor => ({ type: 'float32', dims: [batch], data: Float32Array.from({ length: batch }, (_, i) => (keep(i) ? 1 : 0)) });
      const result = await session.step({
        ...rowsToFeeds(rows),
        image_features: { type: 'float32', dims: [batch, imageTokenCount(cfg), cfg.decoder.width], data: features },
        [INPUTS.trainRows]: flag((i) => i < RELEARN_BATCH),
        [INPUTS.watchRows]: flag((i) => i >= RELEARN_BATCH),
      }, { lr: options.lr ?? RELEARN_LR, step: s });
      if (!result.finite) throw new RangeError(`the relearning attack gave a non-finite loss or gradient at step ${s}`);
      // The monitor is computed before the update: the watched rows' NLL after s - 1 steps.
      forgetNll.push(result.monitors[WATCH_NLL]);
      options.onStep?.(s - 1, result.monitors[WATCH_NLL]);
    }
    params = mergeLora(cfg, paramsFromState(model.params, await session.readParams()), loraAlpha(options.rank));
  } finally {
    await session.dispose();
  }
  const stepsSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const after = await efficacyOf(runtime, world, splits, { ...model, params }, split.eval);
  return {
    efficacyBefore: before.values, efficacyAfter: after.values, n: after.n, forgetNll, params,
    seconds: { steps: stepsSeconds, eval: before.seconds + (performance.now() - t1) / 1000 },
  };
}

/** Efficacy (the report's own column: person 100 - name precision, event 1 - event score) of forget items. */
export async function efficacyOf(
  runtime: Runtime, world: World, splits: Splits, model: RelearnModel, items: readonly SplitItem[],
): Promise<{ values: ConceptValues; n: Partial<Record<ForgetConcept, number>>; seconds: number }> {
  const t0 = performance.now();
  await model.features.ensure(items.flatMap((i) => (i.key ? [i.key] : [])));
  const answerer = await Answerer.open(runtime, { cfg: model.cfg, tokenizer: model.tokenizer, files: inferenceModels(model.cfg, model.params) }, 'PE-Tiny (relearning attack)');
  let texts: string[];
  try {
    const answers = await answerer.answer(items.map((item) => ({ question: item.qa.question, pixels: null, features: item.key ? model.features.get(item.key) : null })),
      { batchSize: 48, maxNewTokens: maxAnswerTokens(model.tokenizer, items) + ANSWER_MARGIN });
    texts = answers.map((a) => a.text);
  } finally {
    await answerer.dispose();
  }
  const report = pebenchReport({
    world, splits, answers: { forget: items.map((item, i) => ({ item, answer: texts[i] })), generality: [], retain: [], scope: [], utility: [] },
  });
  const values: ConceptValues = {};
  const n: Partial<Record<ForgetConcept, number>> = {};
  for (const concept of ['person', 'event'] as const) {
    const c = report[concept];
    if (c && c.n.efficacy > 0) {
      values[concept] = c.efficacy;
      n[concept] = c.n.efficacy;
    }
  }
  return { values, n, seconds: (performance.now() - t0) / 1000 };
}
