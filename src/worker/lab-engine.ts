// The lab's engine: one object that holds the runtime, the Finetune (and Goal) model, the forget
// request's Experiment and the current UnlearnRun, with one async method per protocol request and an
// `emit` callback for progress, step, metrics and notice events. No `self`, no postMessage: the
// worker (lab-worker.ts) wraps it, and Node tests drive it directly with the Node runtime.
// Preparing a run is lazy (configure takes ~0.3 s): a step encodes and scores its own batch unless
// the background preparation (while the lab is idle) got there first; step 0's live metrics come
// with the `metrics` request the page sends after configure, later ones after every `step` request
// and every few steps of a `run`. On WebGPU a host copy of the trained state is kept after every
// step; when the device is lost mid-step the run is reopened on WASM from that copy and goes on.
// Concurrency: requests that change or read the run (load, configure, ask, step, reset, evaluate,
// state, weights, saveCheckpoint, metrics, exportModel, restore) take turns in one queue; a `run` holds that
// queue only to start, then steps on its own, so ask/evaluate/state work during a run (they read the
// weights through the training session's queue, i.e. after the step in flight), and
// pause/resume/cancel act at once, at a step boundary.
// Not here: message transport (lab-worker.ts, lab-client.ts), the request table (lab-handlers.ts),
// the run's background preparation (lab-background.ts), when and in which turns live metrics are
// taken (lab-metrics-schedule.ts), probe answers (lab-prober.ts), the run loop (lab-run-control.ts),
// the WASM reopening (lab-recovery.ts), checkpoint writing (lab-checkpoint-writer.ts) or listing
// and reading (the UI).
import { BackendLostError, RunQueue } from '../runtime/index.ts';
import type { HostTensor } from '../runtime/types.ts';
import type { CheckpointStore } from '../storage/checkpoint-store.ts';
import { UnlearnRun, type UnlearnStep } from '../unlearning/driver.ts';
import type { EvalCaps } from '../unlearning/evaluate.ts';
import { sameRequest } from '../unlearning/model-fit.ts';
import type { RunConfig } from '../unlearning/run-config.ts';
import { makeSplits } from '../world/index.ts';
import { LabBackground } from './lab-background.ts';
import { CheckpointWriter } from './lab-checkpoint-writer.ts';
import { LabExperiment } from './lab-experiment.ts';
import { exportUnlearnedModel } from './lab-export.ts';
import { LAB_REQUEST_TYPES, labRequestHandler } from './lab-handlers.ts';
import { MetricsSchedule } from './lab-metrics-schedule.ts';
import { EarlyBackend, LabModels, type ModelLoaders } from './lab-models.ts';
import { Prober } from './lab-prober.ts';
import { LabError, type LabBackend, type LabEvent, type LabPayload, type LabRequestType, type LabResult, type LabState, type RunStatus } from './lab-protocol.ts';
import { SnapshotKeeper, reopenOnWasm } from './lab-recovery.ts';
import { relearnCurrent } from './lab-relearn.ts';
import { RunControl } from './lab-run-control.ts';
import { LAB_EVAL_CAPS, checkLoadPayload, goalFor, runConfigOf, worldSummary } from './lab-setup.ts';
import { checkLabState, labState } from './lab-state.ts';

export type LabEmit = (event: LabEvent) => void;

export interface LabEngineOptions extends ModelLoaders {
  /** Items per evaluation set (smaller = faster reports); LAB_EVAL_CAPS otherwise. */
  evalCaps?: Partial<EvalCaps>;
  evalSeed?: number;
  /** Live metrics during a `run` every this many steps (and at the last); default: about LIVE_METRIC_POINTS (lab-metrics-schedule.ts) per run. */
  metricsEvery?: number;
  /** Items per cell of the live metrics (default METRIC_ITEMS_PER_CELL). */
  metricsPerCell?: number;
  /** Opens the checkpoint store saveCheckpoint writes to (default: this context's IndexedDB). */
  openCheckpoints?: () => Promise<CheckpointStore>;
}

