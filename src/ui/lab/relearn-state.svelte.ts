// The lab's relearning attack as page state: the button's reason to be disabled, the attack's
// progress, its result (on a copy of the run's weights: the run is kept) and undoing it, which drops
// the result. A result belongs to the run's step it attacked; once the run moves on it is marked stale.
// Not here: the attack (the worker's `relearn` request), drawing (RelearnPanel.svelte).
import type { LabProgress, LabResult } from '../../worker/lab-protocol.ts';
import type { LabSession } from './lab-session.svelte.ts';

export type RelearnResult = LabResult<'relearn'>;

export class RelearnState {
  result = $state<RelearnResult | null>(null);
  progress = $state<LabProgress | null>(null);
  error = $state<string | null>(null);
  /** The running attack's curve so far (kept through its Goal-baseline phase, whose progress has none). */
  private live = $state<number[]>([]);

  constructor(private readonly session: LabSession) {}

  /** Why the attack cannot start now, or null. */
  get blockedBecause(): string | null {
    const s = this.session;
    if (s.hold) return s.hold;
    if (s.phase !== 'ready' || !s.configured || !s.status) return 'the run is not prepared yet';
    if (s.running || s.paused) return 'stop the run first: the attack runs on a stopped run';
    if (s.status.step === 0) return 'take some unlearning steps first: at step 0 nothing is forgotten';
    if (this.progress) return 'the attack is running';
    return null;
  }

  /** The result no longer matches the run's current weights. */
  get stale(): boolean {
    return this.result !== null && this.session.status?.step !== this.result.step;
  }

  async attack(): Promise<void> {
    if (this.blockedBecause) return;
    this.error = null;
    this.result = null; // the new attack's curve is drawn as it comes
    this.live = [];
    this.progress = { phase: 'relearn', done: 0, total: 1 };
    try {
      this.result = await this.session.request('relearn', {}, {
        onProgress: (p) => {
          this.progress = p;
          if (p.curve) this.live = p.curve;
        },
      });
    } catch (error) {
      this.error = `The relearning attack failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.progress = null;
    }
  }

  /** The held-out answers' loss per attack step: live while the attack runs, then the result's. */
  get curve(): number[] {
    return this.result?.relearn.forgetNll ?? this.live;
  }

  /** Back to the run as it was (it never changed): the attack's result is dropped. */
  undo(): void {
    this.result = null;
    this.live = [];
    this.error = null;
  }
}
