// Intervals over forget seeds: on hand-made per-seed values they equal an independent computation
// (Student's t quantiles from a table, not the library the module uses), seeds without a value are
// left out, and two summaries are told apart only when their intervals do not overlap.
import { describe, expect, it } from 'vitest';
import { compareIntervals, halfWidth, seedSummary } from '../../../src/eval/intervals.ts';

// t(0.975, df) from a printed table.
const T975: Record<number, number> = { 1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776 };

function byHand(values: number[]): { mean: number; half: number } {
  const k = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / k;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (k - 1);
  return { mean, half: T975[k - 1] * Math.sqrt(variance / k) };
}

describe('seedSummary', () => {
  it.each([[[63.3, 17.0, 9.0]], [[89.5, 100, 97.5, 60.7]], [[0.41, 0.52]], [[5, 5, 5]]])('equals the hand computation on %j', (values) => {
    const s = seedSummary(values);
    const { mean, half } = byHand(values);
    expect(s.mean).toBeCloseTo(mean, 10);
    // The table's quantiles have 3 decimals: agree to 1 part in 1000.
    expect(Math.abs(halfWidth(s)! - half)).toBeLessThanOrEqual(1e-3 * half + 1e-12);
    expect(Math.abs(s.ci95![0] - (mean - half))).toBeLessThanOrEqual(1e-3 * half + 1e-12);
    expect(s.perSeed).toEqual(values);
  });

  it('leaves seeds without a value out of the mean, keeps them as null, and needs two values for an interval', () => {
    const s = seedSummary([10, null, 20]);
    expect(s.mean).toBe(15);
    expect(s.perSeed).toEqual([10, null, 20]);
    expect(halfWidth(s)! / (12.706 * 5)).toBeCloseTo(1, 3);
    expect(seedSummary([7, null])).toEqual({ mean: 7, ci95: null, perSeed: [7, null] });
    expect(seedSummary([null, Number.NaN])).toEqual({ mean: null, ci95: null, perSeed: [null, null] });
  });

  it('tells two summaries apart only when their intervals do not overlap', () => {
    const high = seedSummary([90, 91, 92]);
    const low = seedSummary([10, 12, 11]);
    expect(compareIntervals(high, low)).toBe('a-higher');
    expect(compareIntervals(low, high)).toBe('b-higher');
    expect(compareIntervals(seedSummary([63.3, 17, 9]), seedSummary([40, 50, 30]))).toBe('overlap');
    expect(compareIntervals(seedSummary([1]), high)).toBe('unknown');
  });
});
