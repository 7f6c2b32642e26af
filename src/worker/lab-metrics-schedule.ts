// When and through which turns the lab engine takes live metrics, and the last ones it keeps. Step
// 0's are the request's (every run starts there), measured once in background turns of the request
// queue (any request sent meanwhile goes first; a reconfigure of the same request does not cancel
// them). A `metrics` request's (with progress events) and a `step` request's take a queue turn per
// scoring chunk, so a probe sent meanwhile goes between chunks, and give up (kind cancelled) once
// the run is replaced or its weights change other than by a step. During a `run`, every
// metricsEvery-th step, the last and a divergence's, measured directly between steps. The last
// measurement is kept for its weights (epoch:step) and answers the next request for the same ones.
// Not here: the scoring (unlearning/live-metrics.ts, lab-experiment.ts), the requests (lab-engine.ts).
import type { RunQueue } from '../runtime/index.ts';
import type { UnlearnRun } from '../unlearning/driver.ts';
import type { LabExperiment } from './lab-experiment.ts';
import type { MetricsProgress, MetricsTurn } from '../unlearning/live-metrics.ts';
import { LabError, type LabEvent, type LabMetrics } from './lab-protocol.ts';

/** Live-metrics points a `run` sends by default (besides step 0): every ceil(totalSteps / this)-th step. */
export const LIVE_METRIC_POINTS = 12;

/** A configured run as the schedule measures it: configure replaces the record, reset and a recovery its run. */
export interface MeasuredRun {
  readonly run: UnlearnRun;
  readonly experiment: LabExperiment;
}

/** The engine's state as the schedule reads it, each time it is used. */
export interface MetricsCurrent {
  readonly configured: MeasuredRun | null;
  /** Bumped whenever the weights change other than by a step. */
  readonly epoch: number;
  /** True while a `run` is going (paused included). */
  readonly going: boolean;
}

export class MetricsSchedule {
  /** The live metrics last computed, for the weights known as `key` (epoch:step). */
  private last: { key: string; metrics: LabMetrics } | null = null;

  /** `queue` is the engine's request queue; `current` reads the engine's state each time it is needed. */
  constructor(
    private readonly queue: RunQueue,
    private readonly current: () => MetricsCurrent,
  ) {}

  /** The `metrics` request: the current weights', a chunk per queue turn, with progress events. */
  request(configured: MeasuredRun, emit: (event: LabEvent) => void): Promise<LabMetrics> {
    const phase = configured.run.step === 0 ? 'measuring the Finetune model (step 0)' : `measuring step ${configured.run.step}`;
    emit({ type: 'progress', progress: { phase, done: 0, total: 1 } });
    return this.measure(configured, this.queueTurn(configured), (done, total) => emit({ type: 'progress', progress: { phase, done, total } }));
  }

  /** After a `step` request: that step's, a chunk per queue turn. */
  afterStep(configured: MeasuredRun): Promise<LabMetrics> {
    return this.measure(configured, this.queueTurn(configured));
  }

  /**
   * During a `run`: whether the step just taken is one whose metrics are sent (every `every`-th,
   * by default about LIVE_METRIC_POINTS per run, the last and a divergence's).
   */
  due(run: UnlearnRun, every = Math.max(1, Math.ceil(run.totalSteps / LIVE_METRIC_POINTS))): boolean {
    return run.step % every === 0 || run.step >= run.totalSteps || run.state === 'diverged';
  }

  /** During a `run`: the current weights', measured directly (the run waits for them before its next step). */
  inRun(configured: MeasuredRun): Promise<LabMetrics> {
    return this.measure(configured);
  }

  /** Forgets the kept measurement (the models are gone). */
  clear(): void {
    this.last = null;
  }

  /**
   * The live metrics of the run's current weights (kept per weights). `turn` runs each piece (reading
   * the weights, each scoring chunk): directly during a run, else as its own turn in the request queue.
   */
  private async measure({ run, experiment }: MeasuredRun, turn: MetricsTurn = (work) => work(), onChunk?: MetricsProgress): Promise<LabMetrics> {
    if (run.step === 0) return experiment.metricsAtZero((work) => this.queue.whenIdle(work), onChunk);
    const cached = this.last;
    if (cached && !this.current().going && cached.key === `${this.current().epoch}:${run.step}`) return cached.metrics;
    const t0 = performance.now();
    const params = await turn(() => run.params()); // waits for the step in flight
    const key = `${this.current().epoch}:${run.step}`;
    if (this.last?.key === key) return this.last.metrics;
    const metrics = { ...(await experiment.measure(params, run.step, turn, onChunk)), ms: performance.now() - t0 };
    if (key === `${this.current().epoch}:${run.step}`) this.last = { key, metrics };
    return metrics;
  }

  /** A MetricsTurn through the request queue that gives up (kind cancelled) once `configured` is no longer the run. */
  private queueTurn(configured: MeasuredRun): MetricsTurn {
    const epoch = this.current().epoch;
    return (work) => this.queue.enqueue(() => {
      const now = this.current();
      if (now.configured !== configured || now.epoch !== epoch) throw new LabError('cancelled', 'the run was reset or prepared again before its metrics were taken');
      return work();
    });
  }
}