interface Configured {
  config: RunConfig;
  experiment: LabExperiment;
  run: UnlearnRun;
}

export class LabEngine {
  private readonly ops = new RunQueue();
  private loaded: LabModels | null = null;
  private configured: Configured | null = null;
  /** The last request's experiment, kept across configures of the same request (with its Finetune report). */
  private experiment: LabExperiment | null = null;
  private readonly control = new RunControl();
  /** Bumped whenever the weights change other than by a step (configure, reset, restore, a backend change). */
  private epoch = 0;
  /** The probe: Finetune answers kept per world image and question, the current weights' answers. */
  private readonly prober = new Prober();
  /** WebGPU only: a host copy of the run's trained state after a recent completed step. */
  private readonly snapshots = new SnapshotKeeper();
  /** What the background preparation and the live metrics' schedule read of this engine, each time. */
  private readonly current = () => ({ loaded: this.loaded, configured: this.configured, epoch: this.epoch, going: this.control.going });
  /** The configured run's preparation in background turns of `ops`. */
  private readonly background = new LabBackground(this.ops, this.current);
  /** When and in which turns of `ops` live metrics are taken, and the last ones kept. */
  private readonly liveMetrics = new MetricsSchedule(this.ops, this.current);

  /** A backend the worker began opening before its first load request (startBackend). */
  private readonly early = new EarlyBackend();

  private readonly checkpoints: CheckpointWriter;

  constructor(private readonly options: LabEngineOptions) {
    this.checkpoints = new CheckpointWriter(options.openCheckpoints);
  }

  /**
   * Starts opening `backend` (its WASM start-up takes seconds) before any request: the worker does
   * this as it starts, with the backend the page named it for. The next load on it takes it over.
   */
  startBackend(backend: LabBackend): void {
    this.early.start(this.options, backend);
  }

  /** Runs one request by type (the worker's dispatch), through the typed table of lab-handlers.ts. */
  handle<T extends LabRequestType>(type: T, payload: LabPayload<T>, emit: LabEmit): Promise<LabResult<T>> {
    const handler = labRequestHandler(type);
    if (!handler) return Promise.reject(new LabError('bad-input', `unknown request "${String(type)}". Valid requests: ${[...LAB_REQUEST_TYPES].join(', ')}`));
    return handler(this, payload, emit);
  }

  load(payload: LabPayload<'load'>, emit: LabEmit = () => {}): Promise<LabResult<'load'>> {
    return this.ops.enqueue(async () => {
      checkLoadPayload(payload);
      await this.teardown();
      const t0 = performance.now();
      const models = await LabModels.load(this.options, payload, (progress) => emit({ type: 'progress', progress }), this.early.take(payload.backend));
      this.loaded = models;
      const { backend, fallback, finetune, goal, world } = models;
      return {
        backend, ...(fallback ? { fallback } : {}), loadMs: performance.now() - t0, modelHash: finetune.manifest.modelHash,
        world: worldSummary(world),
        goal: 'unavailable' in goal ? goal : { modelHash: goal.manifest.modelHash },
      };
    });
  }

  configure(payload: LabPayload<'configure'>, emit: LabEmit = () => {}): Promise<LabResult<'configure'>> {
    return this.ops.enqueue(async () => {
      const loaded = this.requireLoaded();
      const config = runConfigOf(payload, loaded.world, loaded.finetune.cfg.decoder.layers);
      await this.control.stop();
      await this.configured?.run.dispose();
      this.configured = null;
      const goal = goalFor(loaded.goal, config.request, loaded.world);
      if (!this.experiment || !sameRequest(this.experiment.splits.request, config.request)) {
        await this.experiment?.dispose();
        this.experiment = null;
        this.experiment = await LabExperiment.open(loaded.runtime, {
          world: loaded.world, splits: makeSplits(loaded.world, config.request), finetune: loaded.finetune,
          goal: 'unavailable' in goal ? goal : goal.model, evalSeed: this.options.evalSeed, caps: this.options.evalCaps ?? LAB_EVAL_CAPS,
        }, loaded, this.options.metricsPerCell);
      }
      const experiment = this.experiment;
      // Lazy: rows, batches and the step's session now; each step encodes and scores what its batch needs.
      const run = await experiment.createRun(config);
      this.configured = { config, experiment, run };
      this.weightsChanged();
      this.background.warmUp(loaded, run);
      const metrics = experiment.metricsAtZeroIfKnown;
      const name = (concept: string, id: number) => (concept === 'person' ? loaded.world.persons[id].fullName : loaded.world.events[id].name);
      return {
        config, totalSteps: run.totalSteps, prepareMs: run.prepareMs,
        targets: experiment.splits.targets.map((t) => ({ concept: t.concept, id: t.id, name: name(t.concept, t.id), forgetImages: t.forgetImages.length })),
        goal: 'unavailable' in goal ? goal : goal.info,
        ...(metrics ? { metrics } : {}),
      };
    });
  }

