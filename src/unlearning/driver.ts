// The unlearning step driver: prepares one request (rows, image features, the Finetune model's
// reference values, computed once per row so no second model is held: all before the first step,
// or with `prepare: 'lazy'` per batch as steps first need them), then runs steps on a TrainSession
// that keeps the adapters and AdamW moments on the device. It can step once, run, pause, resume and
// be cancelled between steps, and stops a diverging run with the starting weights untouched.
// Not here: evaluation (evaluate.ts), reports (src/eval), where results are shown or saved.
import { PARAM_PREFIX } from '../engine/index.ts';
import type { PeTinyConfig } from '../model/config.ts';
import { mergeLora, paramsFromState, trainFeeds } from '../model/graph-io.ts';
import type { Params } from '../model/params.ts';
import { rowsToFeeds } from '../model/sequence.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { TrainSession } from '../runtime/train-session.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { HostTensor } from '../runtime/types.ts';
import { imageKeyId, type ImageKey, type Splits } from '../world/index.ts';
import { UnlearnBatcher } from './batches.ts';
import { BgdWeights } from './bgd.ts';
import type { FeatureCache } from './features.ts';
import type { MethodDef } from './method.ts';
import { OBJECTIVE_INPUTS } from './objectives.ts';
import { REFERENCE_BATCH, ReferenceScorers, RowReferences } from './reference.ts';
import type { MethodSettings } from './cards.ts';
import { unlearningRows, type UnlearnData } from './rows.ts';
import { MONITORS, buildUnlearnStep, loraAlpha, type UnlearnTrainable } from './step-graph.ts';

export interface UnlearnModel {
  cfg: PeTinyConfig;
  tokenizer: Tokenizer;
  /** The Finetune weights every run starts from. */
  params: Params;
}

export interface UnlearnSetup {
  model: UnlearnModel;
  splits: Splits;
  method: MethodDef;
  /** Every parameter of the method (resolveSettings). */
  settings: MethodSettings;
  bgd: boolean;
  /** Seeds batches, refusal choice and LoRA initialisation. */
  seed: number;
  /** Row length (default 64: an image, then two or three short turns or one event turn). */
  seqLen?: number;
  /** LoRA (default, rank from settings.loraRank) or the last k decoder blocks. */
  lastBlocks?: number;
  /** Image features; shared between runs on the same world. */
  features: FeatureCache;
  /**
   * 'eager' (default): every row's image features and reference values before the first step;
   * 'lazy': a step computes those of its own batch when first needed (the lab: the first step at once).
   */
  prepare?: 'eager' | 'lazy';
  /** The Finetune reference scorers, shared by the runs of a request; default: the run opens its own. */
  referenceScorers?: ReferenceScorers;
}

export interface UnlearnStep {
  step: number;
  totalSteps: number;
  loss: number;
  gradNorm: number;
  finite: boolean;
  forgetNll: number;
  retainNll: number;
  /** BGD: the per-concept forget terms and forget NLLs, and the weights this step used. */
  bgd?: { personTerm: number; eventTerm: number; personNll: number; eventNll: number; weights: [number, number] };
  stepMs: number;
}

export type RunState = 'ready' | 'running' | 'paused' | 'done' | 'cancelled' | 'diverged';

export interface RunOutcome {
  state: RunState;
  step: number;
  /** Why the run stopped early (diverged or cancelled). */
  reason?: string;
}

/** Consecutive rejected (non-finite) steps after which a run counts as diverged. */
export const MAX_REJECTED = 3;
export const DEFAULT_UNLEARN_SEQ_LEN = 64;

export class UnlearnRun {
  state: RunState = 'ready';
  step = 0;
  readonly history: UnlearnStep[] = [];
  private rejected = 0;
  private pauseGate: { promise: Promise<void>; open: () => void } | null = null;
  private divergedReason: string | undefined;
  private disposed = false;

  private constructor(
    readonly setup: UnlearnSetup,
    readonly data: UnlearnData,
    readonly trainable: UnlearnTrainable,
    private readonly session: TrainSession,
    private readonly batcher: UnlearnBatcher,
    private readonly reference: RowReferences,
    /** Reference scorers this run opened itself (a lazy run without shared ones), closed with it. */
    private readonly ownScorers: ReferenceScorers | null,
    private readonly bgdWeights: BgdWeights | null,
    readonly prepareMs: number,
  ) {}

  get totalSteps(): number {
    return this.setup.settings.steps;
  }

