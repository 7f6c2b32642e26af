// The lab's engine: one object that holds the runtime, the Finetune (and Goal) model, the forget
// request's Experiment and the current UnlearnRun, with one async method per protocol request and an
// `emit` callback for progress and step events. No `self`, no postMessage: the worker (lab-worker.ts)
// wraps it, and Node tests drive it directly with the Node runtime.
// Concurrency: requests that change or read the run (load, configure, ask, step, reset, evaluate,
// state, restore) take turns in one queue; a `run` holds that queue only to start, then steps on its
// own, so ask/evaluate/state work during a run (they read the weights through the training session's
// queue, i.e. after the step in flight), and pause/resume/cancel act at once, at a step boundary.
// Not here: message transport (lab-worker.ts, lab-client.ts), checkpoint storage (the UI).
import type { PebenchReport } from '../eval/pebench-report.ts';
import { RunQueue, type InferenceSessions } from '../runtime/index.ts';
import { UnlearnRun } from '../unlearning/driver.ts';
import type { EvalCaps } from '../unlearning/evaluate.ts';
import { Experiment } from '../unlearning/experiment.ts';
import { getMethod } from '../unlearning/registry.ts';
import { makeSplits } from '../world/index.ts';
import { LAB_BACKENDS, LabModels, type ModelLoaders } from './lab-models.ts';
import { answerProbe, checkQuestion, probePixels } from './lab-probe.ts';
import { LabError, type LabEvent, type LabPayload, type LabRequestType, type LabResult, type LabRunConfig, type RunStatus } from './lab-protocol.ts';
import { RunControl } from './lab-run-control.ts';
import { goalFor, methodInfos, runConfigOf, sameRequest, worldSummary } from './lab-setup.ts';
import { checkLabState, labState } from './lab-state.ts';

export type LabEmit = (event: LabEvent) => void;

export interface LabEngineOptions extends ModelLoaders {
  /** Items per evaluation set (smaller = faster reports); the defaults of src/unlearning/evaluate.ts otherwise. */
  evalCaps?: Partial<EvalCaps>;
  evalSeed?: number;
}

interface Configured {
  config: LabRunConfig;
  experiment: Experiment;
  run: UnlearnRun;
}

export class LabEngine {
  private readonly ops = new RunQueue();
  private loaded: LabModels | null = null;
  private configured: Configured | null = null;
  /** The Experiment of the last request, kept across configures of the same request (with its Finetune report). */
  private experiment: { experiment: Experiment; finetuneReport: Promise<PebenchReport> | null } | null = null;
  private readonly control = new RunControl();
  /** Bumped whenever the weights change other than by a step (configure, reset, restore). */
  private epoch = 0;

  constructor(private readonly options: LabEngineOptions) {}

  /** Runs one request by type (the worker's dispatch). */
  handle<T extends LabRequestType>(type: T, payload: LabPayload<T>, emit: LabEmit): Promise<LabResult<T>> {
    const method = (this as unknown as Record<string, (p: unknown, e: LabEmit) => Promise<unknown>>)[type];
    if (!REQUEST_TYPES.has(type) || typeof method !== 'function') {
      return Promise.reject(new LabError('bad-input', `unknown request "${String(type)}". Valid requests: ${[...REQUEST_TYPES].join(', ')}`));
    }
    return method.call(this, payload, emit) as Promise<LabResult<T>>;
  }

  load(payload: LabPayload<'load'>, emit: LabEmit = () => {}): Promise<LabResult<'load'>> {
    return this.ops.enqueue(async () => {
      if (!payload || typeof payload.modelUrl !== 'string' || payload.modelUrl === '') throw new LabError('bad-input', 'load needs { modelUrl, backend }: the model folder URL');
      if (!LAB_BACKENDS.includes(payload.backend)) throw new LabError('bad-input', `unknown backend "${String(payload.backend)}". Valid backends: ${LAB_BACKENDS.join(', ')}`);
      await this.teardown();
      const t0 = performance.now();
      const models = await LabModels.load(this.options, payload, (progress) => emit({ type: 'progress', progress }));
      this.loaded = models;
      const { backend, fallback, finetune, goal, world } = models;
      return {
        backend, ...(fallback ? { fallback } : {}), loadMs: performance.now() - t0, modelHash: finetune.manifest.modelHash,
        world: worldSummary(world), methods: methodInfos(),
        goal: 'unavailable' in goal ? goal : { modelHash: goal.manifest.modelHash },
      };
    });
  }

