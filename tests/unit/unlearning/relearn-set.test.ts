// The relearning attack's split (relearn-set.ts): on several request and run seeds, the relearn set
// never shows or names a held-out target and never holds an item that is re-evaluated; the halves
// partition the request's targets; the split replays from its seed; settings and requests it cannot
// take are refused with a reason.
import { describe, expect, it } from 'vitest';
import {
  RELEARN_EVAL_ITEMS, itemTouches, relearnConcepts, relearnSettingsProblems, relearnSplit, relearnSplitProblem, type RelearnOn,
} from '../../../src/unlearning/relearn-set.ts';
import { createWorld, itemId, makeSplits, type ForgetRequest } from '../../../src/world/index.ts';

const world = createWorld({ persons: 40, events: 20 });
const requests: ForgetRequest[] = [
  { target: 'person', personRatio: 0.1, forgetSeed: 0 },
  { target: 'event', eventRatio: 0.1, forgetSeed: 0 },
  { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 },
];
const cases = requests.flatMap((request) => (['generality', 'text'] as RelearnOn[])
  .filter((on) => !(on === 'text' && request.target === 'event'))
  .map((on) => [`${request.target} on ${on}`, request, on] as const));

describe.each(cases)('relearnSplit, %s', (_, request, on) => {
  it('never lets the relearn set touch a held-out target or an evaluated item, on several seeds', () => {
    for (const forgetSeed of [0, 1, 2, 3]) {
      const splits = makeSplits(world, { ...request, forgetSeed });
      for (const seed of [0, 1, 7, 12345]) {
        const split = relearnSplit(splits, on, seed);
        expect(split.train.length).toBeGreaterThan(0);
        expect(split.eval.length).toBeGreaterThan(0);
        const evaluated = new Set(split.eval.map(itemId));
        for (const item of split.train) {
          expect(evaluated.has(itemId(item))).toBe(false);
          for (const target of split.heldOutTargets) expect(itemTouches(item, target)).toBe(false);
        }
        // Every evaluated item is a forget item of a held-out target, and of no relearnt one.
        for (const item of split.eval) {
          expect(split.heldOutTargets.some((t) => itemTouches(item, t))).toBe(true);
          expect(split.relearnTargets.some((t) => itemTouches(item, t))).toBe(false);
        }
      }
    }
  });

  it('splits the covered targets into two non-empty halves, held-out getting the odd one', () => {
    const splits = makeSplits(world, request);
    const split = relearnSplit(splits, on, 3);
    const concepts = relearnConcepts(request, on) as string[];
    for (const concept of concepts) {
      const all = splits.targets.filter((t) => t.concept === concept).map((t) => t.id).sort((a, b) => a - b);
      const relearnt = split.relearnTargets.filter((t) => t.concept === concept).map((t) => t.id);
      const heldOut = split.heldOutTargets.filter((t) => t.concept === concept).map((t) => t.id);
      expect(relearnt.length).toBe(Math.floor(all.length / 2));
      expect([...relearnt, ...heldOut].sort((a, b) => a - b)).toEqual(all);
      expect(split.eval.filter((i) => split.heldOutTargets.some((t) => t.concept === concept && itemTouches(i, t))).length).toBeLessThanOrEqual(RELEARN_EVAL_ITEMS);
    }
    expect([...new Set([...split.relearnTargets, ...split.heldOutTargets].map((t) => t.concept))].sort()).toEqual([...concepts].sort());
    if (on === 'text') expect(split.train.every((i) => i.key === null)).toBe(true);
    else expect(split.train.every((i) => i.key !== null)).toBe(true);
  });

  it('replays from its seed, and another seed can pick other halves', () => {
    const splits = makeSplits(world, request);
    expect(relearnSplit(splits, on, 5)).toEqual(relearnSplit(splits, on, 5));
    const halves = new Set([0, 1, 2, 3, 4, 5, 6, 7].map((seed) => JSON.stringify(relearnSplit(splits, on, seed).relearnTargets)));
    expect(halves.size).toBeGreaterThan(1);
  });
});

describe('what the attack refuses', () => {
  it('needs two targets of each concept it covers', () => {
    const small = createWorld({ persons: 20, events: 10 });
    const splits = makeSplits(small, { target: 'person', personRatio: 0.05, forgetSeed: 0 });
    expect(relearnSplitProblem(splits, 'generality')).toMatch(/at least 2 person targets .* has 1/);
    expect(() => relearnSplit(splits, 'generality', 0)).toThrow(/at least 2 person targets/);
  });

  it('has no text-only facts for events', () => {
    expect(relearnConcepts({ target: 'event', eventRatio: 0.1, forgetSeed: 0 }, 'text')).toEqual({ problem: expect.stringMatching(/events have no text-only facts/) });
    expect(relearnConcepts({ target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 }, 'text')).toEqual(['person']);
  });

  it('names every bad setting', () => {
    expect(relearnSettingsProblems(10, 'generality')).toEqual([]);
    expect(relearnSettingsProblems(0, 'half', { steps: '--relearn-steps', on: '--relearn-on' })).toEqual([
      '--relearn-steps must be an integer from 1 to 200, got 0',
      expect.stringMatching(/^--relearn-on must be one of generality, text .* got "half"$/),
    ]);
    expect(relearnSettingsProblems(2.5, 'text')).toHaveLength(1);
  });
});