  ask(payload: LabPayload<'ask'>): Promise<LabResult<'ask'>> {
    return this.ops.enqueue(() => this.prober.ask(this.requireLoaded(), this.configured?.run ?? null, this.epoch, payload));
  }

  async step(_payload?: LabPayload<'step'>, emit: LabEmit = () => {}): Promise<LabResult<'step'>> {
    const stepped = await this.ops.enqueue(async () => {
      const { run } = this.requireConfigured();
      if (this.control.going && run.state !== 'paused') throw new LabError('bad-input', 'a run is going: pause it to step once');
      this.checkCanStep(run);
      try {
        await this.afterStep(run, await run.stepOnce(), emit, false);
      } catch (error) {
        await this.recover(run, error, emit);
        return null;
      }
      return this.requireConfigured();
    });
    // That step's live metrics come after it, a queue turn per scoring chunk: a probe sent right
    // after the step goes between chunks instead of waiting for all of them.
    if (stepped) {
      this.background.prepareNextStep(stepped.run);
      emit({ type: 'metrics', metrics: await this.liveMetrics.afterStep(stepped) });
    }
    return this.status();
  }

  async run(_payload?: LabPayload<'run'>, emit: LabEmit = () => {}): Promise<LabResult<'run'>> {
    // Only the start takes a turn in the queue (the loop is wrapped so the queue does not wait for it).
    const started = await this.ops.enqueue(() => {
      const { run } = this.requireConfigured();
      if (this.control.going) throw new LabError('bad-input', `a run is already going (${run.state}): pause, resume or cancel it`);
      if (run.state === 'diverged' || run.step >= run.totalSteps) return null;
      return {
        loop: this.control.start(run, {
          afterStep: (current, step) => this.afterStep(current, step, emit, true),
          recover: (current, error) => this.recover(current, error, emit),
        }),
      };
    });
    if (!started) return this.status();
    const outcome = await started.loop;
    if (outcome.state === 'cancelled') throw new LabError('cancelled', `the run was cancelled at step ${outcome.step}: ${outcome.reason ?? 'stopped at a step boundary'}`);
    return this.status();
  }

  /** Holds the run at the next step boundary; resolves once it is held (or has stopped). */
  async pause(): Promise<LabResult<'pause'>> {
    await this.control.pause(this.requireConfigured().run);
    return this.status();
  }

  async resume(): Promise<LabResult<'resume'>> {
    this.requireConfigured();
    // The loop leaves its gate on the next microtask: report what it is about to be.
    return this.control.resume() ? { ...this.status(), state: 'running' } : this.status();
  }

  /** Stops the run at the next step boundary (its `run` request fails with kind cancelled); the weights stay. */
  async cancel(): Promise<LabResult<'cancel'>> {
    this.requireConfigured();
    await this.control.stop();
    return this.status();
  }

  /** Back to Finetune: drops the run's weights and starts a fresh run of the same config at step 0. */
  reset(): Promise<LabResult<'reset'>> {
    return this.ops.enqueue(async () => {
      const configured = this.requireConfigured();
      await this.control.stop();
      const fresh = await configured.experiment.createRun(configured.config);
      await configured.run.dispose();
      configured.run = fresh;
      this.weightsChanged();
      this.background.prepareNextStep(fresh);
      return this.status();
    });
  }

