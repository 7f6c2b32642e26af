// Which rows each unlearning step trains on (batches.ts): the documented split of a batch between
// forget units and retain rows, replay from the seed alone (same seed, same batches, in any call
// order), every forget unit and retain row drawn once per pass, BGD's even person/event split, DPO
// twin positions, and the refusals of requests that cannot be batched.
import { describe, expect, it } from 'vitest';
import { UnlearnBatcher, batchShape, type BatchPlan } from '../../../src/unlearning/batches.ts';
import { METHODS, getMethod } from '../../../src/unlearning/registry.ts';
import { unlearningRows, type UnlearnData } from '../../../src/unlearning/rows.ts';
import { defaultSplits, smallCfg, smallTokenizer } from './fixture.ts';

const splitsOf = (name: string) => defaultSplits.find(([n]) => n === name)![1];
const dataOf = (request: string, methodId: string): UnlearnData =>
  unlearningRows(splitsOf(request), smallTokenizer, smallCfg, getMethod(methodId), { seqLen: 64, seed: 0 });
const plans = (batcher: UnlearnBatcher, steps: number): BatchPlan[] => Array.from({ length: steps }, (_, s) => batcher.at(s + 1));

/** Forget unit index of each forget row (every row belongs to one unit). */
const unitOfRow = (data: UnlearnData): Map<number, number> => new Map(data.units.flatMap((u, k) => u.rows.map((r) => [r, k] as const)));

/** The units a plan draws, in order (pairs contribute one unit per twin). */
function unitsDrawn(data: UnlearnData, plan: BatchPlan): number[] {
  const owner = unitOfRow(data);
  const out: number[] = [];
  for (let i = 0; i < plan.forgetRows.length; ) {
    const unit = owner.get(plan.forgetRows[i])!;
    out.push(unit);
    i += data.units[unit].rows.length;
  }
  return out;
}

/** Splits a draw sequence into passes of n and checks each full pass is a permutation of `pool`. */
function expectOncePerPass(draws: number[], pool: number[]): void {
  const n = pool.length;
  const sorted = [...pool].sort((a, b) => a - b);
  expect(draws.length).toBeGreaterThanOrEqual(2 * n);
  for (let at = 0; at + n <= draws.length; at += n) expect(draws.slice(at, at + n).sort((a, b) => a - b)).toEqual(sorted);
  // A fresh order per pass (not the same permutation repeated).
  expect(draws.slice(0, n)).not.toEqual(draws.slice(n, 2 * n));
}

describe('batchShape', () => {
  it.each(METHODS.map((m) => m.id))('%s splits a batch as documented', (id) => {
    const method = getMethod(id);
    for (let batch = 2; batch <= 17; batch++) {
      const shape = batchShape(method, batch);
      if (!method.needs.retain) {
        expect(shape).toEqual({ batch, forgetUnits: batch, retainRows: 0 });
        continue;
      }
      // Half the rows (rounded up) are forget slots, the rest retain rows.
      const forgetSlots = Math.ceil(batch / 2);
      expect(shape.retainRows).toBe(batch - forgetSlots);
      if (method.needs.pairs) {
        // Twins take two slots each; at least one twin per step; an odd slot stays empty.
        expect(shape.forgetUnits).toBe(Math.max(1, Math.floor(forgetSlots / 2)));
        expect(shape.batch).toBe(2 * shape.forgetUnits + shape.retainRows);
      } else {
        expect(shape.forgetUnits).toBe(forgetSlots);
        expect(shape.batch).toBe(batch);
      }
    }
  });

  it('refuses batches below 2 or not whole', () => {
    for (const bad of [0, 1, 2.5, Number.NaN]) expect(() => batchShape(getMethod('gd'), bad)).toThrow(/batch must be an integer >= 2/);
  });
});

