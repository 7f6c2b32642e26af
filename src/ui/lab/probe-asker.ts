// The probe's sender: every probe question goes through it, one at a time. A question the user asks
// goes next; otherwise, once the run has moved on from the step the shown answer was taken at, it
// re-asks the followed question: at once between steps, at most once per RUN_REASK_MS while a run
// goes (only the newest step is asked; the steps passed meanwhile are dropped). Plain TypeScript;
// not here: what is followed (Probe.svelte), the worker request (LabSession.ask).
import type { ProbeImage } from '../../worker/lab-protocol.ts';

/** A question about a picture; the asker passes it on untouched (extra fields ride along). */
export interface ProbeTarget {
  question: string;
  image: ProbeImage | null;
}

/** What the asker needs to know about the page's session. */
export interface RunView {
  /** The model is loaded: asks would be answered. */
  canAsk: boolean;
  /** The run's current step (null before a run is prepared). */
  step: number | null;
  running: boolean;
  /** The step the shown answer was taken at (null: no answer shown yet). */
  answeredStep: number | null;
}

/** Shortest time between two re-asks while a run goes. */
export const RUN_REASK_MS = 1000;

export interface AskerClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  later(fn: () => void, ms: number): () => void;
}

const browserClock: AskerClock = {
  now: () => performance.now(),
  later: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** Sends one question; resolves to the step its answer was taken at, or null when it failed. */
export type SendProbe<T extends ProbeTarget> = (target: T, auto: boolean) => Promise<number | null>;

export class ProbeAsker<T extends ProbeTarget = ProbeTarget> {
  private view: RunView = { canAsk: false, step: null, running: false, answeredStep: null };
  private follow: T | null = null;
  private sending = false;
  private userQueued: T | null = null;
  private userSending = false;
  /** A run step whose re-ask did not bring that step's answer: not retried until the step changes. */
  private gaveUpAt: number | null = null;
  private lastSentAt = -Infinity;
  private cancelTimer: (() => void) | null = null;
  private disposed = false;

  /** `onchange` hears when a question of the user's starts or stops waiting for its answer. */
  constructor(private readonly send: SendProbe<T>, private readonly onchange: () => void = () => {}, private readonly clock: AskerClock = browserClock) {}

  /** A question of the user's: waiting for its answer from now until it arrives. */
  get userPending(): boolean {
    return this.userQueued !== null || this.userSending;
  }

  /** The user asks `target`: it goes as soon as nothing else is in flight (a newer one replaces it). */
  ask(target: T): void {
    this.userQueued = target;
    this.onchange();
    this.pump();
  }

  /** The session moved (a step, an answer, a run started or stopped); `follow` is what re-asks ask. */
  update(view: RunView, follow: T | null): void {
    if (view.step !== this.view.step) this.gaveUpAt = null;
    this.view = view;
    this.follow = follow;
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    this.cancelTimer?.();
  }

  private pump(): void {
    if (this.disposed || this.sending || !this.view.canAsk) return;
    if (this.userQueued) {
      const target = this.userQueued;
      this.userQueued = null;
      this.userSending = true;
      void this.sendOne(target, false);
      return;
    }
    const { step, answeredStep, running } = this.view;
    if (!this.follow || step === null || answeredStep === step || this.gaveUpAt === step) return;
    // Nothing shown and nothing stepped yet: the first answer waits for a question.
    if (answeredStep === null && step === 0) return;
    const wait = running ? this.lastSentAt + RUN_REASK_MS - this.clock.now() : 0;
    if (wait > 0) {
      this.cancelTimer?.();
      this.cancelTimer = this.clock.later(() => {
        this.cancelTimer = null;
        this.pump();
      }, wait);
      return;
    }
    void this.sendOne(this.follow, true);
  }

  private async sendOne(target: T, auto: boolean): Promise<void> {
    this.sending = true;
    this.lastSentAt = this.clock.now();
    const askedAt = this.view.step;
    let answered: number | null = null;
    try {
      answered = await this.send(target, auto);
    } finally {
      this.sending = false;
      // The page's view of the answer follows on its next update; until then, the asker knows it.
      if (answered !== null) this.view = { ...this.view, answeredStep: answered };
      if (auto && answered !== askedAt) this.gaveUpAt = askedAt;
      if (!auto) {
        this.userSending = false;
        this.onchange();
      }
      this.pump();
    }
  }
}