  evaluate(_payload?: LabPayload<'evaluate'>, emit: LabEmit = () => {}): Promise<LabResult<'evaluate'>> {
    return this.ops.enqueue(async () => {
      const { run, experiment } = this.requireConfigured();
      const t0 = performance.now();
      emit({ type: 'progress', progress: { phase: 'evaluate finetune', done: 0, total: 2 } });
      const finetuneReport = await experiment.finetuneReport();
      emit({ type: 'progress', progress: { phase: 'evaluate current', done: 1, total: 2 } });
      const params = await run.params();
      const step = run.step;
      // At step 0 the weights are Finetune's exactly (fresh LoRA adapters add zero), so is the report.
      const report = step === 0 ? finetuneReport : (await experiment.experiment.reportFor(params)).report;
      emit({ type: 'progress', progress: { phase: 'evaluate current', done: 2, total: 2 } });
      return { step, report, finetune: finetuneReport, seconds: (performance.now() - t0) / 1000 };
    });
  }

  state(): Promise<LabResult<'state'>> {
    return this.runState((run) => run.trainedState());
  }

  /** The trained weights alone (a pinned run keeps them to answer later probes). */
  weights(): Promise<LabResult<'weights'>> {
    return this.runState((run) => run.trainedParams());
  }

  private runState(read: (run: UnlearnRun) => Promise<Record<string, HostTensor>>): Promise<LabState> {
    return this.ops.enqueue(async () => {
      const { run, config } = this.requireConfigured();
      return labState(this.requireLoaded().finetune.manifest.modelHash, config, run.step, await read(run));
    });
  }

  /** Stores the current state as a checkpoint or the autosave (CheckpointWriter: IndexedDB, written here). */
  saveCheckpoint(payload: LabPayload<'saveCheckpoint'>): Promise<LabResult<'saveCheckpoint'>> {
    return this.ops.enqueue(async () => {
      const { run, config } = this.requireConfigured();
      const state = labState(this.requireLoaded().finetune.manifest.modelHash, config, run.step, await run.trainedState());
      return this.checkpoints.write(state, payload);
    });
  }

  /**
   * The live metrics of the current weights (cached per weights; step 0's per request), each scoring
   * chunk its own turn in the request queue (a step or probe sent meanwhile goes between chunks),
   * with progress events (MetricsSchedule.request): the page asks for step 0's right after configure.
   */
  async metrics(_payload?: LabPayload<'metrics'>, emit: LabEmit = () => {}): Promise<LabResult<'metrics'>> {
    return this.liveMetrics.request(this.requireConfigured(), emit);
  }

  /**
   * What the configured run's later steps need (reference values, image features), each piece a
   * background turn (LabBackground.warm): any request goes first, and a run's steps go on between pieces.
   */
  async warm(_payload?: LabPayload<'warm'>, emit: LabEmit = () => {}): Promise<LabResult<'warm'>> {
    return this.background.warm(this.requireConfigured().run, emit);
  }

  /** The current weights (LoRA merged) as a zipped transformers.js model folder (and a PyTorch one if asked). */
  exportModel(payload: LabPayload<'exportModel'> = {}): Promise<LabResult<'exportModel'>> {
    return this.ops.enqueue(async () => {
      const { run, config } = this.requireConfigured();
      const { finetune, world, backend } = this.requireLoaded();
      const params = await run.params();
      return exportUnlearnedModel(finetune, world, params, { config, step: run.step, totalSteps: run.totalSteps, backend }, { pytorch: payload.pytorch === true });
    });
  }