describe('UnlearnBatcher', () => {
  it('is a function of the seed and the step: same seed same batches, in any call order; another seed differs', () => {
    for (const [request, id] of [['persons', 'gd'], ['joint', 'dpo'], ['events', 'ga']] as const) {
      const data = dataOf(request, id);
      const method = getMethod(id);
      const a = plans(new UnlearnBatcher(data, method, { batch: 8, seed: 5, balanced: false }), 40);
      const b = plans(new UnlearnBatcher(data, method, { batch: 8, seed: 5, balanced: false }), 40);
      expect(b).toEqual(a);
      const backwards = new UnlearnBatcher(data, method, { batch: 8, seed: 5, balanced: false });
      const reversed = Array.from({ length: 40 }, (_, s) => backwards.at(40 - s)).reverse();
      expect(reversed).toEqual(a);
      const other = plans(new UnlearnBatcher(data, method, { batch: 8, seed: 6, balanced: false }), 40);
      expect(other).not.toEqual(a);
    }
  });

  it.each([['persons', 'ga'], ['persons', 'gd'], ['events', 'npo'], ['joint', 'kl'], ['joint', 'po'], ['joint', 'dpo']] as const)(
    '%s / %s: batches have the planned shape and draw every forget unit and retain row once per pass',
    (request, id) => {
      const data = dataOf(request, id);
      const method = getMethod(id);
      for (const batch of [4, 7]) {
        const batcher = new UnlearnBatcher(data, method, { batch, seed: 1, balanced: false });
        const { shape } = batcher;
        const unitsPerStep = shape.forgetUnits;
        const steps = Math.ceil((2 * Math.max(data.units.length / unitsPerStep, shape.retainRows ? data.retain.length / shape.retainRows : 0))) + 1;
        const all = plans(batcher, steps);
        for (const plan of all) {
          expect(plan.forgetRows.length + plan.retainRows.length).toBe(shape.batch);
          expect(plan.retainRows.length).toBe(shape.retainRows);
          expect(unitsDrawn(data, plan).length).toBe(unitsPerStep);
          // A unit's rows stay together, in unit order.
          const units = unitsDrawn(data, plan);
          expect(plan.forgetRows).toEqual(units.flatMap((u) => data.units[u].rows));
          for (const r of plan.retainRows) expect(r >= 0 && r < data.retain.length).toBe(true);
        }
        expectOncePerPass(all.flatMap((p) => unitsDrawn(data, p)), data.units.map((_, k) => k));
        if (shape.retainRows > 0) expectOncePerPass(all.flatMap((p) => p.retainRows), data.retain.map((_, k) => k));
      }
    },
  );

  it('DPO: pair positions point at each twin, refusal first', () => {
    const data = dataOf('joint', 'dpo');
    const batcher = new UnlearnBatcher(data, getMethod('dpo'), { batch: 8, seed: 2, balanced: false });
    for (const plan of plans(batcher, 30)) {
      expect(plan.pairs.length).toBe(batcher.shape.forgetUnits);
      expect(plan.pairs.flatMap((p) => [p.preferred, p.dispreferred])).toEqual(plan.forgetRows.map((_, i) => i));
      for (const p of plan.pairs) {
        const unit = data.units.find((u) => u.rows[0] === plan.forgetRows[p.preferred])!;
        expect(unit.rows).toEqual([plan.forgetRows[p.preferred], plan.forgetRows[p.dispreferred]]);
      }
    }
    const gd = new UnlearnBatcher(dataOf('joint', 'gd'), getMethod('gd'), { batch: 8, seed: 2, balanced: false });
    expect(gd.at(1).pairs).toEqual([]);
  });

  it('BGD: every batch splits its forget units evenly between person and event, each cycling on its own', () => {
    for (const id of ['gd', 'kl', 'npo']) {
      const data = dataOf('joint', id);
      const person = data.units.flatMap((u, k) => (u.concept === 'person' ? [k] : []));
      const event = data.units.flatMap((u, k) => (u.concept === 'event' ? [k] : []));
      // The pooled set is unbalanced, which is what BGD corrects.
      expect(person.length).not.toBe(event.length);
      for (const batch of [8, 6]) {
        const batcher = new UnlearnBatcher(data, getMethod(id), { batch, seed: 3, balanced: true });
        const perStep = batcher.shape.forgetUnits;
        const steps = 2 * Math.ceil(Math.max(person.length, event.length) / Math.floor(perStep / 2)) + 1;
        const all = plans(batcher, steps);
        const drawn = all.map((p) => unitsDrawn(data, p));
        for (const units of drawn) {
          const p = units.filter((u) => data.units[u].concept === 'person').length;
          const e = units.length - p;
          expect(p + e).toBe(perStep);
          // Even batches split exactly; an odd unit goes to one concept.
          if (perStep % 2 === 0) expect(p).toBe(e);
          else expect(Math.abs(p - e)).toBe(1);
        }
        expectOncePerPass(drawn.flat().filter((u) => data.units[u].concept === 'person'), person);
        expectOncePerPass(drawn.flat().filter((u) => data.units[u].concept === 'event'), event);
      }
    }
  });

  it('refuses what cannot be batched, saying why', () => {
    const persons = dataOf('persons', 'gd');
    expect(() => new UnlearnBatcher(persons, getMethod('gd'), { batch: 8, seed: 0, balanced: true })).toThrow(/joint \(both\) request/);
    expect(() => new UnlearnBatcher({ ...persons, forget: [], units: [] }, getMethod('gd'), { batch: 8, seed: 0, balanced: false })).toThrow(/no forget rows/);
    expect(() => new UnlearnBatcher({ ...persons, retain: [] }, getMethod('gd'), { batch: 8, seed: 0, balanced: false })).toThrow(/needs retain rows/);
    expect(() => new UnlearnBatcher({ ...persons, retain: [] }, getMethod('ga'), { batch: 8, seed: 0, balanced: false })).not.toThrow();
    const batcher = new UnlearnBatcher(persons, getMethod('gd'), { batch: 8, seed: 0, balanced: false });
    for (const bad of [0, -1, 1.5]) expect(() => batcher.at(bad)).toThrow(/positive integer/);
  });
});
