import { describe, expect, it } from 'vitest';
import { namePrecision } from '../../../src/eval/scorers.ts';
import {
  answerProbability, forgetTruthScore, perturbedAnswers, retainTruthScore, truthRatio,
} from '../../../src/eval/truth.ts';
import { createWorld, eventAnswer, makeSplits, similarEvents, type SplitItem } from '../../../src/world/index.ts';

describe('answer probability and truth ratio', () => {
  it('answerProbability is exp of the mean token log-prob', () => {
    expect(answerProbability([Math.log(0.5), Math.log(0.5)])).toBeCloseTo(0.5, 12);
    // geometric mean of 0.8 and 0.2 = 0.4
    expect(answerProbability(new Float32Array([Math.log(0.8), Math.log(0.2)]))).toBeCloseTo(0.4, 6);
    expect(() => answerProbability([])).toThrow(/no tokens/);
  });

  it('truthRatio averages P_norm(perturbed) / P_norm(true) (by hand)', () => {
    const truth = [Math.log(0.5), Math.log(0.5)]; // P_norm 0.5
    const p1 = [Math.log(0.25)]; // 0.25 -> ratio 0.5
    const p2 = [Math.log(0.1), Math.log(0.1)]; // 0.1 -> ratio 0.2
    expect(truthRatio(truth, [p1, p2])).toBeCloseTo((0.5 + 0.2) / 2, 12);
    expect(truthRatio(truth, [truth])).toBeCloseTo(1, 12);
  });

  it('stays finite where probabilities underflow', () => {
    const truth = [-2000];
    const perturbed = [[-2001], [-2002]];
    expect(truthRatio(truth, perturbed)).toBeCloseTo((Math.exp(-1) + Math.exp(-2)) / 2, 12);
    expect(() => truthRatio(truth, [])).toThrow(/at least one perturbed/);
  });

  it('forget and retain truth scores', () => {
    expect(forgetTruthScore(0.25)).toBe(0.25);
    expect(forgetTruthScore(4)).toBe(0.25);
    expect(forgetTruthScore(1)).toBe(1);
    expect(retainTruthScore(0.25)).toBe(0.75);
    expect(retainTruthScore(3)).toBe(0);
    expect(() => forgetTruthScore(NaN)).toThrow(/>= 0/);
  });
});

describe('perturbedAnswers', () => {
  const world = createWorld({ persons: 20, events: 20 });
  const splits = makeSplits(world, { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 });
  const identityItems = splits.targets.filter((t) => t.concept === 'person').flatMap((t) => t.forgetItems);
  const eventItems = splits.targets.filter((t) => t.concept === 'event').flatMap((t) => t.forgetItems);

  it('gives other persons\' names for identity items, never the pictured one, deterministically', () => {
    for (const item of identityItems) {
      const answers = perturbedAnswers(world, item);
      expect(answers).toHaveLength(3);
      expect(new Set(answers).size).toBe(3);
      const pictured = world.persons[item.key!.personId].fullName;
      for (const a of answers) {
        expect(a).toMatch(/^This is .+\.$/);
        expect(namePrecision(a, pictured)).toBe(0);
      }
      expect(perturbedAnswers(world, item)).toEqual(answers);
    }
    // different items (different images or wordings) draw different names at least sometimes
    const drawn = new Set(identityItems.map((item) => perturbedAnswers(world, item).join('|')));
    expect(drawn.size).toBeGreaterThan(1);
  });

  it('gives the most similar events\' answers for event items', () => {
    const item = eventItems[0];
    const event = world.events[item.key!.eventId];
    const answers = perturbedAnswers(world, item, 2);
    expect(answers).toEqual(similarEvents(world, event, 2).map(eventAnswer));
    expect(answers).not.toContain(eventAnswer(event));
  });

  it('gives nothing for attribute, object and text items, and at most the other persons', () => {
    const utility = splits.utilityItems.slice(0, 5);
    for (const item of [...utility, splits.textItems.forget[0]]) expect(perturbedAnswers(world, item)).toEqual([]);
    const tiny = createWorld({ persons: 3, events: 2 });
    const item: SplitItem = { key: { personId: 1, eventId: 0, variant: 0 }, qa: { type: 'identity', question: 'Who is this person?', answer: '', paraphrase: 1, heldOut: false } };
    expect(perturbedAnswers(tiny, item, 5)).toHaveLength(2);
  });
});