  restore(payload: LabPayload<'restore'>): Promise<LabResult<'restore'>> {
    return this.ops.enqueue(async () => {
      const { run, config } = this.requireConfigured();
      if (this.control.going) throw new LabError('bad-input', 'a run is going: cancel it before restoring a state; nothing was changed');
      const tensors = checkLabState(payload?.state, {
        modelHash: this.requireLoaded().finetune.manifest.modelHash, config, totalSteps: run.totalSteps, tensors: await run.trainedState(),
      });
      await run.loadTrainedState(tensors, payload.state.step);
      this.weightsChanged();
      this.snapshots.reset({ step: payload.state.step, tensors });
      this.background.prepareNextStep(run);
      return this.status();
    });
  }

  /** The relearning attack on a copy of the current weights (lab-relearn.ts); the run stays as it is. */
  relearn(payload: LabPayload<'relearn'>, emit: LabEmit = () => {}): Promise<LabResult<'relearn'>> {
    return this.ops.enqueue(async () => {
      if (this.control.going) throw new LabError('bad-input', 'a run is going: pause or cancel it before the relearning attack');
      return relearnCurrent(this.requireConfigured(), payload, emit);
    });
  }

  /** Stops any run and releases every session. */
  dispose(): Promise<void> {
    this.early.take(null);
    return this.ops.enqueue(async () => {
      await this.teardown();
      await this.checkpoints.close();
    });
  }

  private status(): RunStatus {
    const run = this.configured?.run;
    if (!run) throw new LabError('bad-input', 'no run is configured: send configure first');
    const outcome = run.outcome();
    return {
      state: run.state, step: run.step, totalSteps: run.totalSteps, last: run.history.at(-1) ?? null, backend: this.requireLoaded().backend,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    };
  }

  private checkCanStep(run: UnlearnRun): void {
    if (run.state === 'diverged') throw new LabError('bad-input', `the run diverged (${run.outcome().reason}): reset it`);
    if (run.step >= run.totalSteps) throw new LabError('bad-input', `the run is complete (${run.step} of ${run.totalSteps} steps): reset it, or configure more steps`);
  }

  /** The weights changed other than by a step: cached sessions and metrics no longer apply, nor does a snapshot. */
  private weightsChanged(): void {
    this.epoch++;
    this.snapshots.reset(null);
  }

  /** After each step: its event, the host snapshot (WebGPU), and during a run the live metrics when due. */
  private async afterStep(run: UnlearnRun, step: UnlearnStep, emit: LabEmit, inRun: boolean): Promise<void> {
    emit({ type: 'step', step });
    if (this.loaded?.backend === 'webgpu') await this.snapshots.afterStep(run, step.stepMs);
    if (inRun && this.liveMetrics.due(run, this.options.metricsEvery)) emit({ type: 'metrics', metrics: await this.liveMetrics.inRun(this.requireConfigured()) });
  }

  /** A step failed: on a lost WebGPU device, the run reopened on WASM from the last snapshot (with a notice); else rethrows. */
  private async recover(run: UnlearnRun, error: unknown, emit: LabEmit): Promise<UnlearnRun> {
    const { loaded, configured } = this;
    if (!(error instanceof BackendLostError) || !loaded || loaded.backend !== 'webgpu' || configured?.run !== run) throw error;
    const moved = await reopenOnWasm(this.options, { loaded, experiment: configured.experiment, run }, configured.config, this.snapshots.current, error.reason);
    this.loaded = moved.loaded;
    this.experiment = configured.experiment = moved.experiment;
    configured.run = moved.run;
    this.epoch++;
    emit({ type: 'notice', notice: moved.notice });
    return moved.run;
  }

  private requireLoaded(): LabModels {
    if (!this.loaded) throw new LabError('bad-input', 'no model is loaded: send load first');
    return this.loaded;
  }

  private requireConfigured(): Configured {
    this.requireLoaded();
    if (!this.configured) throw new LabError('bad-input', 'no run is configured: send configure first');
    return this.configured;
  }

  private async teardown(): Promise<void> {
    await this.control.stop();
    await this.configured?.run.dispose();
    await this.experiment?.dispose();
    await this.loaded?.dispose();
    this.configured = null;
    this.experiment = null;
    this.loaded = null;
    this.prober.clear();
    this.liveMetrics.clear();
    this.snapshots.reset(null);
  }
}