  static async create(runtime: Runtime, setup: UnlearnSetup): Promise<UnlearnRun> {
    const t0 = performance.now();
    const { model, method, settings } = setup;
    const seqLen = setup.seqLen ?? DEFAULT_UNLEARN_SEQ_LEN;
    const data = unlearningRows(setup.splits, model.tokenizer, model.cfg, method, { seqLen, seed: setup.seed, world: setup.features.world });
    const batcher = new UnlearnBatcher(data, method, { batch: settings.batch, seed: setup.seed, balanced: setup.bgd });
    const lazy = setup.prepare === 'lazy';
    const ownScorers = setup.referenceScorers ? null : new ReferenceScorers(runtime, model, seqLen);
    const references = new RowReferences(data, method.needs, setup.referenceScorers ?? ownScorers!, setup.features, settings.layer);
    try {
      if (!lazy) {
        await setup.features.ensure(data.images);
        await references.ensureAll();
        // An eager run never scores again: its own scorers can go now.
        await ownScorers?.dispose();
      }
      const trainable: UnlearnTrainable = setup.lastBlocks ? { kind: 'lastBlocks', count: setup.lastBlocks } : { kind: 'lora', rank: settings.loraRank, seed: setup.seed };
      const { train, monitors } = buildUnlearnStep(model.cfg, model.params, {
        method, lambda: settings.lambda ?? 0, beta: settings.beta ?? 1, balanced: setup.bgd, batch: batcher.shape.batch, seqLen,
        pairs: method.needs.pairs ? batcher.shape.forgetUnits : 0, trainable, settings, seed: setup.seed,
      });
      const feeds = trainFeeds(train);
      const session = await TrainSession.create(runtime, feeds.model, { initial: feeds.initial, label: `${method.id} unlearning step`, monitors });
      const bgd = setup.bgd ? new BgdWeights(settings.bgdSmoothing ?? 0.8) : null;
      return new UnlearnRun(setup, data, trainable, session, batcher, references, lazy ? ownScorers : null, bgd, performance.now() - t0);
    } catch (error) {
      await ownScorers?.dispose();
      throw error;
    }
  }

  get backend(): string {
    return this.session.backend;
  }

  /**
   * The image features and reference values of step `step`'s batch (a lazy run computes them when
   * first needed; a caller with time to spare can prepare the next step ahead). A no-op when known.
   */
  async prepareStep(step: number): Promise<void> {
    if (this.disposed || step < 1 || step > this.totalSteps) return;
    const plan = this.batcher.at(step);
    await this.setup.features.ensure([...plan.forgetRows.map((i) => this.data.forget[i].image), ...plan.retainRows.map((i) => this.data.retain[i].image)]);
    await this.reference.ensure(plan.forgetRows, plan.retainRows);
  }

  /**
   * Runs the next step's graph once without keeping its result (the weights and optimizer state stay
   * as they are), so the session's one-time set-up is not paid by the user's first step.
   */
  async warmUp(): Promise<void> {
    if (this.disposed || this.step >= this.totalSteps || this.state === 'diverged') return;
    const step = this.step + 1;
    await this.prepareStep(step);
    await this.session.warmUp(this.feedsFor(this.batcher.at(step), this.bgdWeights?.weights() ?? null), { lr: this.setup.settings.lr, step });
  }

  /**
   * What a lazy run has still to prepare for its later steps, as short pieces of work for spare time:
   * the reference values (a batch of rows each, its images first; they cost a step the most), then
   * the images of the next `stepsAhead` steps (a step encodes its own 8 quickly anyway).
   */
  preparationChunks(stepsAhead = 10): (() => Promise<void>)[] {
    const upcoming: ImageKey[] = [];
    for (let step = this.step + 1; step <= Math.min(this.totalSteps, this.step + stepsAhead); step++) {
      const plan = this.batcher.at(step);
      upcoming.push(...plan.forgetRows.map((i) => this.data.forget[i].image), ...plan.retainRows.map((i) => this.data.retain[i].image));
    }
    const images = [...new Map(this.setup.features.missing(upcoming).map((key) => [imageKeyId(key), key])).values()];
    const encode: (() => Promise<void>)[] = [];
    for (let at = 0; at < images.length; at += REFERENCE_BATCH) encode.push(() => this.setup.features.ensure(images.slice(at, at + REFERENCE_BATCH)));
    return [...this.reference.chunks(), ...encode];
  }

