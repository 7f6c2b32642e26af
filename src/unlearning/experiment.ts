// One forget request on one world, set up once and shared by every run on it: the Finetune model
// with its image features, the evaluation plan (the same items for every row of a table), and the
// Goal model (or why there is none) whose token scores are computed once for forget quality and
// PrivLeak. `run` unlearns with one method from Finetune and reports (and, when asked, takes the run's
// trajectory of live metrics, going on past its own steps); `reportFor` reports any weights.
// Used by `pebench unlearn`, `pebench bench` and the lab's worker.
// Not here: method maths (the method files), metrics (src/eval), files or printing (the callers).
import type { ItemTokenScores } from '../eval/pebench-extras.ts';
import { pebenchReport, type PebenchReport, type Unavailable } from '../eval/pebench-report.ts';
import { median } from '../eval/stats.ts';
import type { PeTinyConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { Splits, World } from '../world/index.ts';
import { UnlearnRun, type RunOutcome, type UnlearnStep } from './driver.ts';
import { evalPlan, evaluateState, scoreItems, type EvalCaps, type EvalPlan, type EvalResult } from './evaluate.ts';
import { FeatureCache } from './features.ts';
import type { MethodDef } from './method.ts';
import type { MethodSettings } from './cards.ts';
import type { LabMetrics } from './live-metrics-items.ts';
import { LiveMetrics } from './live-metrics.ts';
import { trajectoryCounts, trajectoryPoint, type Trajectory, type TrajectoryPoint } from './trajectory.ts';

export interface ExperimentModel {
  cfg: PeTinyConfig;
  tokenizer: Tokenizer;
  params: Params;
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
}

export interface ExperimentOptions {
  world: World;
  splits: Splits;
  finetune: ExperimentModel;
  /** The Goal model of this request, or why there is none (its metrics are then reported unavailable). */
  goal: ExperimentModel | Unavailable;
  evalSeed?: number;
  caps?: Partial<EvalCaps>;
}

export interface RunTiming {
  prepareSeconds: number;
  /** The run's own steps (up to settings.steps). */
  stepsSeconds: number;
  /** With a trajectory: the steps past settings.steps, and the live metrics of every point. */
  extraStepsSeconds?: number;
  trajectorySeconds?: number;
  /** Median wall time of one step, ms. */
  medianStepMs: number | null;
  evalSeconds: number;
  /** The evaluation's two parts: answering (generation) and token scoring. */
  evalParts?: EvalResult['seconds'];
  steps: number;
}

export interface RunReport {
  outcome: RunOutcome;
  /** Null when the run diverged (nothing to evaluate: the weights are Finetune's, untouched). */
  report: PebenchReport | null;
  params: Params;
  history: UnlearnStep[];
  timing: RunTiming;
  backend: string;
  /** The path of the run when asked for (run options' `trajectory`). */
  trajectory?: Trajectory;
}

/** Take the run's path: live metrics at step 0 and every `every` steps up to `until` (steps past the run's own go on from it). */
export interface TrajectoryOptions {
  every: number;
  until: number;
  /** Items per cell of the live-metrics sample. */
  perCell: number;
}

const isUnavailable = (x: object): x is Unavailable => 'unavailable' in x;

export class Experiment {
  private goalScores: Promise<ItemTokenScores[][]> | null = null;
  private goalFeatures: FeatureCache | null = null;
  /** The live metrics of trajectories, by items per cell (opened on first use). */
  private readonly live = new Map<number, Promise<LiveMetrics>>();
  /** Finetune's live metrics by items per cell: every run's step 0 (a fresh adapter changes nothing), measured once. */
  private readonly atZero = new Map<number, Promise<LabMetrics>>();

  private constructor(
    readonly runtime: Runtime,
    readonly options: ExperimentOptions,
    readonly plan: EvalPlan,
    readonly features: FeatureCache,
    /** False when the features came from the caller (kept across requests), who disposes them. */
    private readonly ownsFeatures: boolean,
  ) {}

  /** `features`: the Finetune model's image features on this world, shared with the caller (default: its own cache). */
  static async open(runtime: Runtime, options: ExperimentOptions, features?: FeatureCache): Promise<Experiment> {
    const cache = features ?? await FeatureCache.open(runtime, options.finetune.cfg, options.finetune.files, options.world);
    return new Experiment(runtime, options, evalPlan(options.splits, { seed: options.evalSeed ?? 0, caps: options.caps }), cache, !features);
  }

  get world(): World {
    return this.options.world;
  }

  get splits(): Splits {
    return this.options.splits;
  }

  /**
   * Unlearns from Finetune with one method, then evaluates the result at settings.steps. With
   * `trajectory` the run also goes on to trajectory.until, taking live metrics along the way; the
   * report is still of the weights at settings.steps (batches depend only on the seed and the step,
   * so those weights are exactly a plain run's).
   */
  async run(
    method: MethodDef, settings: MethodSettings,
    options: { bgd: boolean; seed: number; lastBlocks?: number; onStep?: (s: UnlearnStep) => void; signal?: AbortSignal; trajectory?: TrajectoryOptions },
  ): Promise<RunReport> {
    const path = options.trajectory;
    const until = Math.max(settings.steps, path?.until ?? 0);
    const run = await UnlearnRun.create(this.runtime, {
      model: this.options.finetune, splits: this.splits, method, settings: { ...settings, steps: until }, bgd: options.bgd, seed: options.seed,
      lastBlocks: options.lastBlocks, features: this.features,
    });
    try {
      const live = path ? await this.liveMetrics(path.perCell) : null;
      const points: TrajectoryPoint[] = [];
      let metricsMs = 0;
      const measure = async () => {
        const m = await live!.measure(await run.params(), run.step);
        metricsMs += m.ms;
        points.push(trajectoryPoint(m));
        return m;
      };
      const first = path ? await this.finetuneMetrics(path.perCell) : null;
      if (first) points.push(trajectoryPoint(first));
      const t0 = performance.now();
      let ownSteps = 0;
      let ownParams: Params | null = null;
      let extraMs = 0;
      let divergedAt: number | undefined;
      while (run.step < until) {
        if (options.signal?.aborted) break;
        const stepStart = performance.now();
        const info = await run.stepOnce();
        if (run.step <= settings.steps) options.onStep?.(info);
        if (run.outcome().state === 'diverged') {
          divergedAt = run.step;
          break;
        }
        if (run.step === settings.steps) {
          ownSteps = (performance.now() - t0 - metricsMs) / 1000;
          ownParams = await run.params();
        } else if (run.step > settings.steps) {
          extraMs += performance.now() - stepStart;
        }
        if (live && run.step % path!.every === 0) await measure();
      }
      const outcome: RunOutcome = divergedAt !== undefined && divergedAt <= settings.steps ? run.outcome()
        : options.signal?.aborted && run.step < settings.steps ? run.outcome('cancelled at a step boundary; the weights are those after the last completed step')
        : { state: 'done', step: Math.min(run.step, settings.steps) };
      const params = ownParams ?? await run.params();
      const evaluated = outcome.state === 'diverged' ? null : await this.reportFor(params);
      const own = run.history.filter((s) => s.step <= settings.steps);
      const stepMs = own.map((s) => s.stepMs);
      return {
        outcome, report: evaluated?.report ?? null, params, history: own, backend: run.backend,
        timing: {
          prepareSeconds: run.prepareMs / 1000, stepsSeconds: ownParams ? ownSteps : (performance.now() - t0 - metricsMs) / 1000,
          medianStepMs: stepMs.length ? median(stepMs) : null, evalSeconds: evaluated?.seconds ?? 0, steps: Math.min(run.step, settings.steps),
          ...(evaluated ? { evalParts: evaluated.result.seconds } : {}),
          ...(path ? { extraStepsSeconds: extraMs / 1000, trajectorySeconds: metricsMs / 1000 } : {}),
        },
        ...(path && first ? {
          trajectory: { every: path.every, until, perCell: path.perCell, n: trajectoryCounts(first), points, ...(divergedAt !== undefined ? { divergedAt } : {}) },
        } : {}),
      };
    } finally {
      await run.dispose();
    }
  }

  /** The report of any weights that share Finetune's vision tower (Finetune itself, an unlearned state). */
  async reportFor(params: Params): Promise<{ report: PebenchReport; result: EvalResult; seconds: number }> {
    const t0 = performance.now();
    const { finetune } = this.options;
    const result = await evaluateState(this.runtime, this.world, { cfg: finetune.cfg, tokenizer: finetune.tokenizer, params, features: this.features }, this.plan);
    const report = pebenchReport({ world: this.world, splits: this.splits, answers: result.answers, scores: result.scores, goal: await this.goalInput() });
    return { report, result, seconds: (performance.now() - t0) / 1000 };
  }

  /** The Goal model's own report (the table's last row), or why there is none. */
  async goalReport(): Promise<{ report: PebenchReport; result: EvalResult; seconds: number } | Unavailable> {
    const { goal } = this.options;
    if (isUnavailable(goal)) return goal;
    const t0 = performance.now();
    const features = await this.goalFeatureCache(goal);
    const result = await evaluateState(this.runtime, this.world, { cfg: goal.cfg, tokenizer: goal.tokenizer, params: goal.params, features }, this.plan);
    this.goalScores ??= Promise.resolve([result.scores.forget, result.scores.unseen]);
    const report = pebenchReport({ world: this.world, splits: this.splits, answers: result.answers, scores: result.scores, goal: await this.goalInput() });
    return { report, result, seconds: (performance.now() - t0) / 1000 };
  }

  /** The live-metrics point of Finetune weights, or of the Goal model (with its own features): a trajectory's reference points. */
  async pointOf(model: 'finetune' | 'goal', perCell: number): Promise<TrajectoryPoint | Unavailable> {
    const metrics = await this.metricsOf(model, perCell);
    return 'unavailable' in metrics ? metrics : trajectoryPoint(metrics);
  }

  /** The live metrics of Finetune, or of the Goal model (with its own features), on the sample of `perCell` items per cell. */
  async metricsOf(model: 'finetune' | 'goal', perCell: number): Promise<LabMetrics | Unavailable> {
    if (model === 'finetune') return this.finetuneMetrics(perCell);
    const { goal } = this.options;
    if (isUnavailable(goal)) return goal;
    const live = await LiveMetrics.open(this.runtime, goal, await this.goalFeatureCache(goal), this.world, this.splits, perCell);
    try {
      return await live.measure(goal.params, 0);
    } finally {
      await live.dispose();
    }
  }

  /** The Goal model with its own image features (e.g. the relearning attack's baseline), or why there is none. */
  async goalModel(): Promise<(ExperimentModel & { features: FeatureCache }) | Unavailable> {
    const { goal } = this.options;
    return isUnavailable(goal) ? goal : { ...goal, features: await this.goalFeatureCache(goal) };
  }

  async dispose(): Promise<void> {
    for (const live of this.live.values()) await live.then((m) => m.dispose(), () => {});
    if (this.ownsFeatures) await this.features.dispose();
    await this.goalFeatures?.dispose();
  }

  private finetuneMetrics(perCell: number): Promise<LabMetrics> {
    let metrics = this.atZero.get(perCell);
    if (!metrics) {
      metrics = this.liveMetrics(perCell).then((live) => live.measure(this.options.finetune.params, 0));
      this.atZero.set(perCell, metrics);
    }
    return metrics;
  }

  private liveMetrics(perCell: number): Promise<LiveMetrics> {
    let live = this.live.get(perCell);
    if (!live) {
      live = LiveMetrics.open(this.runtime, this.options.finetune, this.features, this.world, this.splits, perCell);
      this.live.set(perCell, live);
    }
    return live;
  }

  private async goalFeatureCache(goal: ExperimentModel): Promise<FeatureCache> {
    this.goalFeatures ??= await FeatureCache.open(this.runtime, goal.cfg, goal.files, this.world);
    return this.goalFeatures;
  }

  private async goalInput(): Promise<{ scores: { forget: ItemTokenScores[]; unseen: ItemTokenScores[] } } | Unavailable> {
    const { goal } = this.options;
    if (isUnavailable(goal)) return goal;
    this.goalScores ??= (async () => {
      const features = await this.goalFeatureCache(goal);
      const scores = await scoreItems(this.runtime, this.world, { cfg: goal.cfg, tokenizer: goal.tokenizer, params: goal.params, features }, this.plan.scored);
      return [scores.forget, scores.unseen];
    })();
    const [forget, unseen] = await this.goalScores;
    return { scores: { forget, unseen } };
  }
}
