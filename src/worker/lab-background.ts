// Preparing the configured run while the lab is idle, so that its steps are only the steps: each
// piece is a background turn of the engine's request queue (RunQueue.whenIdle: any request sent
// meanwhile goes first, and a run's steps go on between pieces) that checks, when its turn comes,
// that the run it was started for is still the current one (configure, reset, restore and a
// recovery replace it). After configure: the first step's batch with one unkept run of the step
// session, then the probe's adapter decoder. After a step, reset or restore: the next step's batch.
// For a `warm` request: the later steps' images and reference values in pieces, with progress,
// failing as cancelled once the run is replaced. Failures of the unasked pieces are left to the
// request that needs the piece.
// Not here: which requests start these (lab-engine.ts), what a piece prepares (UnlearnRun in
// src/unlearning/driver.ts, LabModels), live metrics' turns (lab-metrics-schedule.ts).
import type { RunQueue } from '../runtime/index.ts';
import type { UnlearnRun } from '../unlearning/driver.ts';
import { loraAlpha } from '../unlearning/step-graph.ts';
import type { LabModels } from './lab-models.ts';
import { LabError, type LabEvent, type LabResult } from './lab-protocol.ts';

/** The engine's state as a piece reads it when its turn comes. */
export interface LabCurrent {
  readonly loaded: LabModels | null;
  /** The configured run's record: configure replaces it, reset and a recovery replace its run. */
  readonly configured: { readonly run: UnlearnRun } | null;
}

export class LabBackground {
  /** `queue` is the engine's request queue; `current` reads the engine's state at each turn. */
  constructor(
    private readonly queue: RunQueue,
    private readonly current: () => LabCurrent,
  ) {}

  /**
   * In background turns, what a freshly configured run's first step and probes will need: the first
   * batch (its images and reference values, the method's reference scorer opened on the way) with
   * one unkept run of the step session (its first run is the slow one), then the probe's adapter
   * decoder. Failures are left to the request that needs the piece.
   */
  warmUp(loaded: LabModels, run: UnlearnRun): void {
    void this.queue.whenIdle(() => (this.current().configured?.run === run && run.step === 0 ? run.warmUp() : undefined)).catch(() => {});
    if (run.trainable.kind === 'lora') {
      const { rank } = run.trainable;
      void this.queue.whenIdle(() => (this.current().loaded === loaded ? loaded.prepareAdapters(rank, loraAlpha(rank)) : undefined)).catch(() => {});
    }
  }

  /** In a background turn: the images and reference values of the run's next step, so that step is only the step. */
  prepareNextStep(run: UnlearnRun): void {
    const next = run.step + 1;
    void this.queue.whenIdle(() => (this.current().configured?.run === run && run.step + 1 === next ? run.prepareStep(next) : undefined)).catch(() => {});
  }

  /**
   * The `warm` request: what the run's later steps need (reference values, image features), each
   * piece a background turn with a progress event before it; cancelled once `run` is replaced.
   */
  async warm(run: UnlearnRun, emit: (event: LabEvent) => void): Promise<LabResult<'warm'>> {
    const t0 = performance.now();
    const pieces = run.preparationChunks();
    const phase = `preparing ${run.setup.method.id.toUpperCase()}'s later steps`;
    for (let i = 0; i < pieces.length; i++) {
      emit({ type: 'progress', progress: { phase, done: i, total: pieces.length } });
      await this.queue.whenIdle(() => {
        if (this.current().configured?.run !== run) throw new LabError('cancelled', 'the run was reset or prepared again');
        return pieces[i]();
      });
    }
    return { pieces: pieces.length, ms: performance.now() - t0 };
  }
}
