// The unlearning step as one graph: cached image features and packed rows -> PE-Tiny's decoder with
// LoRA adapters (default) or its last k blocks trainable -> the method's objective -> backward ->
// global-norm clip -> AdamW, plus monitor outputs (forget and retain NLL, BGD's per-concept terms).
// The vision tower and projector are not in the graph at all: image features come in as an input.
// Not here: running the step (driver.ts) or the objective maths (objectives.ts and the method files).
import * as E from '../engine/index.ts';
import type { PeTinyConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import { rowLogits, weightPolicy, type TrainGraph, type TrainableSet } from '../model/vlm.ts';
import { Weights } from '../model/weights.ts';
import type { MethodDef } from './method.ts';
import { buildObjective } from './objectives.ts';

/** What an unlearning step trains: LoRA adapters on every decoder linear layer, or the last k blocks. */
export type UnlearnTrainable = { kind: 'lora'; rank: number; seed: number } | { kind: 'lastBlocks'; count: number };

export interface UnlearnStepOptions {
  method: MethodDef;
  lambda: number;
  beta: number;
  balanced: boolean;
  batch: number;
  seqLen: number;
  /** DPO: twins per batch. */
  pairs: number;
  trainable: UnlearnTrainable;
  /** Every parameter of the method (its own: gamma, layer, steer, alpha, klWeight) and the run's seed. */
  settings?: Readonly<Record<string, number>>;
  seed?: number;
}

export const MONITORS = {
  forgetNll: 'forget_nll', retainNll: 'retain_nll', personTerm: 'person_term', eventTerm: 'event_term', personNll: 'person_nll', eventNll: 'event_nll',
} as const;

/** LoRA scale numerator: alpha = 2 x rank, so the adapter's scale alpha / rank is 2 at any rank. */
export const loraAlpha = (rank: number): number => 2 * rank;

export function trainableSet(t: UnlearnTrainable): TrainableSet {
  return t.kind === 'lora' ? { kind: 'lora', rank: t.rank, alpha: loraAlpha(t.rank), targets: 'all', seed: t.seed } : { kind: 'lastBlocks', count: t.count };
}

export function buildUnlearnStep(cfg: PeTinyConfig, params: Params, options: UnlearnStepOptions): { train: TrainGraph; monitors: string[] } {
  const g = new E.Graph('float32');
  const w = new Weights(g, cfg, params, weightPolicy(cfg, trainableSet(options.trainable)));
  const hiddenLayer = options.method.needs.referenceHidden ? (options.settings?.layer ?? 0) : undefined;
  const { logits, targets, lossMask, hidden } = rowLogits(w, { batch: options.batch, seqLen: options.seqLen }, 'features', hiddenLayer);
  const objective = buildObjective(g, { tokenLogProbs: E.tokenLogProbs(logits, targets), mask: lossMask, logits, hidden }, {
    kind: options.method.id, lambda: options.lambda, beta: options.beta, balanced: options.balanced,
    dpoPairs: options.method.needs.pairs ? options.pairs : undefined, settings: options.settings, seed: options.seed,
  });
  const monitors: string[] = [MONITORS.forgetNll, MONITORS.retainNll];
  g.output(MONITORS.forgetNll, objective.forgetNll);
  g.output(MONITORS.retainNll, objective.retainNll);
  if (objective.personTerm && objective.eventTerm && objective.personNll && objective.eventNll) {
    g.output(MONITORS.personTerm, objective.personTerm);
    g.output(MONITORS.eventTerm, objective.eventTerm);
    g.output(MONITORS.personNll, objective.personNll);
    g.output(MONITORS.eventNll, objective.eventNll);
    monitors.push(MONITORS.personTerm, MONITORS.eventTerm, MONITORS.personNll, MONITORS.eventNll);
  }
  // No weight decay: unlearning should move the weights only where the objective asks.
  const step = E.buildTrainStep(g, { loss: objective.loss, optimizer: { kind: 'adamw', weightDecay: 0 }, clipNorm: 1 });
  return { train: { step, imageInput: 'features', trained: step.params }, monitors };
}
