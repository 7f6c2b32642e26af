// Runs a PE-Tiny training plan (src/model/train-plan.ts) on the lab's runtime: one TrainSession
// holds weights and AdamW moments on the device; each step feeds one batch (the next one is built
// while the step runs), reports loss, tokens/s and learning rate, and every so often validates on
// fresh renders and hands a checkpoint to the caller. Resuming from a checkpoint continues at the
// exact batch and augmentation the interrupted run would have used next, after the checkpoint's
// run, step and tensor shapes are checked against this plan. Not here: where checkpoints are stored or how progress is shown (src/cli/train-command.ts).
import type { Checkpoint } from '../model/checkpoint.ts';
import { paramsFromState, trainFeeds } from '../model/graph-io.ts';
import { inferenceModels } from '../model/inference.ts';
import { initParams, type Params } from '../model/params.ts';
import { batchPosition, learningRate, type TrainPlan, type TrainSettings } from '../model/train-plan.ts';
import { buildTrainGraph } from '../model/vlm.ts';
import { Answerer } from '../runtime/answerer.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { TrainSession } from '../runtime/train-session.ts';
import type { HostTensor } from '../runtime/types.ts';
import { answerItems, modelEvalItems, summarise, type EvalItem, type ModelEvalReport } from '../eval/model-eval.ts';

export interface StepInfo {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  gradNorm: number;
  finite: boolean;
  lr: number;
  /** Non-padding tokens in this batch. */
  tokens: number;
  stepMs: number;
}

export interface ValidationResult {
  step: number;
  /** Fresh renders (identity, event, attributes, objects) and text facts, on a small fixed sample. */
  report: ModelEvalReport;
  seconds: number;
}

export interface TrainHooks {
  onStep?(info: StepInfo): void;
  /** Validate every N steps (0 = never; default 0) and at the end. */
  validateEvery?: number;
  /** Pairs sampled for validation (default 48) and persons for text facts (default 24). */
  validationImages?: number;
  validationPersons?: number;
  onValidate?(result: ValidationResult): void;
  /** Checkpoint every N steps (0 = never; default 0), when stopped, and once at the end (so a failed export loses nothing). */
  checkpointEvery?: number;
  saveCheckpoint?(checkpoint: Checkpoint): Promise<void>;
  /** Polled after every step: true stops the run (a checkpoint is saved first). */
  shouldStop?(): boolean;
}

export interface TrainResult {
  params: Params;
  /** Steps completed in total (including those before a resume). */
  step: number;
  stopped: boolean;
  /** Steps and tokens run by THIS call, and its wall time. */
  stepsRun: number;
  tokens: number;
  seconds: number;
  validations: ValidationResult[];
}

/** Consecutive rejected (non-finite) steps after which training gives up. */
export const MAX_REJECTED_STEPS = 20;

export class TrainingDivergedError extends Error {
  override name = 'TrainingDivergedError';
}

export class ResumeMismatchError extends Error {
  override name = 'ResumeMismatchError';
}

/** The settings a checkpoint records; resuming requires them to be equal. */
export function runDescription(settings: TrainSettings): Record<string, unknown> {
  return { format: 'pe-tiny-train/1', settings };
}

/** Differences between two run descriptions, as "field: a -> b" lines (empty when they match). */
export function runDifferences(saved: Record<string, unknown>, current: Record<string, unknown>): string[] {
  const flat = (value: unknown, prefix: string, out: Map<string, string>): Map<string, string> => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) flat(v, prefix ? `${prefix}.${k}` : k, out);
    } else out.set(prefix, JSON.stringify(value));
    return out;
  };
  const a = flat(saved, '', new Map());
  const b = flat(current, '', new Map());
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.filter((k) => a.get(k) !== b.get(k)).map((k) => `${k}: ${a.get(k) ?? '(none)'} -> ${b.get(k) ?? '(none)'}`);
}

