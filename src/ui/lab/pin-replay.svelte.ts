// A link's pinned runs replayed: the pins a link names that this browser has not stored are run one
// after another once the model is ready (prepared, run to their step, evaluated, then pinned), and
// the link's own experiment is prepared again at the end. Meanwhile `session.hold` says why the
// controls wait, the page's setting changes are queued and applied at the end, and `cancel` stops
// the run at its next step boundary. Not here: the pins (compare.svelte.ts), drawing (PinReplayBanner.svelte).
import type { CompareShelf } from './compare.svelte.ts';
import { fromHash, readPinHash, type LabExperiment } from './lab-hash.ts';
import type { LabSession } from './lab-session.svelte.ts';
import type { PinnedRun } from './pin-store.ts';

export type ReplayPhase = 'preparing' | 'running' | 'evaluating' | 'pinning';

export interface ReplayProgress {
  /** 1-based pin being replayed, of `total`. */
  index: number;
  total: number;
  phase: ReplayPhase;
}

export class PinReplay {
  progress = $state<ReplayProgress | null>(null);
  cancelling = $state(false);
  /** The link's own experiment while the pins' runs are prepared (the URL keeps showing it). */
  home = $state.raw<LabExperiment | null>(null);
  private queued: Partial<LabExperiment> = {};

  constructor(private readonly session: LabSession, private readonly shelf: CompareShelf) {}

  get active(): boolean {
    return this.progress !== null;
  }

  /** A replay would start now: the model is loaded, a run prepared and idle, and no replay goes. */
  get canStart(): boolean {
    const s = this.session;
    return !this.active && s.phase === 'ready' && !!s.configured && !s.configuring && !s.running && !s.paused;
  }

  /** Replays `hashes` (pins' hashes); `onPinned` hears each pin made for a hash. Resolves when done, cancelled or failed. */
  async replay(hashes: readonly string[], onPinned: (hash: string, pin: PinnedRun) => void): Promise<void> {
    const s = this.session;
    if (!this.canStart || hashes.length === 0) return;
    const home = $state.snapshot(s.experiment) as LabExperiment;
    this.home = home;
    this.queued = {};
    this.cancelling = false;
    try {
      for (const [i, hash] of hashes.entries()) {
        if (this.cancelling) break;
        const problem = await this.replayOne(hash, { index: i + 1, total: hashes.length }, home, onPinned);
        if (problem && !this.cancelling) s.notify(`pin ${i + 1} of the link was not replayed: ${problem}`);
      }
    } finally {
      this.progress = null;
      s.hold = null;
      this.home = null;
      const next = { ...home, ...this.queued };
      if (next.backend !== s.experiment.backend) void s.start(next);
      else {
        s.experiment = next;
        await s.configure();
      }
    }
  }

  /** The page's setting changes during a replay: applied when it ends. */
  queue(patch: Partial<LabExperiment>): void {
    this.queued = { ...this.queued, ...patch };
  }

  /** Stops the replay: the run stops at its next step boundary; a preparation or evaluation under way finishes first. */
  async cancel(): Promise<void> {
    if (!this.active || this.cancelling) return;
    this.cancelling = true;
    this.session.hold = 'the replay of the link\'s pinned runs is stopping';
    const s = this.session;
    if (s.running || s.paused) await s.request('cancel', {}).catch(() => null);
  }

  /** One pin: null when it was pinned, else why not (or nothing to say when cancelled). */
  private async replayOne(
    hash: string, at: { index: number; total: number }, home: LabExperiment, onPinned: (hash: string, pin: PinnedRun) => void,
  ): Promise<string | null> {
    const s = this.session;
    const show = (phase: ReplayPhase) => {
      this.progress = { ...at, phase };
      if (!this.cancelling) s.hold = `the link's pinned runs are being replayed (pin ${at.index} of ${at.total}): wait, or cancel the replay`;
    };
    const pinned = readPinHash(hash);
    const { experiment, ignored } = fromHash(pinned.experimentHash);
    if (ignored.length) return `its ${ignored.join(', ')} could not be used`;
    show('preparing');
    s.experiment = { ...experiment, backend: home.backend };
    await s.configure();
    if (this.cancelling) return null;
    if (!s.configured || !s.status) return s.error ?? 'the run could not be prepared';
    const stop = Math.min(pinned.at ?? s.status.totalSteps, s.status.totalSteps);
    show('running');
    if (stop === s.status.totalSteps) await s.play(); // runs every step, then evaluates
    else {
      while (!this.cancelling && s.status && s.status.step < stop && s.canStep) await s.step();
      if (this.cancelling) return null;
      show('evaluating');
      await s.evaluate();
    }
    if (this.cancelling) return null;
    const status = s.status;
    if (!status || status.step !== stop || !s.evaluation || s.evaluation.step !== stop) {
      return s.error ?? `the run ended at step ${status?.step ?? 0} (${status?.state ?? 'not prepared'}), not at step ${stop} with its report`;
    }
    show('pinning');
    await s.settled(); // step 0's live metrics are measured in the background: the pin keeps them
    const pin = await this.shelf.pin(s);
    if (!pin) return 'the run could not be pinned';
    onPinned(hash, pin);
    return null;
  }
}
