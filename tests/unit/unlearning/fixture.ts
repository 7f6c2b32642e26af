// Shared fixtures of the unlearning tests: a small world where the default forget requests (5% of
// persons, 5% of events, both) select one target each, for rows and batches (no model needed); and a
// micro-world PE-Tiny ('test' size) trained in-process for a few seconds, so that it knows the
// answers it is then asked to forget, plus helpers to score rows with any weights.
// Not a test file (no .test.ts suffix); nothing here asserts.
import * as E from '../../../src/engine/index.ts';
import { TEST_CONFIG, withVocabulary } from '../../../src/model/config.ts';
import { INFERENCE_FILES, buildVisionEncoderGraph } from '../../../src/model/inference.ts';
import type { Params } from '../../../src/model/params.ts';
import type { PackedRow } from '../../../src/model/sequence.ts';
import { Tokenizer } from '../../../src/model/tokenizer.ts';
import { DEFAULT_TRAIN_SETTINGS, planTraining } from '../../../src/model/train-plan.ts';
import type { Runtime } from '../../../src/runtime/index.ts';
import { trainPlan } from '../../../src/training/trainer.ts';
import { FeatureCache } from '../../../src/unlearning/features.ts';
import type { RowScorer } from '../../../src/unlearning/scorer.ts';
import { DEFAULT_REQUESTS, createWorld, makeSplits, worldVocabulary, type ImageKey, type Splits, type World } from '../../../src/world/index.ts';

/** 20 persons x 10 events: 5% of either is one target, so the default requests apply as they are. */
export const smallWorld = createWorld({ persons: 20, events: 10 });
export const smallTokenizer = Tokenizer.fromWords(worldVocabulary(smallWorld));
export const smallCfg = withVocabulary(TEST_CONFIG, smallTokenizer.size);
export const defaultSplits: readonly (readonly [string, Splits])[] = Object.entries(DEFAULT_REQUESTS).map(([name, request]) => [name, makeSplits(smallWorld, request)] as const);

export interface MicroModel {
  world: World;
  tokenizer: Tokenizer;
  cfg: typeof TEST_CONFIG;
  params: Params;
}

/**
 * PE-Tiny at the 'test' size trained on every image and fact of a 10 x 5 world (16 epochs, ~150
 * steps, a few seconds): its token-mean NLL on training answers ends near 0.2-0.4 nats, so forget
 * answers are known and unlearning has something to remove. One thread: bit-reproducible.
 */
export async function trainMicroModel(runtime: Runtime, epochs = 16, world = { persons: 10, events: 5 }): Promise<MicroModel> {
  const plan = planTraining({
    ...DEFAULT_TRAIN_SETTINGS, world, modelSize: 'test', batchSize: 16, seqLen: 96,
    epochs, lr: 1e-2, warmupSteps: 10, augment: false, textRepeat: 1,
  });
  const { params } = await trainPlan(runtime, plan);
  return { world: plan.world, tokenizer: plan.tokenizer, cfg: plan.cfg, params };
}

/** A feature cache backed by the vision encoder of `params` (the only file it reads). */
export function openFeatures(runtime: Runtime, model: Pick<MicroModel, 'cfg' | 'world'>, params: Params): Promise<FeatureCache> {
  const vision = E.toOnnx(buildVisionEncoderGraph(model.cfg, params), { graphName: 'vision_encoder' }).model;
  return FeatureCache.open(runtime, model.cfg, { [INFERENCE_FILES.vision]: vision }, model.world);
}

/** Token-mean NLL over all answer tokens of `rows` under `params` (features must be cached). */
export async function meanNll(scorer: RowScorer, features: FeatureCache, params: Params, rows: readonly { row: PackedRow; image: ImageKey }[]): Promise<number> {
  await scorer.setParams(params);
  const scores = await scorer.score(rows.map((r) => r.row), (i) => features.get(rows[i].image));
  let sum = 0;
  let tokens = 0;
  for (const s of scores) {
    sum -= s.sequenceLogProb;
    tokens += s.tokenLogProbs.length;
  }
  return sum / tokens;
}

/** True when both weight sets have the same tensors with bit-identical values. */
export function sameParams(a: Params, b: Params): boolean {
  const names = Object.keys(a).sort();
  if (names.join() !== Object.keys(b).sort().join()) return false;
  return names.every((name) => a[name].length === b[name].length && a[name].every((v, i) => Object.is(v, b[name][i])));
}