export async function trainPlan(runtime: Runtime, plan: TrainPlan, options: { resume?: Checkpoint; hooks?: TrainHooks } = {}): Promise<TrainResult> {
  const { settings, cfg, batcher, totalSteps } = plan;
  const hooks = options.hooks ?? {};
  const initial = initParams(cfg, settings.seed);
  const train = buildTrainGraph(cfg, initial, {
    batch: settings.batchSize, seqLen: settings.seqLen, trainable: { kind: 'all' },
    optimizer: { kind: 'adamw', weightDecay: settings.weightDecay }, clipNorm: settings.clipNorm,
  });
  const feeds = trainFeeds(train);
  const session = await TrainSession.create(runtime, feeds.model, { initial: feeds.initial, label: 'PE-Tiny training step' });
  const validations: ValidationResult[] = [];
  try {
    let step = 0;
    if (options.resume) {
      const differences = runDifferences(options.resume.run, runDescription(settings));
      if (differences.length) throw new ResumeMismatchError(`the checkpoint belongs to a different run:\n  ${differences.join('\n  ')}`);
      const problems = stateProblems(options.resume, train.step.state, totalSteps);
      if (problems.length) throw new ResumeMismatchError(`the checkpoint does not fit this model and plan: ${problems.join('; ')}`);
      const state: Record<string, HostTensor> = {};
      for (const [name, t] of Object.entries(options.resume.tensors)) state[name] = { type: 'float32', dims: t.dims, data: t.data };
      await session.loadState(state);
      step = options.resume.step;
    }
    const startStep = step;
    const checkpoint = async () => {
      if (!hooks.saveCheckpoint) return;
      const state = await session.readState();
      const tensors: Checkpoint['tensors'] = {};
      for (const [name, t] of Object.entries(state)) tensors[name] = { dims: [...t.dims], data: t.data as Float32Array };
      await hooks.saveCheckpoint({ step, run: runDescription(settings), tensors });
    };
    const validationItems = modelEvalItems(plan.world, {
      images: hooks.validationImages ?? 48, persons: hooks.validationPersons ?? 24, seed: settings.seed, retainOnly: plan.splits ?? undefined,
    }).filter((item) => item.set === 'fresh' || item.set === 'textOnly');
    const validate = async () => {
      const t0 = performance.now();
      const params = paramsFromState(initial, await session.readParams());
      const report = await askItems(runtime, plan, params, validationItems);
      const result = { step, report, seconds: (performance.now() - t0) / 1000 };
      validations.push(result);
      hooks.onValidate?.(result);
    };

    const started = performance.now();
    let tokens = 0;
    let rejected = 0;
    let stopped = false;
    const batchFor = (s: number) => {
      const { epoch, index } = batchPosition(plan, s);
      return batcher.batchAt(epoch, index);
    };
    let next = step < totalSteps ? batchFor(step + 1) : null;
    while (step < totalSteps && next) {
      const batch = next;
      const lr = learningRate(settings, step + 1, totalSteps);
      const t0 = performance.now();
      const pending = session.step({ ...batch.feeds, pixels: batch.pixels }, { lr, step: step + 1 });
      next = step + 1 < totalSteps ? batchFor(step + 2) : null; // built while the step runs
      const result = await pending;
      step += 1;
      const batchTokens = batch.rowIndices.reduce((sum, r) => sum + plan.rows[r].row.length, 0);
      tokens += batchTokens;
      rejected = result.finite ? 0 : rejected + 1;
      hooks.onStep?.({
        step, totalSteps, epoch: batchPosition(plan, step).epoch, loss: result.loss, gradNorm: result.gradNorm, finite: result.finite, lr,
        tokens: batchTokens, stepMs: performance.now() - t0,
      });
      if (rejected >= MAX_REJECTED_STEPS) {
        throw new TrainingDivergedError(`training diverged: ${rejected} steps in a row gave a non-finite loss or gradient (last at step ${step}); the weights are those of the last good step. Resume from the last checkpoint with a lower --lr.`);
      }
      const stopping = hooks.shouldStop?.() ?? false;
      if ((hooks.checkpointEvery && step % hooks.checkpointEvery === 0) || stopping) await checkpoint();
      if (stopping) {
        stopped = true;
        break;
      }
      if (hooks.validateEvery && step % hooks.validateEvery === 0 && step < totalSteps) await validate();
    }
    const seconds = (performance.now() - started) / 1000;
    if (!stopped && hooks.validateEvery !== undefined && hooks.validateEvery > 0) await validate();
    // The finished state is kept too: if writing the model fails, a rerun exports it without training.
    if (!stopped && step > startStep && !(hooks.checkpointEvery && step % hooks.checkpointEvery === 0)) await checkpoint();
    const params = paramsFromState(initial, await session.readParams());
    return { params, step, stopped, stepsRun: step - startStep, tokens, seconds, validations };
  } finally {
    await session.dispose();
  }
}

/** What in a checkpoint does not fit the training state (names, shapes) or the plan's step count. */
export function stateProblems(checkpoint: Checkpoint, slots: readonly { input: string; shape: number[] }[], totalSteps: number): string[] {
  const problems: string[] = [];
  if (checkpoint.step > totalSteps) problems.push(`it is at step ${checkpoint.step}, past this plan's ${totalSteps} steps`);
  const expected = new Map(slots.map((slot) => [slot.input, slot.shape]));
  const missing = [...expected.keys()].filter((name) => !(name in checkpoint.tensors));
  if (missing.length) problems.push(`${missing.length} state tensors are missing (e.g. ${missing[0]})`);
  for (const [name, tensor] of Object.entries(checkpoint.tensors)) {
    const shape = expected.get(name);
    if (!shape) problems.push(`tensor ${name} is not part of this model's training state`);
    else if (shape.join('x') !== tensor.dims.join('x')) problems.push(`tensor ${name} is ${tensor.dims.join('x')}, this model's is ${shape.join('x')}`);
    else if (!tensor.data.every(Number.isFinite)) problems.push(`tensor ${name} holds non-finite values`);
  }
  return problems.slice(0, 5);
}

/** Answers `items` with a model built from `params` and summarises them. */
export async function askItems(runtime: Runtime, plan: Pick<TrainPlan, 'cfg' | 'tokenizer' | 'world'>, params: Params, items: readonly EvalItem[]): Promise<ModelEvalReport> {
  const answerer = await Answerer.open(runtime, { cfg: plan.cfg, tokenizer: plan.tokenizer, files: inferenceModels(plan.cfg, params) }, 'PE-Tiny (validation)');
  try {
    return summarise(plan.world, items, await answerItems(plan.world, answerer, items));
  } finally {
    await answerer.dispose();
  }
}
