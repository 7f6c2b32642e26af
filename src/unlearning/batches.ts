// Which rows step s trains on, from the seed and s alone (so a run replays exactly): the forget part
// of the batch (all of it for methods without a retain term, else half) cycles through the forget
// units in a fresh seeded order per pass; the retain part does the same over retain rows. With BGD
// the forget part is split evenly between person and event units, each cycling on its own.
// Not here: turning rows into feeds (step-feeds in driver.ts) or building rows (rows.ts).
import { Rng } from '../core/rng.ts';
import type { ForgetConcept } from '../world/index.ts';
import type { MethodDef } from './method.ts';
import type { UnlearnData } from './rows.ts';

export interface BatchPlan {
  /** Row indices into data.forget / data.retain, in batch order: forget rows first. */
  forgetRows: number[];
  retainRows: number[];
  /** Pair methods: positions in the batch of each (refusal, true answer) twin. */
  pairs: { preferred: number; dispreferred: number }[];
}

export interface BatchShape {
  /** Rows per step. */
  batch: number;
  /** Forget units per step, and for pair methods the twins per step. */
  forgetUnits: number;
  retainRows: number;
}

/** How a batch of `batch` rows splits between forget units and retain rows for this method. */
export function batchShape(method: MethodDef, batch: number): BatchShape {
  if (!Number.isInteger(batch) || batch < 2) throw new RangeError(`batch must be an integer >= 2, got ${batch}`);
  const forgetSlots = method.needs.retain ? Math.ceil(batch / 2) : batch;
  const forgetUnits = method.needs.pairs ? Math.max(1, Math.floor(forgetSlots / 2)) : forgetSlots;
  const forgetRows = method.needs.pairs ? forgetUnits * 2 : forgetUnits;
  return { batch: forgetRows + (method.needs.retain ? batch - forgetSlots : 0), forgetUnits, retainRows: method.needs.retain ? batch - forgetSlots : 0 };
}

/** Draws the k-th, (k+1)-th ... items of an endless sequence of seeded permutations of 0..n-1. */
class Cycle {
  private epoch = -1;
  private order: number[] = [];

  constructor(private readonly n: number, private readonly rng: Rng) {}

  at(k: number): number {
    const epoch = Math.floor(k / this.n);
    if (epoch !== this.epoch) {
      this.epoch = epoch;
      this.order = this.rng.fork(`pass/${epoch}`).shuffle([...Array(this.n).keys()]);
    }
    return this.order[k % this.n];
  }
}

export class UnlearnBatcher {
  readonly shape: BatchShape;
  private readonly pools: { concept: ForgetConcept | null; units: number[]; cycle: Cycle; share: number }[];
  private readonly retain: Cycle | null;

  constructor(private readonly data: UnlearnData, method: MethodDef, options: { batch: number; seed: number; balanced: boolean }) {
    this.shape = batchShape(method, options.batch);
    const rng = new Rng(options.seed, 'unlearn/batches');
    if (data.units.length === 0) throw new RangeError('the request has no forget rows: nothing to unlearn');
    const concepts = [...new Set(data.units.map((u) => u.concept))];
    if (options.balanced && concepts.length < 2) throw new RangeError('BGD balances person and event forget rows: use it with a joint (both) request');
    const groups: (ForgetConcept | null)[] = options.balanced ? concepts : [null];
    const per = this.shape.forgetUnits;
    this.pools = groups.map((concept, i) => {
      const units = data.units.flatMap((u, index) => (concept === null || u.concept === concept ? [index] : []));
      // Split the forget units of a step as evenly as possible (the first group gets the odd one).
      const share = Math.floor(per / groups.length) + (i < per % groups.length ? 1 : 0);
      return { concept, units, cycle: new Cycle(units.length, rng.fork(`forget/${concept ?? 'all'}`)), share };
    });
    if (this.shape.retainRows > 0 && data.retain.length === 0) throw new RangeError('this method needs retain rows but the request has none');
    this.retain = this.shape.retainRows > 0 ? new Cycle(data.retain.length, rng.fork('retain')) : null;
  }

  /** The rows of step `step` (1-based). */
  at(step: number): BatchPlan {
    if (!Number.isInteger(step) || step < 1) throw new RangeError(`step must be a positive integer, got ${step}`);
    const forgetRows: number[] = [];
    const pairs: BatchPlan['pairs'] = [];
    for (const pool of this.pools) {
      for (let j = 0; j < pool.share; j++) {
        const unit = this.data.units[pool.units[pool.cycle.at((step - 1) * pool.share + j)]];
        if (unit.rows.length === 2) pairs.push({ preferred: forgetRows.length, dispreferred: forgetRows.length + 1 });
        forgetRows.push(...unit.rows);
      }
    }
    const retainRows: number[] = [];
    const n = this.shape.retainRows;
    for (let j = 0; j < n; j++) retainRows.push(this.retain!.at((step - 1) * n + j));
    return { forgetRows, retainRows, pairs };
  }
}
