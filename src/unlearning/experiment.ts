// One forget request on one world, set up once and shared by every run on it: the Finetune model
// with its image features, the evaluation plan (the same items for every row of a table), and the
// Goal model (or why there is none) whose token scores are computed once for forget quality and
// PrivLeak. `run` unlearns with one method from Finetune and reports; `reportFor` reports any weights.
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
  stepsSeconds: number;
  /** Median wall time of one step, ms. */
  medianStepMs: number | null;
  evalSeconds: number;
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
}

const isUnavailable = (x: object): x is Unavailable => 'unavailable' in x;

export class Experiment {
  private goalScores: Promise<ItemTokenScores[][]> | null = null;
  private goalFeatures: FeatureCache | null = null;

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

  /** Unlearns from Finetune with one method, then evaluates the result. */
  async run(
    method: MethodDef, settings: MethodSettings, options: { bgd: boolean; seed: number; lastBlocks?: number; onStep?: (s: UnlearnStep) => void; signal?: AbortSignal },
  ): Promise<RunReport> {
    const run = await UnlearnRun.create(this.runtime, {
      model: this.options.finetune, splits: this.splits, method, settings, bgd: options.bgd, seed: options.seed,
      lastBlocks: options.lastBlocks, features: this.features,
    });
    try {
      const t0 = performance.now();
      const outcome = await run.run({ onStep: options.onStep, signal: options.signal });
      const stepsSeconds = (performance.now() - t0) / 1000;
      const params = await run.params();
      const evaluated = outcome.state === 'diverged' ? null : await this.reportFor(params);
      const stepMs = run.history.map((s) => s.stepMs);
      return {
        outcome, report: evaluated?.report ?? null, params, history: [...run.history], backend: run.backend,
        timing: {
          prepareSeconds: run.prepareMs / 1000, stepsSeconds, medianStepMs: stepMs.length ? median(stepMs) : null,
          evalSeconds: evaluated?.seconds ?? 0, steps: run.step,
        },
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
  async goalReport(): Promise<{ report: PebenchReport; seconds: number } | Unavailable> {
    const { goal } = this.options;
    if (isUnavailable(goal)) return goal;
    const t0 = performance.now();
    const features = await this.goalFeatureCache(goal);
    const result = await evaluateState(this.runtime, this.world, { cfg: goal.cfg, tokenizer: goal.tokenizer, params: goal.params, features }, this.plan);
    this.goalScores ??= Promise.resolve([result.scores.forget, result.scores.unseen]);
    const report = pebenchReport({ world: this.world, splits: this.splits, answers: result.answers, scores: result.scores, goal: await this.goalInput() });
    return { report, seconds: (performance.now() - t0) / 1000 };
  }

  async dispose(): Promise<void> {
    if (this.ownsFeatures) await this.features.dispose();
    await this.goalFeatures?.dispose();
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