  configure(payload: LabPayload<'configure'>, emit: LabEmit = () => {}): Promise<LabResult<'configure'>> {
    return this.ops.enqueue(async () => {
      const loaded = this.requireLoaded();
      const config = runConfigOf(payload, loaded.world, loaded.finetune.cfg.decoder.layers);
      await this.stopActive();
      await this.configured?.run.dispose();
      this.configured = null;
      const goal = goalFor(loaded.goal, config.request, loaded.world);
      if (!this.experiment || !sameRequest(this.experiment.experiment.splits.request, config.request)) {
        await this.experiment?.experiment.dispose();
        this.experiment = null;
        emit({ type: 'progress', progress: { phase: 'features', done: 0, total: 2 } });
        const experiment = await Experiment.open(loaded.runtime, {
          world: loaded.world, splits: makeSplits(loaded.world, config.request), finetune: loaded.finetune,
          goal: 'unavailable' in goal ? goal : goal.model, evalSeed: this.options.evalSeed, caps: this.options.evalCaps,
        });
        this.experiment = { experiment, finetuneReport: null };
      }
      const { experiment } = this.experiment;
      emit({ type: 'progress', progress: { phase: 'prepare', done: 1, total: 2 } });
      const run = await this.createRun(experiment, config);
      this.configured = { config, experiment, run };
      this.epoch++;
      const name = (concept: string, id: number) => (concept === 'person' ? loaded.world.persons[id].fullName : loaded.world.events[id].name);
      return {
        config, totalSteps: run.totalSteps, prepareMs: run.prepareMs,
        targets: experiment.splits.targets.map((t) => ({ concept: t.concept, id: t.id, name: name(t.concept, t.id), forgetImages: t.forgetImages.length })),
        goal: 'unavailable' in goal ? goal : goal.info,
      };
    });
  }

  ask(payload: LabPayload<'ask'>): Promise<LabResult<'ask'>> {
    return this.ops.enqueue(async () => {
      const { world, finetune, base } = this.requireLoaded();
      if (!payload || typeof payload !== 'object') throw new LabError('bad-input', 'ask needs { question, image }');
      const pixels = probePixels(payload.image ?? null, world, finetune.cfg);
      const question = checkQuestion(payload.question, finetune.tokenizer, finetune.cfg, pixels !== null);
      const fromBase = await answerProbe(base, finetune.tokenizer, question, pixels);
      const { sessions, step } = await this.currentSessions();
      const fromCurrent = await answerProbe(sessions, finetune.tokenizer, question, pixels);
      return { base: fromBase.answer, current: fromCurrent.answer, step, unknownWords: fromBase.unknownWords };
    });
  }

  step(_payload?: LabPayload<'step'>, emit: LabEmit = () => {}): Promise<LabResult<'step'>> {
    return this.ops.enqueue(async () => {
      const { run } = this.requireConfigured();
      if (this.control.going && run.state !== 'paused') throw new LabError('bad-input', 'a run is going: pause it to step once');
      this.checkCanStep(run);
      emit({ type: 'step', step: await run.stepOnce() });
      return this.status();
    });
  }

  async run(_payload?: LabPayload<'run'>, emit: LabEmit = () => {}): Promise<LabResult<'run'>> {
    // Only the start takes a turn in the queue (the loop is wrapped so the queue does not wait for it).
    const started = await this.ops.enqueue(() => {
      const { run } = this.requireConfigured();
      if (this.control.going) throw new LabError('bad-input', `a run is already going (${run.state}): pause, resume or cancel it`);
      if (run.state === 'diverged' || run.step >= run.totalSteps) return null;
      return { loop: this.control.start(run, (step) => emit({ type: 'step', step })) };
    });
    if (!started) return this.status();
    const outcome = await started.loop;
    if (outcome.state === 'cancelled') throw new LabError('cancelled', `the run was cancelled at step ${outcome.step}: ${outcome.reason ?? 'stopped at a step boundary'}`);
    return this.status();
  }

  /** Holds the run at the next step boundary; resolves once it is held (or has stopped). */
  async pause(): Promise<LabResult<'pause'>> {
    const { run } = this.requireConfigured();
    await this.control.pause(run);
    return this.status();
  }

  async resume(): Promise<LabResult<'resume'>> {
    const { run } = this.requireConfigured();
    // The loop leaves its gate on the next microtask: report what it is about to be.
    return this.control.resume(run) ? { ...this.status(), state: 'running' } : this.status();
  }

