// What the lab keeps per forget request, across configures of the same request: the Experiment
// (splits, evaluation plan, Goal scores) over the loaded model's image features and reference
// scorers (kept across requests), the Finetune model's PEBench report and its live metrics at step 0
// (computed once each, when first asked: every run of the request starts there), the live metrics'
// scorer (opened on first use), and fresh lazily prepared runs of a config on it.
// Not here: runs (lab-engine.ts), the metrics themselves (unlearning/live-metrics.ts).
import type { PebenchReport } from '../eval/pebench-report.ts';
import type { Params } from '../model/params.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { UnlearnRun } from '../unlearning/driver.ts';
import { Experiment, type ExperimentOptions } from '../unlearning/experiment.ts';
import type { FeatureCache } from '../unlearning/features.ts';
import type { ReferenceScorers } from '../unlearning/reference.ts';
import { getMethod } from '../unlearning/registry.ts';
import { LiveMetrics, type MetricsProgress, type MetricsTurn } from '../unlearning/live-metrics.ts';
import type { LabMetrics } from './lab-protocol.ts';
import type { RunConfig } from '../unlearning/run-config.ts';

/** What a request's experiment shares with the loaded model (LabModels): kept across requests. */
export interface SharedPreparation {
  features: FeatureCache;
  referenceScorers: ReferenceScorers;
}

export class LabExperiment {
  private finetuneReportPromise: Promise<PebenchReport> | null = null;
  private atZero: Promise<LabMetrics> | null = null;
  private atZeroDone: LabMetrics | null = null;
  private liveMetrics: Promise<LiveMetrics> | null = null;

  private constructor(
    readonly experiment: Experiment,
    private readonly shared: SharedPreparation,
    private readonly perCell: number | undefined,
  ) {}

  /** Cheap: the splits' evaluation plan; sessions and scores come when first needed. */
  static async open(runtime: Runtime, options: ExperimentOptions, shared: SharedPreparation, perCell?: number): Promise<LabExperiment> {
    return new LabExperiment(await Experiment.open(runtime, options, shared.features), shared, perCell);
  }

  get splits(): ExperimentOptions['splits'] {
    return this.experiment.splits;
  }

  /** The Finetune model's report (computed once; a failed attempt is retried next time). */
  finetuneReport(): Promise<PebenchReport> {
    this.finetuneReportPromise ??= this.experiment.reportFor(this.experiment.options.finetune.params).then((r) => r.report);
    return this.finetuneReportPromise.catch((error: unknown) => {
      this.finetuneReportPromise = null;
      throw error;
    });
  }

  /** Step 0's live metrics when already measured (null until then). */
  get metricsAtZeroIfKnown(): LabMetrics | null {
    return this.atZeroDone;
  }

  /**
   * Live metrics of the Finetune weights (every run's step 0), computed once; the first caller's
   * `turn` runs each piece and `onChunk` hears its progress.
   */
  metricsAtZero(turn?: MetricsTurn, onChunk?: MetricsProgress): Promise<LabMetrics> {
    this.atZero ??= this.measure(this.experiment.options.finetune.params, 0, turn, onChunk).then((m) => (this.atZeroDone = m));
    return this.atZero.catch((error: unknown) => {
      this.atZero = null;
      throw error;
    });
  }

  /** A fresh run of `config` from Finetune (step 0), prepared lazily: each step encodes and scores what its batch needs. */
  createRun(config: RunConfig): Promise<UnlearnRun> {
    const { runtime, options, features } = this.experiment;
    return UnlearnRun.create(runtime, {
      model: options.finetune, splits: options.splits, method: getMethod(config.method), settings: config.settings,
      bgd: config.bgd, seed: config.seed, lastBlocks: config.lastBlocks || undefined, features,
      prepare: 'lazy', referenceScorers: this.shared.referenceScorers,
    });
  }

  /** Live metrics of any weights of this model (LoRA merged), labelled with `step`; `turn` as LiveMetrics.measure's. */
  async measure(params: Params, step: number, turn: MetricsTurn = (work) => work(), onChunk?: MetricsProgress): Promise<LabMetrics> {
    const metrics = await turn(() => this.openLiveMetrics());
    return metrics.measure(params, step, turn, onChunk);
  }

  /** The same request on another runtime (sharing `shared` there); the Finetune report and step-0 metrics are kept. */
  async reopen(runtime: Runtime, shared: SharedPreparation): Promise<LabExperiment> {
    const fresh = await LabExperiment.open(runtime, this.experiment.options, shared, this.perCell);
    fresh.finetuneReportPromise = this.finetuneReportPromise;
    fresh.atZero = this.atZero;
    fresh.atZeroDone = this.atZeroDone;
    return fresh;
  }

  async dispose(): Promise<void> {
    await this.liveMetrics?.then((m) => m.dispose(), () => {});
    await this.experiment.dispose();
  }

  private openLiveMetrics(): Promise<LiveMetrics> {
    const { runtime, options, features } = this.experiment;
    this.liveMetrics ??= LiveMetrics.open(runtime, options.finetune, features, options.world, options.splits, this.perCell);
    return this.liveMetrics.catch((error: unknown) => {
      this.liveMetrics = null;
      throw error;
    });
  }
}
