// The Finetune model's reference values for a run's rows: each forget row's sequence log-prob (NPO,
// DPO) and each retain row's answer logits (KL), computed once per row, either all before the first
// step (`ensureAll`) or per batch when a step first needs them (`ensure`), so a run can take its
// first step without scoring every row. The scoring session is opened once per request and shared.
// Not here: the objectives that read them (objectives.ts, step-graph.ts) or which rows a step takes.
import type { PeTinyConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { FeatureCache } from './features.ts';
import type { MethodDef } from './method.ts';
import type { UnlearnData } from './rows.ts';
import { RowScorer } from './scorer.ts';

/** Rows per reference scoring run. */
const REFERENCE_BATCH = 16;

/**
 * Scoring sessions with the Finetune weights uploaded, opened on first use (one with logits, one
 * without) and kept: the lab shares them between every run of a request.
 */
export class ReferenceScorers {
  private readonly opened = new Map<boolean, Promise<RowScorer>>();

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

  /** The values of these forget and retain rows (by index), computing the missing ones. */
  async ensure(forgetRows: readonly number[], retainRows: readonly number[]): Promise<void> {
    const sequence = this.sequence;
    const forget = sequence ? forgetRows.filter((i) => Number.isNaN(sequence[i])) : [];
    const retain = this.logits ? retainRows.filter((i) => !this.logitsDone[i]) : [];
    if (forget.length === 0 && retain.length === 0) return;
    await this.features.ensure([...forget.map((i) => this.data.forget[i].image), ...retain.map((i) => this.data.retain[i].image)]);
    if (sequence && forget.length) {
      const scorer = await this.scorers.scorer(false);
      const scores = await scorer.score(forget.map((i) => this.data.forget[i].row), (k) => this.features.get(this.data.forget[forget[k]].image));
      forget.forEach((i, k) => (sequence[i] = scores[k].sequenceLogProb));
    }
    if (this.logits && retain.length) {
      const scorer = await this.scorers.scorer(true);
      const scores = await scorer.score(retain.map((i) => this.data.retain[i].row), (k) => this.features.get(this.data.retain[retain[k]].image), { logits: true });
      retain.forEach((i, k) => {
        this.logits![i] = scores[k].logits ?? null;
        this.logitsDone[i] = 1;
      });
    }
  }
}