  /** One step (from any state but a finished, diverged or disposed run). */
  async stepOnce(): Promise<UnlearnStep> {
    if (this.disposed) throw new Error('this unlearning run was disposed: start a new one');
    if (this.state === 'diverged') throw new Error(`the run diverged (${this.divergedReason}); start a new run from Finetune (Reset)`);
    if (this.step >= this.totalSteps) throw new Error(`the run is complete (${this.step} of ${this.totalSteps} steps); start a new run or raise the step count`);
    const step = this.step + 1;
    const plan = this.batcher.at(step);
    const weights = this.bgdWeights?.weights() ?? null;
    const t0 = performance.now();
    await this.prepareStep(step);
    const result = await this.session.step(this.feedsFor(plan, weights), { lr: this.setup.settings.lr, step });
    const info: UnlearnStep = {
      step, totalSteps: this.totalSteps, loss: result.loss, gradNorm: result.gradNorm, finite: result.finite,
      forgetNll: result.monitors[MONITORS.forgetNll], retainNll: result.monitors[MONITORS.retainNll], stepMs: performance.now() - t0,
    };
    if (weights && this.bgdWeights) {
      const m = result.monitors;
      this.bgdWeights.observe(m[MONITORS.personNll], m[MONITORS.eventNll]);
      info.bgd = { personTerm: m[MONITORS.personTerm], eventTerm: m[MONITORS.eventTerm], personNll: m[MONITORS.personNll], eventNll: m[MONITORS.eventNll], weights };
    }
    this.step = step;
    this.history.push(info);
    this.rejected = result.finite ? 0 : this.rejected + 1;
    if (this.rejected >= MAX_REJECTED) {
      this.state = 'diverged';
      this.divergedReason = `${this.rejected} steps in a row gave a non-finite loss or gradient (last at step ${step}); lower the learning rate`;
    } else if (this.step >= this.totalSteps && this.state !== 'running') {
      this.state = 'done';
    }
    return info;
  }

  /**
   * Runs until totalSteps, a cancel (signal aborted: stops after the current step) or divergence.
   * pause() holds the loop between steps until resume().
   */
  async run(options: { onStep?: (step: UnlearnStep) => void; signal?: AbortSignal } = {}): Promise<RunOutcome> {
    if (this.state === 'diverged') return this.outcome();
    this.state = 'running';
    while (this.step < this.totalSteps) {
      if (this.pauseGate) {
        this.state = 'paused';
        await this.pauseGate.promise;
        this.state = 'running';
      }
      if (options.signal?.aborted || this.disposed) {
        this.state = 'cancelled';
        return this.outcome('cancelled at a step boundary; the weights are those after the last completed step');
      }
      const info = await this.stepOnce();
      options.onStep?.(info);
      if ((this.state as RunState) === 'diverged') return this.outcome();
    }
    this.state = 'done';
    return this.outcome();
  }

  pause(): void {
    if (this.pauseGate) return;
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.pauseGate = { promise, open };
  }

  resume(): void {
    const gate = this.pauseGate;
    this.pauseGate = null;
    gate?.open();
  }

  outcome(reason?: string): RunOutcome {
    return { state: this.state, step: this.step, reason: this.state === 'diverged' ? this.divergedReason : reason };
  }

  /**
   * Full weights of the current model (LoRA merged). After divergence: the starting Finetune
   * weights, untouched.
   */
  async params(): Promise<Params> {
    const base = this.setup.model.params;
    if (this.state === 'diverged') return base;
    const state = await this.session.readParams();
    const params = paramsFromState(base, state);
    return this.trainable.kind === 'lora' ? mergeLora(this.setup.model.cfg, params, loraAlpha(this.trainable.rank)) : params;
  }

  /**
   * The current LoRA adapters by model name (`<weight>.lora_a` / `.lora_b`) with their rank and
   * alpha, for a decoder built with adapter inputs; null when the run trains whole blocks or has
   * diverged (its weights are then the starting Finetune model's).
   */
  async loraAdapters(): Promise<{ rank: number; alpha: number; values: Record<string, HostTensor> } | null> {
    if (this.trainable.kind !== 'lora' || this.state === 'diverged') return null;
    const state = await this.session.readParams();
    const values: Record<string, HostTensor> = {};
    for (const [input, value] of Object.entries(state)) if (/\.lora_[ab]$/.test(input)) values[input.slice(PARAM_PREFIX.length)] = value;
    return { rank: this.trainable.rank, alpha: loraAlpha(this.trainable.rank), values };
  }

  /**
   * The trained weights alone by state name (LoRA adapters or the trained blocks, without the
   * optimizer's state), e.g. for a pinned run that answers later probes; none after divergence
   * (the weights are then the starting Finetune model's).
   */
  async trainedParams(): Promise<Record<string, HostTensor>> {
    return this.state === 'diverged' ? {} : this.session.readParams();
  }

  /** Just the trained tensors (adapters or blocks), e.g. for a checkpoint. */
  async trainedState(): Promise<Record<string, HostTensor>> {
    return this.session.readState();
  }

