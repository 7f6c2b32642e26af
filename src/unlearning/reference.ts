// The Finetune model's reference values for a run's rows, computed once per row: each forget row's
// sequence log-prob (NPO, DPO), answer logits of retain rows (KL, SIU) and of forget rows (SIU), and
// the output of one decoder block on retain rows (RMU). Either all before the first step
// (`ensureAll`), per batch when a step first needs them (`ensure`), or in small background chunks
// (`chunks`). ReferenceScorers holds the scoring sessions and keeps every value by row, so the runs
// of a model (the lab's resets and changed settings) never score a row twice.
// Not here: the objectives that read them (objectives.ts, the method files) or which rows a step takes.
import type { PeTinyConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import type { PackedRow } from '../model/sequence.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { imageKeyId } from '../world/index.ts';
import type { FeatureCache } from './features.ts';
import type { MethodDef } from './method.ts';
import type { UnlearnData, UnlearnRow } from './rows.ts';
import { RowScorer, type RowScore } from './scorer.ts';

/** Rows per reference scoring run. */
export const REFERENCE_BATCH = 16;

/** A row's identity for the value cache: its image and every token, target and loss position. */
const rowKey = (r: UnlearnRow): string => `${imageKeyId(r.image)}|${r.row.inputIds.join(',')}|${r.row.targets.join(',')}|${maskKey(r.row)}`;
const maskKey = (row: PackedRow): string => row.lossMask.reduce((s: string, m, t) => (m > 0 ? `${s}${t},` : s), '');

/** What a scoring session gives besides log-probs: nothing, logits, or a decoder block's output. */
type ScorerKind = { logits?: boolean; hiddenLayer?: number };
const kindKey = (k: ScorerKind): string => (k.hiddenLayer !== undefined ? `hidden${k.hiddenLayer}` : k.logits ? 'logits' : 'plain');

/**
 * Scoring sessions with the Finetune weights uploaded, opened on first use (one per kind of value),
 * and the values computed so far by row: the lab shares one for every run of its model.
 */
export class ReferenceScorers {
  private readonly opened = new Map<string, Promise<RowScorer>>();
  readonly sequences = new Map<string, number>();
  readonly logits = new Map<string, Float32Array | null>();
  /** By `<layer>|<row key>`. */
  readonly hidden = new Map<string, Float32Array | null>();

  constructor(private readonly runtime: Runtime, private readonly model: { cfg: PeTinyConfig; params: Params }, private readonly seqLen: number) {}

  scorer(kind: boolean | ScorerKind): Promise<RowScorer> {
    const k: ScorerKind = typeof kind === 'boolean' ? { logits: kind } : kind;
    const key = kindKey(k);
    let opening = this.opened.get(key);
    if (!opening) {
      opening = (async () => {
        const options = { batch: REFERENCE_BATCH, seqLen: this.seqLen, logits: k.logits, hiddenLayer: k.hiddenLayer };
        const scorer = await RowScorer.open(this.runtime, this.model.cfg, this.model.params, options, 'Finetune reference');
        await scorer.setParams(this.model.params);
        return scorer;
      })();
      opening.catch(() => this.opened.delete(key));
      this.opened.set(key, opening);
    }
    return opening;
  }

  async dispose(): Promise<void> {
    for (const opening of this.opened.values()) await opening.then((s) => s.dispose(), () => {});
    this.opened.clear();
    this.sequences.clear();
    this.logits.clear();
    this.hidden.clear();
  }
}

/** One kind of per-row array value (logits or hidden states at the answer positions) of one row set. */
class RowValues {
  readonly values: (Float32Array | null)[];
  private readonly done: Uint8Array;

  constructor(
    private readonly rows: readonly UnlearnRow[],
    private readonly kept: Map<string, Float32Array | null>,
    private readonly prefix: string,
    private readonly read: (score: RowScore) => Float32Array | undefined,
    readonly kind: ScorerKind,
  ) {
    this.values = new Array<Float32Array | null>(rows.length).fill(null);
    this.done = new Uint8Array(rows.length);
  }

  private key(i: number): string {
    return this.prefix + rowKey(this.rows[i]);
  }

  /** Rows no run of the model has scored yet. */
  unknown(indices: readonly number[]): number[] {
    return indices.filter((i) => !this.done[i] && !this.kept.has(this.key(i)));
  }

  /** Copies what other runs scored; returns the rows still to score. */
  take(indices: readonly number[]): number[] {
    const missing: number[] = [];
    for (const i of indices) {
      if (this.done[i]) continue;
      const key = this.key(i);
      if (this.kept.has(key)) this.set(i, this.kept.get(key)!);
      else missing.push(i);
    }
    return missing;
  }

  async score(indices: readonly number[], scorers: ReferenceScorers, features: FeatureCache): Promise<void> {
    if (indices.length === 0) return;
    const scorer = await scorers.scorer(this.kind);
    const rows = indices.map((i) => this.rows[i]);
    const what = { logits: this.kind.logits, hidden: this.kind.hiddenLayer !== undefined };
    const scores = await scorer.score(rows.map((r) => r.row), (k) => features.get(rows[k].image), what);
    indices.forEach((i, k) => {
      const value = this.read(scores[k]) ?? null;
      this.set(i, value);
      this.kept.set(this.key(i), value);
    });
  }

  private set(i: number, value: Float32Array | null): void {
    this.values[i] = value;
    this.done[i] = 1;
  }
}

export class RowReferences {
  /** Per forget row (NaN until computed), when the method needs it. */
  readonly sequence: Float32Array | null;
  /** Finetune logits (answer tokens x V) per retain row, when the method needs them (KL, SIU). */
  readonly logits: (Float32Array | null)[] | null;
  /** The same per forget row (SIU). */
  readonly forgetLogits: (Float32Array | null)[] | null;
  /** Finetune's output of block `hiddenLayer` (answer tokens x D) per retain row (RMU). */
  readonly hidden: (Float32Array | null)[] | null;
  private readonly forgetValues: RowValues[] = [];
  private readonly retainValues: RowValues[] = [];

  constructor(
    private readonly data: UnlearnData,
    needs: MethodDef['needs'],
    private readonly scorers: ReferenceScorers,
    private readonly features: FeatureCache,
    hiddenLayer = 0,
  ) {
    this.sequence = needs.referenceSequence ? new Float32Array(data.forget.length).fill(Number.NaN) : null;
    const values = (rows: UnlearnRow[], kind: ScorerKind, list: RowValues[]) => {
      const hidden = kind.hiddenLayer !== undefined;
      const v = new RowValues(rows, hidden ? scorers.hidden : scorers.logits, hidden ? `${kind.hiddenLayer}|` : '', (s) => (hidden ? s.hidden : s.logits), kind);
      list.push(v);
      return v.values;
    };
    this.logits = needs.referenceLogits ? values(data.retain, { logits: true }, this.retainValues) : null;
    this.forgetLogits = needs.referenceForgetLogits ? values(data.forget, { logits: true }, this.forgetValues) : null;
    this.hidden = needs.referenceHidden ? values(data.retain, { hiddenLayer }, this.retainValues) : null;
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
    const all = (rows: readonly unknown[]) => rows.map((_, i) => i);
    const missingSequence = sequence ? all(this.data.forget).filter((i) => Number.isNaN(sequence[i]) && !this.scorers.sequences.has(rowKey(this.data.forget[i]))) : [];
    // Rows another run of the model scored are not missing: a step copies their values at once.
    const forget = [...new Set([...missingSequence, ...this.forgetValues.flatMap((v) => v.unknown(all(this.data.forget)))])].sort((a, b) => a - b);
    const retain = [...new Set(this.retainValues.flatMap((v) => v.unknown(all(this.data.retain))))].sort((a, b) => a - b);
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
    const { sequences } = this.scorers;
    const sequence = this.sequence;
    const forgetMissing: number[] = [];
    for (const i of sequence ? forgetRows.filter((r) => Number.isNaN(sequence[r])) : []) {
      const kept = sequences.get(rowKey(this.data.forget[i]));
      if (kept === undefined) forgetMissing.push(i);
      else sequence![i] = kept;
    }
    const forgetTodo = this.forgetValues.map((v) => v.take(forgetRows));
    const retainTodo = this.retainValues.map((v) => v.take(retainRows));
    const images = [...forgetMissing, ...forgetTodo.flat()].map((i) => this.data.forget[i].image).concat(retainTodo.flat().map((i) => this.data.retain[i].image));
    if (images.length === 0) return;
    await this.features.ensure(images);
    if (sequence && forgetMissing.length) {
      const scorer = await this.scorers.scorer(false);
      const rows = forgetMissing.map((i) => this.data.forget[i]);
      const scores = await scorer.score(rows.map((r) => r.row), (k) => this.features.get(rows[k].image));
      forgetMissing.forEach((i, k) => {
        sequence[i] = scores[k].sequenceLogProb;
        sequences.set(rowKey(rows[k]), sequence[i]);
      });
    }
    for (let k = 0; k < this.forgetValues.length; k++) await this.forgetValues[k].score(forgetTodo[k], this.scorers, this.features);
    for (let k = 0; k < this.retainValues.length; k++) await this.retainValues[k].score(retainTodo[k], this.scorers, this.features);
  }
}
