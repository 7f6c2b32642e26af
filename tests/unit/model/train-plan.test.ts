import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_SETTINGS, batchPosition, learningRate, planTraining, type TrainSettings } from '../../../src/model/train-plan.ts';

const micro: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS, world: { persons: 6, events: 3 }, modelSize: 'test', seqLen: 96, batchSize: 4, epochs: 2, textRepeat: 3,
};

describe('learning-rate schedule', () => {
  const s = { lr: 1e-3, warmupSteps: 10, minLrRatio: 0.1 };
  it('warms up linearly, peaks, then follows a cosine to the floor', () => {
    expect(learningRate(s, 1, 110)).toBeCloseTo(1e-4, 15);
    expect(learningRate(s, 10, 110)).toBeCloseTo(1e-3, 15);
    // halfway through the decay: floor + (peak - floor) / 2
    expect(learningRate(s, 60, 110)).toBeCloseTo(1e-4 + 0.45e-3, 12);
    expect(learningRate(s, 110, 110)).toBeCloseTo(1e-4, 15);
    for (let step = 11; step < 110; step++) expect(learningRate(s, step + 1, 110)).toBeLessThanOrEqual(learningRate(s, step, 110));
  });
});

describe('planTraining', () => {
  it('repeats text-only rows and counts steps from the rows', () => {
    const once = planTraining({ ...micro, textRepeat: 1 });
    const plan = planTraining(micro);
    const text = (p: typeof plan) => p.rows.filter((r) => r.image === null).length;
    expect(text(plan)).toBe(3 * text(once));
    expect(plan.rows.length - text(plan)).toBe(once.rows.length - text(once));
    expect(plan.stepsPerEpoch).toBe(Math.ceil(plan.rows.length / 4));
    expect(plan.totalSteps).toBe(2 * plan.stepsPerEpoch);
    expect(batchPosition(plan, 1)).toEqual({ epoch: 0, index: 0 });
    expect(batchPosition(plan, plan.stepsPerEpoch + 1)).toEqual({ epoch: 1, index: 0 });
  });

  it('gives the same augmented batch for the same position (what resuming relies on)', () => {
    const a = planTraining(micro).batcher.batchAt(1, 2);
    const b = planTraining(micro).batcher.batchAt(1, 2);
    expect(a.rowIndices).toEqual(b.rowIndices);
    expect(a.pixels.data).toEqual(b.pixels.data);
    const plain = planTraining({ ...micro, augment: false }).batcher.batchAt(1, 2);
    expect(plain.rowIndices).toEqual(a.rowIndices);
    expect(plain.pixels.data).not.toEqual(a.pixels.data);
  });

  it('leaves the forgotten persons and events out of a Goal plan', () => {
    const plan = planTraining({ ...micro, world: { persons: 20, events: 20 }, retainOnly: { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 } });
    const splits = plan.splits!;
    expect(splits.forgetPersons.length).toBeGreaterThan(0);
    for (const r of plan.rows) {
      if (r.image) expect(splits.forgetPersons.includes(r.image.personId) || splits.forgetEvents.includes(r.image.eventId)).toBe(false);
      else expect(splits.forgetPersons).not.toContain(r.personId);
    }
  });

  it('rejects bad settings with the field name', () => {
    expect(() => planTraining({ ...micro, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => planTraining({ ...micro, lr: 2 })).toThrow(/lr must be/);
    expect(() => planTraining({ ...micro, seqLen: 500 })).toThrow(/exceeds/);
  });
});
