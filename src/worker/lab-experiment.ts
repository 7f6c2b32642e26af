// What the lab keeps per forget request, across configures of the same request: the Experiment
// (splits, image features, evaluation plan, Goal scores), the Finetune model's PEBench report and
// its live metrics at step 0 (computed once each: every run of the request starts there), and the
// live metrics' scorer; and fresh runs of a config on it. Reopens on a new runtime keeping those
// host-side results.
// Not here: runs (lab-engine.ts), the metrics themselves (lab-metrics.ts).
import type { PebenchReport } from '../eval/pebench-report.ts';
import type { Params } from '../model/params.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { UnlearnRun } from '../unlearning/driver.ts';
import { Experiment, type ExperimentOptions } from '../unlearning/experiment.ts';
import { getMethod } from '../unlearning/registry.ts';
import { LiveMetrics, type MetricsTurn } from './lab-metrics.ts';
import type { LabMetrics, LabRunConfig } from './lab-protocol.ts';

export class LabExperiment {
  private finetuneReportPromise: Promise<PebenchReport> | null = null;
  private atZero: Promise<LabMetrics> | null = null;

  private constructor(readonly experiment: Experiment, private readonly metrics: LiveMetrics, private readonly perCell: number | undefined) {}

  static async open(runtime: Runtime, options: ExperimentOptions, perCell?: number): Promise<LabExperiment> {
    const experiment = await Experiment.open(runtime, options);
    try {
      const metrics = await LiveMetrics.open(runtime, options.finetune, experiment.features, options.world, options.splits, perCell);
      return new LabExperiment(experiment, metrics, perCell);
    } catch (error) {
      await experiment.dispose();
      throw error;
    }
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

  /** Live metrics of the Finetune weights (every run's step 0), computed once. */
  metricsAtZero(): Promise<LabMetrics> {
    this.atZero ??= this.metrics.measure(this.experiment.options.finetune.params, 0);
    return this.atZero.catch((error: unknown) => {
      this.atZero = null;
      throw error;
    });
  }

  /** A fresh run of `config` from Finetune (step 0) on this experiment's runtime, sharing its image features. */
  createRun(config: LabRunConfig): Promise<UnlearnRun> {
    const { runtime, options, features } = this.experiment;
    return UnlearnRun.create(runtime, {
      model: options.finetune, splits: options.splits, method: getMethod(config.method), settings: config.settings,
      bgd: config.bgd, seed: config.seed, lastBlocks: config.lastBlocks || undefined, features,
    });
  }

  /** Live metrics of any weights of this model (LoRA merged), labelled with `step`; `turn` as LiveMetrics.measure's. */
  measure(params: Params, step: number, turn?: MetricsTurn): Promise<LabMetrics> {
    return this.metrics.measure(params, step, turn);
  }

  /** The same request on another runtime; the Finetune report and step-0 metrics are kept. */
  async reopen(runtime: Runtime): Promise<LabExperiment> {
    const fresh = await LabExperiment.open(runtime, this.experiment.options, this.perCell);
    fresh.finetuneReportPromise = this.finetuneReportPromise;
    fresh.atZero = this.atZero;
    return fresh;
  }

  async dispose(): Promise<void> {
    await this.metrics.dispose();
    await this.experiment.dispose();
  }
}
