import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { kolmogorovQ, ksTwoSample, mean, median, rocAuc } from '../../../src/eval/stats.ts';

/** AUC by counting every positive-negative pair (the definition), as an oracle for the rank method. */
function pairAuc(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Kolmogorov survival function summed straight from its alternating series (no small-lambda switch). */
function kolmogorovSeries(lambda: number): number {
  let sum = 0;
  for (let j = 1; j <= 1000; j++) sum += (j % 2 === 1 ? 1 : -1) * Math.exp(-2 * j * j * lambda * lambda);
  return 2 * sum;
}

describe('mean and median', () => {
  it('computes them by hand', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median(new Float32Array([10, -1]))).toBe(4.5);
  });
  it('refuses empty lists and NaN', () => {
    expect(() => mean([])).toThrow(/at least one value/);
    expect(() => median([1, NaN])).toThrow(/NaN/);
  });
});

describe('rocAuc', () => {
  it('is 1 for fully separated sets, 0 reversed, 0.5 for identical ones', () => {
    expect(rocAuc([3, 4, 5], [1, 2])).toBe(1);
    expect(rocAuc([1, 2], [3, 4, 5])).toBe(0);
    expect(rocAuc([1, 2, 3], [1, 2, 3])).toBe(0.5);
    expect(rocAuc([7, 7], [7, 7, 7])).toBe(0.5);
  });
  it('counts ties as one half (by hand)', () => {
    // pairs (pos, neg): (1,2)=0 (1,0)=1 (2,2)=.5 (2,0)=1 (2,2)=.5 (2,0)=1 -> 4/6
    expect(rocAuc([1, 2, 2], [2, 0])).toBeCloseTo(4 / 6, 12);
  });
  it('matches pair counting on random scores with many ties', () => {
    const rng = new Rng(7, 'auc');
    const pos = Array.from({ length: 57 }, () => rng.int(12));
    const neg = Array.from({ length: 43 }, () => rng.int(10));
    expect(rocAuc(pos, neg)).toBeCloseTo(pairAuc(pos, neg), 12);
  });
  it('refuses an empty side', () => {
    expect(() => rocAuc([], [1])).toThrow(/positives/);
  });
});

describe('ksTwoSample', () => {
  it('finds D by hand', () => {
    // CDF gaps: x=1: 1/3-0, x=2: 2/3-0, x=2.5: 2/3-1/4, x=3: 1-1/4 = 3/4 (largest)
    expect(ksTwoSample([1, 2, 3], [2.5, 4, 5, 6]).statistic).toBeCloseTo(0.75, 12);
    // with ties: x=1: .25-0, x=2: .75-.25 = .5, x=3: 1-.75, x=4: 1-1
    expect(ksTwoSample([1, 2, 2, 3], [2, 3, 3, 4]).statistic).toBeCloseTo(0.5, 12);
    expect(ksTwoSample([1, 2, 2, 3], [2, 3, 3, 4]).n).toEqual([4, 4]);
  });
  it('gives p = 1 for identical samples and a tiny p for large separated ones', () => {
    const same = ksTwoSample([0.2, 0.5, 0.9], [0.9, 0.2, 0.5]);
    expect(same.statistic).toBe(0);
    expect(same.pValue).toBe(1);
    const a = Array.from({ length: 100 }, (_, i) => i);
    const b = Array.from({ length: 100 }, (_, i) => 1000 + i);
    const far = ksTwoSample(a, b);
    expect(far.statistic).toBe(1);
    expect(far.pValue).toBeLessThan(1e-20);
  });
  it('matches the Kolmogorov series with the effective-n correction', () => {
    const a = Array.from({ length: 10 }, (_, i) => i); // 0..9
    const b = Array.from({ length: 10 }, (_, i) => 3.5 + i); // 3.5..12.5
    const result = ksTwoSample(a, b);
    expect(result.statistic).toBeCloseTo(0.4, 12); // at x=3: 4/10 - 0
    const en = Math.sqrt((10 * 10) / 20);
    const lambda = (en + 0.12 + 0.11 / en) * 0.4;
    expect(lambda).toBeLessThan(1.18); // the implementation takes its small-lambda form here
    expect(result.pValue).toBeCloseTo(kolmogorovSeries(lambda), 10);
  });
  it('kolmogorovQ hits the textbook critical values', () => {
    expect(kolmogorovQ(1.2238)).toBeCloseTo(0.1, 4);
    expect(kolmogorovQ(1.3581)).toBeCloseTo(0.05, 4);
    expect(kolmogorovQ(1.6276)).toBeCloseTo(0.01, 4);
    expect(kolmogorovQ(0)).toBe(1);
    for (const lambda of [0.3, 0.6, 1.0, 1.17, 1.19, 2]) expect(kolmogorovQ(lambda)).toBeCloseTo(kolmogorovSeries(lambda), 10);
  });
});
