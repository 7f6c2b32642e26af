// The one unlearning run a lab engine may have going: a loop of UnlearnRun.stepOnce that waits for
// the engine's work after each step (events, a host snapshot, live metrics) before the next, holds
// at the next step boundary (pause), goes on (resume), stops at the next step boundary (stop), and
// hands a failed step to a recovery hook that may give back a run to go on with (a lost WebGPU
// device: the same run reopened on WASM). A step in flight always completes, so the weights are
// never half-updated. Not here: which requests may start or stop a run, or how to recover (lab-engine.ts).
import type { RunOutcome, RunState, UnlearnRun, UnlearnStep } from '../unlearning/driver.ts';

export interface RunHooks {
  /** After every completed step, before the next one starts (the loop waits for it). */
  afterStep(run: UnlearnRun, step: UnlearnStep): Promise<void> | void;
  /** A step or afterStep failed: resolves with the run to go on with, or rejects (ending the loop). */
  recover?(run: UnlearnRun, error: unknown): Promise<UnlearnRun>;
}

interface ActiveRun {
  abort: AbortController;
  /** Set while a pause is asked for or held; opened by resume and stop. */
  gate: { promise: Promise<void>; open: () => void } | null;
  /** Settles (never rejects) once the run loop has stopped. */
  stopped: Promise<void>;
  /** Called at the next step boundary or when the loop stops. */
  atBoundary: (() => void)[];
}

export const CANCELLED_REASON = 'cancelled at a step boundary; the weights are those after the last completed step';

/** Resolves on a later turn of the event loop (a macrotask), not in this microtask checkpoint. */
const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export class RunControl {
  private active: ActiveRun | null = null;

  /** True from start() until the loop has stopped (paused runs included). */
  get going(): boolean {
    return this.active !== null;
  }

  /** Starts the loop; the promise settles with its outcome (or its error) once it has stopped. */
  start(run: UnlearnRun, hooks: RunHooks): Promise<RunOutcome> {
    if (this.active) throw new Error('RunControl.start: a run is already going');
    const active: ActiveRun = { abort: new AbortController(), gate: null, stopped: Promise.resolve(), atBoundary: [] };
    const boundary = () => active.atBoundary.splice(0).forEach((call) => call());
    const loop = this.loop(run, hooks, active, boundary);
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
    if (!active.gate) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      active.gate = { promise, open };
    }
    await new Promise<void>((resolve) => active.atBoundary.push(resolve));
  }

  /** Lets a paused run go on (or drops a pause not reached yet); false when there was none. */
  resume(): boolean {
    const gate = this.active?.gate;
    if (!gate) return false;
    this.active!.gate = null;
    gate.open();
    return true;
  }

  /** Stops the run at the next step boundary (a paused run at once) and waits for its loop to end. */
  async stop(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.abort.abort();
    this.resume();
    await active.stopped;
  }

  private async loop(first: UnlearnRun, hooks: RunHooks, active: ActiveRun, boundary: () => void): Promise<RunOutcome> {
    let run = first;
    if (run.state === 'diverged') return run.outcome();
    run.state = 'running';
    try {
      while (run.step < run.totalSteps) {
        if (active.gate) {
          run.state = 'paused';
          boundary();
          await active.gate.promise;
          run.state = 'running';
        }
        if (active.abort.signal.aborted) {
          run.state = 'cancelled';
          return run.outcome(CANCELLED_REASON);
        }
        try {
          const info = await run.stepOnce();
          await hooks.afterStep(run, info);
        } catch (error) {
          if (!hooks.recover) throw error;
          run = await hooks.recover(run, error);
          run.state = 'running';
          continue;
        }
        // A step can settle through microtasks alone (onnxruntime-web on WASM does): give the event
        // loop a turn so requests that arrived meanwhile (pause, state, ask) are read between steps.
        await nextTask();
        boundary();
        if ((run.state as RunState) === 'diverged') return run.outcome();
      }
      run.state = 'done';
      return run.outcome();
    } catch (error) {
      if (run.state === 'running' || run.state === 'paused') run.state = 'ready';
      throw error;
    }
  }
}