  async loadTrainedState(state: Readonly<Record<string, HostTensor>>, step: number): Promise<void> {
    await this.session.loadState(state);
    this.step = step;
    this.history.length = 0;
    this.rejected = 0;
    this.state = step >= this.totalSteps ? 'done' : 'ready';
  }

  /** Releases the session; a run() waiting on pause() ends as cancelled. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.resume();
    await this.ownScorers?.dispose();
    await this.session.dispose();
  }

  private feedsFor(plan: ReturnType<UnlearnBatcher['at']>, bgdWeights: [number, number] | null): Record<string, HostTensor> {
    const { cfg } = this.setup.model;
    const rows = [...plan.forgetRows.map((i) => this.data.forget[i]), ...plan.retainRows.map((i) => this.data.retain[i])];
    const b = rows.length;
    const t = rows[0].row.inputIds.length;
    const perImage = this.setup.features.get(rows[0].image).length;
    const features = new Float32Array(b * perImage);
    rows.forEach((r, i) => features.set(this.setup.features.get(r.image), i * perImage));
    const flag = (keep: (i: number) => boolean): HostTensor => ({ type: 'float32', dims: [b], data: Float32Array.from({ length: b }, (_, i) => (keep(i) ? 1 : 0)) });
    const nForget = plan.forgetRows.length;
    const feeds: Record<string, HostTensor> = {
      ...rowsToFeeds(rows.map((r) => r.row)),
      image_features: { type: 'float32', dims: [b, perImage / cfg.decoder.width, cfg.decoder.width], data: features },
      [OBJECTIVE_INPUTS.forgetRows]: flag((i) => i < nForget),
      [OBJECTIVE_INPUTS.retainRows]: flag((i) => i >= nForget),
    };
    if (bgdWeights) {
      feeds[OBJECTIVE_INPUTS.personRows] = flag((i) => i < nForget && rows[i].concept === 'person');
      feeds[OBJECTIVE_INPUTS.eventRows] = flag((i) => i < nForget && rows[i].concept === 'event');
      feeds[OBJECTIVE_INPUTS.bgdWeights] = { type: 'float32', dims: [2], data: Float32Array.from(bgdWeights) };
    }
    if (this.reference.sequence) {
      const ref = this.reference.sequence;
      feeds[OBJECTIVE_INPUTS.refSequence] = { type: 'float32', dims: [b], data: Float32Array.from({ length: b }, (_, i) => (i < nForget ? ref[plan.forgetRows[i]] : 0)) };
    }
    // Reference values kept at answer positions, spread over (B, T, size); zeros elsewhere.
    const dense = (size: number, forget: (Float32Array | null)[] | null, retain: (Float32Array | null)[] | null): HostTensor => {
      const out = new Float32Array(b * t * size);
      const values = [...plan.forgetRows.map((r) => forget?.[r] ?? null), ...plan.retainRows.map((r) => retain?.[r] ?? null)];
      values.forEach((kept, i) => {
        let k = 0;
        rows[i].row.lossMask.forEach((m, pos) => {
          if (m > 0 && kept) out.set(kept.subarray(k * size, (k + 1) * size), (i * t + pos) * size);
          if (m > 0) k++;
        });
      });
      return { type: 'float32', dims: [b, t, size], data: out };
    };
    if (this.reference.logits) feeds[OBJECTIVE_INPUTS.refLogits] = dense(cfg.vocabSize, this.reference.forgetLogits, this.reference.logits);
    if (this.reference.hidden) feeds[OBJECTIVE_INPUTS.refHidden] = dense(cfg.decoder.width, null, this.reference.hidden);
    if (this.data.vocabMask) {
      const mask = new Float32Array(b * t);
      rows.forEach((r, i) => mask.set(r.tokenMask ?? r.row.lossMask, i * t));
      feeds[OBJECTIVE_INPUTS.siuTokenMask] = { type: 'float32', dims: [b, t], data: mask };
      feeds[OBJECTIVE_INPUTS.siuVocabMask] = { type: 'float32', dims: [cfg.vocabSize], data: this.data.vocabMask };
    }
    if (plan.pairs.length > 0) {
      feeds[OBJECTIVE_INPUTS.preferred] = { type: 'int64', dims: [plan.pairs.length], data: BigInt64Array.from(plan.pairs, (p) => BigInt(p.preferred)) };
      feeds[OBJECTIVE_INPUTS.dispreferred] = { type: 'int64', dims: [plan.pairs.length], data: BigInt64Array.from(plan.pairs, (p) => BigInt(p.dispreferred)) };
    }
    return feeds;
  }
}
