// Compare: the pinned runs as rune state over their IndexedDB store (pin-store.ts). Pinning copies the
// current run's settings, live metrics, losses, report (when it is of the current step), the probe's
// last answer and the trained weights (so the pin answers later questions: compare-answers.svelte.ts);
// at most MAX_PINS are kept (the oldest goes). If IndexedDB is unavailable the pins live until the
// tab closes and `message` says so. Not here: drawing (ComparePanel.svelte).
import type { LabSession } from './lab-session.svelte.ts';
import { pinHash, type LabExperiment } from './lab-hash.ts';
import { PinStore, type PinnedProbe, type PinnedRun } from './pin-store.ts';
import type { LabResult, ProbeImage } from '../../worker/lab-protocol.ts';

export const MAX_PINS = 6;

/** Short name of a pin for legends and table heads: "pin 2: GA, step 30". */
export const pinLabel = (pin: PinnedRun, index: number): string =>
  `pin ${index + 1}: ${pin.config.method.toUpperCase()}${pin.config.bgd ? '+BGD' : ''}, step ${pin.step}`;

/** A probe picture as the compare table names it. */
export const imageLabel = (image: ProbeImage | null): string =>
  !image ? 'no image' : 'personId' in image ? `person ${image.personId} × event ${image.eventId} (render ${image.variant})` : 'your image';

/** A probe's question and answers as a pin keeps them. */
export const pinnedProbe = (question: string, image: ProbeImage | null, answer: LabResult<'ask'>): PinnedProbe => ({
  question, image: imageLabel(image), base: answer.base.text, current: answer.current.text, verdict: answer.verdict.current.verdict, step: answer.step,
});

export function probeOf(session: LabSession): PinnedProbe | null {
  const p = session.probe;
  return p ? pinnedProbe(p.question, p.image, p.answer) : null;
}

export class CompareShelf {
  pins = $state.raw<PinnedRun[]>([]);
  loaded = $state(false);
  /** A pin is being made (its weights read from the worker). */
  pinning = $state(false);
  message = $state<string | null>(null);
  /** Settles once the stored pins are read (or could not be). */
  readonly ready: Promise<void>;
  private readonly store: Promise<PinStore | null>;

  constructor(open: () => Promise<PinStore> = () => PinStore.open()) {
    this.store = open().catch((error: unknown) => {
      this.message = `pinned runs are kept only until this tab closes: IndexedDB is unavailable (${error instanceof Error ? error.message : String(error)})`;
      return null;
    });
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    const store = await this.store;
    try {
      if (store) this.pins = await store.list();
    } catch (error) {
      this.message = `the pinned runs could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.loaded = true;
  }

  /** Why the current run cannot be pinned now, or null. */
  static blocked(session: LabSession): string | null {
    if (!session.configured || !session.status) return 'no run is prepared yet';
    if (session.running) return 'pause or wait for the run to finish first';
    if (session.metrics.length === 0) return 'wait until step 0 is measured';
    return null;
  }

  /** Pins the current run; the pin, or null when it cannot be pinned now. */
  async pin(session: LabSession): Promise<PinnedRun | null> {
    if (CompareShelf.blocked(session) || this.pinning) return null;
    this.pinning = true;
    try {
      return await this.pinNow(session);
    } finally {
      this.pinning = false;
    }
  }

  private async pinNow(session: LabSession): Promise<PinnedRun | null> {
    // The weights let the pin answer questions asked later; a pin without them still compares numbers.
    const read = await session.request('weights', {}).catch(() => null);
    if (CompareShelf.blocked(session)) return null;
    const status = session.status!;
    const weights = read?.step === status.step ? read : null;
    const evaluation = session.evaluation && session.evaluation.step === status.step ? $state.snapshot(session.evaluation) : null;
    const pin: PinnedRun = {
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      hash: pinHash($state.snapshot(session.experiment) as LabExperiment, status.step, status.totalSteps),
      config: $state.snapshot(session.configured!.config),
      step: status.step,
      metrics: $state.snapshot(session.metrics),
      losses: session.steps.map((s) => ({ step: s.step, loss: s.loss })),
      evaluation,
      probe: probeOf(session),
      weights,
      pinnedAt: Date.now(),
    };
    const dropped = this.pins.length >= MAX_PINS ? this.pins.slice(0, this.pins.length - MAX_PINS + 1) : [];
    this.pins = [...this.pins.filter((p) => !dropped.includes(p)), pin];
    await this.write(async (store) => {
      for (const old of dropped) await store.delete(old.id);
      await store.put(pin);
    });
    return pin;
  }

  async unpin(id: string): Promise<void> {
    this.pins = this.pins.filter((p) => p.id !== id);
    await this.write((store) => store.delete(id));
  }

  private async write(work: (store: PinStore) => Promise<void>): Promise<void> {
    const store = await this.store;
    if (!store) return;
    try {
      await work(store);
    } catch (error) {
      this.message = `the pinned runs could not be saved (they stay until the tab closes): ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
