// The one unlearning run a lab engine may have going: starts UnlearnRun.run with an AbortSignal,
// holds it at the next step boundary (pause), lets it go on (resume) and stops it at the next step
// boundary (stop), telling waiters when a boundary was reached. UnlearnRun checks the pause gate and
// the signal between steps, so a step in flight always completes and the weights are never half-updated.
// Not here: which requests may start or stop a run (lab-engine.ts).
import type { RunOutcome, UnlearnRun, UnlearnStep } from '../unlearning/driver.ts';

interface ActiveRun {
  abort: AbortController;
  /** Settles (never rejects) once the run loop has stopped. */
  stopped: Promise<void>;
  /** Called at the next step boundary or when the loop stops. */
  atBoundary: (() => void)[];
}

export class RunControl {
  private active: ActiveRun | null = null;

  /** True from start() until the loop has stopped (paused runs included). */
  get going(): boolean {
    return this.active !== null;
  }

  /** Starts the loop; the promise settles with its outcome (or its error) once it has stopped. */
  start(run: UnlearnRun, onStep: (step: UnlearnStep) => void): Promise<RunOutcome> {
    if (this.active) throw new Error('RunControl.start: a run is already going');
    const active: ActiveRun = { abort: new AbortController(), stopped: Promise.resolve(), atBoundary: [] };
    const boundary = () => active.atBoundary.splice(0).forEach((call) => call());
    const loop = run.run({
      signal: active.abort.signal,
      onStep: (step) => {
        onStep(step);
        boundary();
      },
    });
    active.stopped = loop.then(() => undefined, () => undefined).finally(() => {
      if (this.active === active) this.active = null;
      boundary();
    });
    this.active = active;
    return loop.finally(() => active.stopped);
  }

  /** Holds the run at the next step boundary; resolves once it is held (or has stopped). */
  async pause(run: UnlearnRun): Promise<void> {
    const active = this.active;
    if (!active || run.state !== 'running') return;
    run.pause();
    await new Promise<void>((resolve) => active.atBoundary.push(resolve));
  }

  /** Lets a paused run go on; false when there was none. */
  resume(run: UnlearnRun): boolean {
    if (!this.active || run.state !== 'paused') return false;
    run.resume();
    return true;
  }

  /** Stops the run at the next step boundary (a paused run at once) and waits for its loop to end. */
  async stop(run: UnlearnRun | undefined): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.abort.abort();
    run?.resume();
    await active.stopped;
  }
}
