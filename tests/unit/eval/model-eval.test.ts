import { describe, expect, it } from 'vitest';
import { evaluateModel, modelEvalItems, summarise, type QuestionAnswerer } from '../../../src/eval/model-eval.ts';
import { TEST_CONFIG } from '../../../src/model/config.ts';
import { createWorld, makeSplits, textFactsFor } from '../../../src/world/index.ts';

const world = createWorld({ persons: 12, events: 6 });

/** Answers from a lookup (question + image) -> text, so a test controls every answer. */
function scripted(answerFor: (question: string, hasImage: boolean, index: number) => string): QuestionAnswerer {
  return {
    cfg: TEST_CONFIG,
    answer: async (questions) => questions.map((q, i) => ({ text: answerFor(q.question, q.pixels !== null, i) })),
  };
}

describe('model evaluation', () => {
  it('samples train, fresh and held-out sets on the same pairs, and text facts per person', () => {
    const items = modelEvalItems(world, { images: 10, persons: 5 });
    const sets = (name: string) => items.filter((i) => i.set === name);
    expect(sets('train').every((i) => i.key!.variant === 0 && !i.qa.heldOut)).toBe(true);
    expect(sets('fresh').every((i) => i.key!.variant === 1 && !i.qa.heldOut)).toBe(true);
    expect(sets('heldOutParaphrase').every((i) => i.key!.variant === 0 && i.qa.heldOut)).toBe(true);
    expect(sets('train').filter((i) => i.qa.type === 'identity')).toHaveLength(10);
    expect(new Set(sets('textOnly').map((i) => i.personId)).size).toBe(5);
    expect(modelEvalItems(world, { images: 10, persons: 5 })).toEqual(items);
  });

  it('gives 1 to an oracle, 0 to a model that says nothing, and counts items', async () => {
    const items = modelEvalItems(world, { images: 8, persons: 4 });
    const oracle = summarise(world, items, items.map((i) => i.qa.answer));
    for (const set of [oracle.train, oracle.fresh, oracle.heldOutParaphrase]) {
      expect(set).toMatchObject({ identity: 1, eventName: 1, eventScore: 1, attributes: 1, objects: 1 });
      expect(set.n).toBe(set.counts.identity + set.counts.event + set.counts.attributes + set.counts.objects);
    }
    expect(oracle.textOnly).toBe(1);
    expect(oracle.textOnlyN).toBe(4 * textFactsFor(world, 0).filter((f) => !f.heldOut).length);
    const silent = await evaluateModel(world, scripted(() => ''), { images: 8, persons: 4 });
    expect(silent.report.fresh).toMatchObject({ identity: 0, eventName: 0, eventScore: 0, attributes: 0, objects: 0 });
  });

  it('scores each question type by its own rule', async () => {
    const items = modelEvalItems(world, { images: 6, persons: 2 });
    // Always "yes": objects are balanced yes/no, so about half right; the name of person 0 for every identity question.
    const { report } = await evaluateModel(world, scripted((q) => (/who|whose|name/i.test(q) ? `This is ${world.persons[0].fullName}.` : 'yes')), { images: 6, persons: 2 });
    const identityItems = items.filter((i) => i.set === 'fresh' && i.qa.type === 'identity');
    const expected = identityItems.filter((i) => i.personId === 0).length / identityItems.length;
    expect(report.fresh.identity).toBeCloseTo(expected, 12);
    const objects = items.filter((i) => i.set === 'fresh' && i.qa.type === 'object');
    expect(report.fresh.objects).toBeCloseTo(objects.filter((i) => i.qa.expectYes).length / objects.length, 12);
    expect(report.fresh.eventName).toBe(0);
  });

  it('leaves forgotten persons and events out for a Goal model', () => {
    const big = createWorld({ persons: 40, events: 20 });
    const splits = makeSplits(big, { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 });
    const items = modelEvalItems(big, { images: 200, retainOnly: splits });
    for (const item of items) {
      expect(splits.forgetPersons).not.toContain(item.personId);
      if (item.key) expect(splits.forgetEvents).not.toContain(item.key.eventId);
    }
    expect(new Set(items.filter((i) => i.set === 'textOnly').map((i) => i.personId)).size).toBe(40 - splits.forgetPersons.length);
  });
});
