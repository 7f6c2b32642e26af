// The pinned runs' answers to the probe's current question, for the compare table: every pin that
// kept its weights is asked (the worker answers with them: `ask` with `weights`), one pin at a time,
// and each answer is kept per pin, question and picture, so a question is asked of a pin once. A
// newer question drops the older one's unasked pins. Pins kept before weights were stored show the
// answer they kept when it is to the same question, else say why they cannot answer.
// Not here: the pins (compare.svelte.ts), the table (compare-rows.ts, ComparePanel.svelte).
import { SvelteMap } from 'svelte/reactivity';
import type { LabResult, PinnedWeights, ProbeImage } from '../../worker/lab-protocol.ts';
import { LabClientError } from '../lab-client.ts';
import { imageLabel, pinnedProbe } from './compare.svelte.ts';
import type { PinnedProbe, PinnedRun } from './pin-store.ts';

export interface ProbeTarget {
  question: string;
  image: ProbeImage | null;
}

/** What the table shows of one pin for the current question: its answer, or why there is none (yet). */
export type PinAnswer = { answer: PinnedProbe } | { note: string };

export type AskPinned = (target: ProbeTarget, weights: PinnedWeights) => Promise<LabResult<'ask'>>;

export const ASKING_NOTE = 'asking…';
export const NO_WEIGHTS_NOTE = 'cannot answer: pinned before pins kept their weights (pin it again)';

/** Uploaded pictures by their pixels, numbered as first seen (world renders are named by their key). */
const uploads = new WeakMap<object, number>();
let uploadsSeen = 0;

function targetKey({ question, image }: ProbeTarget): string {
  if (image === null || 'personId' in image) return `${imageLabel(image)}|${question}`;
  if (!uploads.has(image.rgba)) uploads.set(image.rgba, ++uploadsSeen);
  return `upload ${uploads.get(image.rgba)}|${question}`;
}

export class PinAnswers {
  private readonly answers = new SvelteMap<string, PinAnswer>();
  /** Answers that failed for a passing reason: asked again on the next request. */
  private readonly retry = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private latest: string | null = null;

  constructor(private readonly ask: AskPinned) {}

  /** What `pin` says to `target`: its answer, 'asking…', or why it cannot answer. */
  of(pin: PinnedRun, target: ProbeTarget): PinAnswer {
    if (!pin.weights) {
      const kept = pin.probe && pin.probe.question === target.question && pin.probe.image === imageLabel(target.image) ? pin.probe : null;
      return kept ? { answer: kept } : { note: NO_WEIGHTS_NOTE };
    }
    return this.answers.get(`${pin.id}|${targetKey(target)}`) ?? { note: ASKING_NOTE };
  }

  /** Asks `target` of every pin in `pins` that kept its weights and has not answered it; resolves when they have. */
  request(pins: readonly PinnedRun[], target: ProbeTarget): Promise<void> {
    const key = targetKey(target);
    this.latest = key;
    this.queue = this.queue.then(async () => {
      for (const pin of pins) {
        const at = `${pin.id}|${key}`;
        if (this.latest !== key) return;
        if (!pin.weights || (this.answers.has(at) && !this.retry.has(at))) continue;
        this.retry.delete(at);
        try {
          const answer = await this.ask(target, { id: pin.id, state: pin.weights });
          this.answers.set(at, { answer: pinnedProbe(target.question, target.image, answer) });
        } catch (error) {
          // Refused weights stay refused; anything else (the model reloading, a lost device) is asked again next time.
          if (!(error instanceof LabClientError && error.kind === 'bad-input')) this.retry.add(at);
          this.answers.set(at, { note: `could not answer: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    });
    return this.queue;
  }
}