  /** Stops the run at the next step boundary (its `run` request fails with kind cancelled); the weights stay. */
  async cancel(): Promise<LabResult<'cancel'>> {
    await this.control.stop(this.requireConfigured().run);
    return this.status();
  }

  /** Back to Finetune: drops the run's weights and starts a fresh run of the same config at step 0. */
  reset(): Promise<LabResult<'reset'>> {
    return this.ops.enqueue(async () => {
      const configured = this.requireConfigured();
      await this.stopActive();
      const fresh = await this.createRun(configured.experiment, configured.config);
      await configured.run.dispose();
      configured.run = fresh;
      this.epoch++;
      return this.status();
    });
  }

  evaluate(_payload?: LabPayload<'evaluate'>, emit: LabEmit = () => {}): Promise<LabResult<'evaluate'>> {
    return this.ops.enqueue(async () => {
      const { run, experiment } = this.requireConfigured();
      const { finetune } = this.requireLoaded();
      const t0 = performance.now();
      const cached = this.experiment!;
      emit({ type: 'progress', progress: { phase: 'evaluate finetune', done: 0, total: 2 } });
      cached.finetuneReport ??= experiment.reportFor(finetune.params).then((r) => r.report);
      const finetuneReport = await cached.finetuneReport.catch((error: unknown) => {
        cached.finetuneReport = null;
        throw error;
      });
      emit({ type: 'progress', progress: { phase: 'evaluate current', done: 1, total: 2 } });
      const params = await run.params();
      const step = run.step;
      // At step 0 the weights are Finetune's exactly (fresh LoRA adapters add zero), so is the report.
      const report = step === 0 ? finetuneReport : (await experiment.reportFor(params)).report;
      emit({ type: 'progress', progress: { phase: 'evaluate current', done: 2, total: 2 } });
      return { step, report, finetune: finetuneReport, seconds: (performance.now() - t0) / 1000 };
    });
  }

  state(): Promise<LabResult<'state'>> {
    return this.ops.enqueue(async () => {
      const { run, config } = this.requireConfigured();
      const trained = await run.trainedState();
      return labState(this.requireLoaded().finetune.manifest.modelHash, config, run.step, trained);
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
      this.epoch++;
      return this.status();
    });
  }

  /** Stops any run and releases every session. */
  dispose(): Promise<void> {
    return this.ops.enqueue(() => this.teardown());
  }

  private status(): RunStatus {
    const run = this.configured?.run;
    if (!run) throw new LabError('bad-input', 'no run is configured: send configure first');
    const outcome = run.outcome();
    return { state: run.state, step: run.step, totalSteps: run.totalSteps, last: run.history.at(-1) ?? null, ...(outcome.reason ? { reason: outcome.reason } : {}) };
  }

  private checkCanStep(run: UnlearnRun): void {
    if (run.state === 'diverged') throw new LabError('bad-input', `the run diverged (${run.outcome().reason}): reset it`);
    if (run.step >= run.totalSteps) throw new LabError('bad-input', `the run is complete (${run.step} of ${run.totalSteps} steps): reset it, or configure more steps`);
  }

  private stopActive(): Promise<void> {
    return this.control.stop(this.configured?.run);
  }

  private async createRun(experiment: Experiment, config: LabRunConfig): Promise<UnlearnRun> {
    return UnlearnRun.create(this.requireLoaded().runtime, {
      model: this.requireLoaded().finetune, splits: experiment.splits, method: getMethod(config.method), settings: config.settings,
      bgd: config.bgd, seed: config.seed, lastBlocks: config.lastBlocks || undefined, features: experiment.features,
    });
  }

  /** Sessions with the run's weights after its last completed step (Finetune's before any configure). */
  private async currentSessions(): Promise<{ sessions: InferenceSessions; step: number }> {
    const loaded = this.requireLoaded();
    const run = this.configured?.run;
    if (!run) return { sessions: loaded.base, step: 0 };
    const params = await run.params(); // waits for the step in flight
    return { sessions: await loaded.sessionsFor(`${this.epoch}:${run.step}`, params), step: run.step };
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
    await this.stopActive();
    await this.configured?.run.dispose();
    await this.experiment?.experiment.dispose();
    await this.loaded?.dispose();
    this.configured = null;
    this.experiment = null;
    this.loaded = null;
  }
}

const REQUEST_TYPES: ReadonlySet<string> = new Set<LabRequestType>([
  'load', 'configure', 'ask', 'step', 'run', 'pause', 'resume', 'cancel', 'reset', 'evaluate', 'state', 'restore',
]);
