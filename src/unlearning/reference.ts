// The Finetune model's reference values for a run's rows: each forget row's sequence log-prob (NPO,
// DPO) and each retain row's answer logits (KL), computed once per row, either all before the first
// step (`ensureAll`) or per batch when a step first needs them (`ensure`), or in small background
// chunks (`chunks`). ReferenceScorers holds the scoring sessions and keeps every value by row, so
// the runs of a model (the lab's resets and changed settings) never score a row twice.
// Not here: the objectives that read them (objectives.ts, step-graph.ts) or which rows a step takes.
import type { PeTinyConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import type { PackedRow } from '../model/sequence.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { imageKeyId } from '../world/index.ts';
import type { FeatureCache } from './features.ts';
import type { MethodDef } from './method.ts';
import type { UnlearnData, UnlearnRow } from './rows.ts';
import { RowScorer } from './scorer.ts';

/** Rows per reference scoring run. */
export const REFERENCE_BATCH = 16;

/** A row's identity for the value cache: its image and every token, target and loss position. */
const rowKey = (r: UnlearnRow): string => `${imageKeyId(r.image)}|${r.row.inputIds.join(',')}|${r.row.targets.join(',')}|${maskKey(r.row)}`;
const maskKey = (row: PackedRow): string => row.lossMask.reduce((s: string, m, t) => (m > 0 ? `${s}${t},` : s), '');

/**
 * Scoring sessions with the Finetune weights uploaded, opened on first use (one with logits, one
 * without), and the values computed so far by row: the lab shares one for every run of its model.
 */
export class ReferenceScorers {
  private readonly opened = new Map<boolean, Promise<RowScorer>>();
  readonly sequences = new Map<string, number>();
  readonly logits = new Map<string, Float32Array | null>();

  constructor(private readonly runtime: Runtime, private readonly model: { cfg: PeTinyConfig; params: Params }, private readonly seqLen: number) {}

  scorer(logits: boolean): Promise<RowScorer> {
    let opening = this.opened.get(logits);
    if (!opening) {
      opening = (async () => {
        const scorer = await RowScorer.open(this.runtime, this.model.cfg, this.model.params, { batch: REFERENCE_BATCH, seqLen: this.seqLen, logits }, 'Finetune reference');
        await scorer.setParams(this.model.params);
        return scorer;
      })();
      opening.catch(() => this.opened.delete(logits));
      this.opened.set(logits, opening);
    }
    return opening;
  }

  async dispose(): Promise<void> {
    for (const opening of this.opened.values()) await opening.then((s) => s.dispose(), () => {});
    this.opened.clear();
    this.sequences.clear();
    this.logits.clear();
  }
}

export class RowReferences {
  /** Per forget row (NaN until computed), when the method needs it. */
  readonly sequence: Float32Array | null;
  /** Per retain row, when the method needs them. */
  readonly logits: (Float32Array | null)[] | null;
  private readonly logitsDone: Uint8Array;

  constructor(
    private readonly data: UnlearnData,
    needs: MethodDef['needs'],
    private readonly scorers: ReferenceScorers,
    private readonly features: FeatureCache,
  ) {
    this.sequence = needs.referenceSequence ? new Float32Array(data.forget.length).fill(Number.NaN) : null;
    this.logits = needs.referenceLogits ? new Array<Float32Array | null>(data.retain.length).fill(null) : null;
    this.logitsDone = new Uint8Array(needs.referenceLogits ? data.retain.length : 0);
  }

  /** Every row's values (and every row's image features): what a run needs before its first step. */
  ensureAll(): Promise<void> {
    return this.ensure(this.data.forget.map((_, i) => i), this.data.retain.map((_, i) => i));
  }

  /**
   * What is still missing, as short pieces of work (encoding one batch's images, then scoring it),
   * each to be run on its own when there is time; a piece finds what later steps already did.
   */
  chunks(): (() => Promise<void>)[] {
    const sequence = this.sequence;
    const { sequences, logits } = this.scorers;
    // Rows another run of the model scored are not missing: a step copies their values at once.
    const forget = sequence ? this.data.forget.map((_, i) => i).filter((i) => Number.isNaN(sequence[i]) && !sequences.has(rowKey(this.data.forget[i]))) : [];
    const retain = this.logits ? this.data.retain.map((_, i) => i).filter((i) => !this.logitsDone[i] && !logits.has(rowKey(this.data.retain[i]))) : [];
    const pieces: (() => Promise<void>)[] = [];
    const add = (indices: number[], rows: UnlearnRow[], ensure: (part: number[]) => Promise<void>) => {
      for (let at = 0; at < indices.length; at += REFERENCE_BATCH) {
        const part = indices.slice(at, at + REFERENCE_BATCH);
        pieces.push(() => this.features.ensure(part.map((i) => rows[i].image)), () => ensure(part));
      }
    };
    add(forget, this.data.forget, (part) => this.ensure(part, []));
    add(retain, this.data.retain, (part) => this.ensure([], part));
    return pieces;
  }

  /** The values of these forget and retain rows (by index), computing those no run of the model has. */
  async ensure(forgetRows: readonly number[], retainRows: readonly number[]): Promise<void> {
    const { sequences, logits: keptLogits } = this.scorers;
    const sequence = this.sequence;
    const forget = sequence ? forgetRows.filter((i) => Number.isNaN(sequence[i])) : [];
    const retain = this.logits ? retainRows.filter((i) => !this.logitsDone[i]) : [];
    const forgetMissing: number[] = [];
    for (const i of forget) {
      const kept = sequences.get(rowKey(this.data.forget[i]));
      if (kept === undefined) forgetMissing.push(i);
      else sequence![i] = kept;
    }
    const retainMissing: number[] = [];
    for (const i of retain) {
      const key = rowKey(this.data.retain[i]);
      if (!keptLogits.has(key)) retainMissing.push(i);
      else this.setLogits(i, keptLogits.get(key)!);
    }
    if (forgetMissing.length === 0 && retainMissing.length === 0) return;
    await this.features.ensure([...forgetMissing.map((i) => this.data.forget[i].image), ...retainMissing.map((i) => this.data.retain[i].image)]);
    if (sequence && forgetMissing.length) {
      const scorer = await this.scorers.scorer(false);
      const rows = forgetMissing.map((i) => this.data.forget[i]);
      const scores = await scorer.score(rows.map((r) => r.row), (k) => this.features.get(rows[k].image));
      forgetMissing.forEach((i, k) => {
        sequence[i] = scores[k].sequenceLogProb;
        sequences.set(rowKey(rows[k]), sequence[i]);
      });
    }
    if (this.logits && retainMissing.length) {
      const scorer = await this.scorers.scorer(true);
      const rows = retainMissing.map((i) => this.data.retain[i]);
      const scores = await scorer.score(rows.map((r) => r.row), (k) => this.features.get(rows[k].image), { logits: true });
      retainMissing.forEach((i, k) => {
        const value = scores[k].logits ?? null;
        this.setLogits(i, value);
        keptLogits.set(rowKey(rows[k]), value);
      });
    }
  }

  private setLogits(i: number, value: Float32Array | null): void {
    this.logits![i] = value;
    this.logitsDone[i] = 1;
  }
}
