import { describe, expect, it } from 'vitest';
import {
  lossScore, membershipAuc, minKPlusPlusScore, minKScore, privLeak, type TokenScores,
} from '../../../src/eval/membership.ts';

describe('per-answer scores', () => {
  const s: TokenScores = { logProbs: [-0.1, -2, -0.5, -4, -1] };

  it('LOSS is the mean log-prob', () => {
    expect(lossScore(s)).toBeCloseTo((-0.1 - 2 - 0.5 - 4 - 1) / 5, 12);
    expect(lossScore({ logProbs: new Float32Array([-1, -3]) })).toBe(-2);
  });

  it('Min-K% averages the lowest ceil(k n) log-probs', () => {
    expect(minKScore(s)).toBe(-4); // ceil(0.2 * 5) = 1 -> the lowest
    expect(minKScore(s, 0.4)).toBe(-3); // ceil(2) = 2 -> (-4 - 2) / 2
    expect(minKScore(s, 0.5)).toBeCloseTo((-4 - 2 - 1) / 3, 12); // ceil(2.5) = 3
    expect(minKScore(s, 1)).toBeCloseTo(lossScore(s), 12);
    expect(() => minKScore(s, 0)).toThrow(/k must be/);
  });

  it('Min-K%++ standardises each token by its vocabulary moments first', () => {
    const withMoments: TokenScores = { logProbs: [-1, -2, -3, -0.5], mu: [-2, -2, -5, -1], sigma: [1, 0.5, 2, 0.25] };
    // z = [1, 0, 1, 2]; k = 0.5 -> lowest 2: (0 + 1) / 2
    expect(minKPlusPlusScore(withMoments, 0.5)).toBeCloseTo(0.5, 12);
    expect(minKPlusPlusScore(withMoments, 0.25)).toBe(0);
    // a flat distribution (sigma 0) contributes z = 0
    expect(minKPlusPlusScore({ logProbs: [-3], mu: [-3], sigma: [0] })).toBe(0);
  });

  it('Min-K%++ says what is missing', () => {
    expect(() => minKPlusPlusScore(s)).toThrow(/needs mu and sigma/);
    expect(() => minKPlusPlusScore({ logProbs: [-1, -2], mu: [0], sigma: [1, 1] })).toThrow(/one per answer token/);
    expect(() => lossScore({ logProbs: [] })).toThrow(/no tokens/);
  });
});

describe('membershipAuc and privLeak', () => {
  const member = (lp: number[]): TokenScores => ({ logProbs: lp, mu: lp.map(() => -3), sigma: lp.map(() => 1) });

  it('gives AUC 1 when members are more likely on every score', () => {
    const members = [member([-0.1, -0.2]), member([-0.3, -0.1])];
    const nonMembers = [member([-2, -3]), member([-1.5, -4]), member([-2.5, -2.5])];
    expect(membershipAuc(members, nonMembers)).toEqual({ loss: 1, minK: 1, minKPlusPlus: 1, n: { members: 2, nonMembers: 3 } });
    expect(membershipAuc(nonMembers, members)).toMatchObject({ loss: 0, minK: 0, minKPlusPlus: 0 });
  });

  it('separates LOSS from Min-K% on a hand-made case', () => {
    // member A: mean -1.0, lowest -2.0; non-member C: mean -1.5, lowest -1.5
    const a = { logProbs: [0, -2] };
    const c = { logProbs: [-1.5, -1.5] };
    const auc = membershipAuc([a], [c], 0.2); // k = 0.2 -> one token, the minimum
    expect(auc.loss).toBe(1); // -1.0 > -1.5
    expect(auc.minK).toBe(0); // -2.0 < -1.5
    // with a tie on LOSS (B: mean -1.5) it counts one half
    const b = { logProbs: [-1, -2] };
    expect(membershipAuc([a, b], [c], 0.2)).toMatchObject({ loss: 0.75, minK: 0, minKPlusPlus: null });
  });

  it('reports Min-K%++ as null when moments are missing, and refuses empty sets', () => {
    expect(membershipAuc([{ logProbs: [-1] }], [member([-2])]).minKPlusPlus).toBeNull();
    expect(() => membershipAuc([], [member([-1])])).toThrow(/members and non-members/);
  });

  it('PrivLeak is the relative AUC gap in percent', () => {
    expect(privLeak(0.75, 0.5)).toBeCloseTo(50, 12);
    expect(privLeak(0.4, 0.5)).toBeCloseTo(-20, 12);
    expect(privLeak(0.5, 0.5)).toBe(0);
    expect(() => privLeak(0.5, 0)).toThrow(/above 0/);
  });
});
