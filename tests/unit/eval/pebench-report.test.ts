import { describe, expect, it } from 'vitest';
import type { TokenScores } from '../../../src/eval/membership.ts';
import {
  pebenchReport, type AnsweredItem, type ItemTokenScores, type ReportInput,
} from '../../../src/eval/pebench-report.ts';
import { ksTwoSample } from '../../../src/eval/stats.ts';
import { createWorld, makeSplits, type SplitItem, type Splits } from '../../../src/world/index.ts';

const world = createWorld({ persons: 20, events: 20 });
const personSplits = makeSplits(world, { target: 'person', personRatio: 0.1, forgetSeed: 0 });
const eventSplits = makeSplits(world, { target: 'event', eventRatio: 0.1, forgetSeed: 0 });
const jointSplits = makeSplits(world, { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 });

const say = (items: readonly SplitItem[], answer: (item: SplitItem, i: number) => string): AnsweredItem[] =>
  items.map((item, i) => ({ item, answer: answer(item, i) }));
const reference = (item: SplitItem) => item.qa.answer;
const silent = () => '';

/** Reference answers for target 0's forget items, silence for the rest; half the retain items right. */
function scripted(splits: Splits): ReportInput {
  const first = splits.targets[0];
  return {
    world, splits,
    answers: {
      forget: splits.targets.flatMap((t) => say(t.forgetItems, t === first ? reference : silent)),
      generality: splits.targets.flatMap((t) => say(t.generalityItems, silent)),
      retain: say(splits.retainItems, (item, i) => (i % 2 === 0 ? reference(item) : '')),
      scope: say(splits.scopeItems, reference),
      utility: say(splits.utilityItems, (item, i) => (item.qa.type === 'attribute' ? (i % 3 === 0 ? item.qa.answer : 'zebra') : 'yes')),
    },
  };
}

const attributeItems = (splits: Splits) => splits.utilityItems.map((item, i) => ({ item, i })).filter(({ item }) => item.qa.type === 'attribute');
const objectItems = (splits: Splits) => splits.utilityItems.filter((item) => item.qa.type === 'object');

describe('pebenchReport columns', () => {
  it('person request: each column and its n by hand, and no event object', () => {
    const report = pebenchReport(scripted(personSplits));
    expect(report.event).toBeUndefined();
    const person = report.person!;
    const [t0, t1] = personSplits.targets;
    // Forget: t0 named every time, t1 never -> precision = |t0| / (|t0| + |t1|)
    const forgetN = t0.forgetItems.length + t1.forgetItems.length;
    expect(person.efficacy).toBeCloseTo(100 - (100 * t0.forgetItems.length) / forgetN, 10);
    expect(person.n.efficacy).toBe(forgetN);
    expect(person.generality).toBe(100);
    expect(person.n.generality).toBe(t0.generalityItems.length + t1.generalityItems.length);
    // Retain: every even-indexed retain item answered right (all are identity questions in a person request)
    const retainN = personSplits.retainItems.length;
    expect(personSplits.retainItems.every((i) => i.qa.type === 'identity')).toBe(true);
    expect(person.retain).toBeCloseTo((100 * Math.ceil(retainN / 2)) / retainN, 10);
    expect(person.n.retain).toBe(retainN);
    // Scope: reference event answers -> event score 1, on the 0-1 scale, with its parts
    expect(person.scope).toBeCloseTo(1, 12);
    expect(person.n.scope).toBe(personSplits.scopeItems.length);
    expect(person.eventScoreParts.scope).toEqual({ score: 1, rougeL: 1, keywordRecall: 1, n: personSplits.scopeItems.length });
    // Real: attribute answered right when its utility index is a multiple of 3
    const attributes = attributeItems(personSplits);
    const right = attributes.filter(({ i }) => i % 3 === 0).length;
    expect(right).toBeGreaterThan(0);
    expect(person.real).toBeCloseTo((100 * right) / attributes.length, 10);
    expect(person.n.real).toBe(attributes.length);
    // World Fact: always "yes" -> the share of yes-questions
    const objects = objectItems(personSplits);
    expect(person.worldFact).toBeCloseTo((100 * objects.filter((o) => o.qa.expectYes).length) / objects.length, 10);
    expect(person.n.worldFact).toBe(objects.length);
    expect(person.unavailable).toEqual({});
  });

  it('event request: 0-1 event columns, name precision Scope, Real on 0-1, and no person object', () => {
    const input = scripted(eventSplits);
    // scope items ask identity here: name the person on the first 10, silence on the rest
    input.answers.scope = say(eventSplits.scopeItems, (item, i) => (i < 10 ? reference(item) : ''));
    const report = pebenchReport(input);
    expect(report.person).toBeUndefined();
    const event = report.event!;
    const [t0, t1] = eventSplits.targets;
    // Forget: t0 scores 1, t1 scores 0 (empty answer) -> efficacy = 1 - |t0| / (|t0| + |t1|)
    expect(event.efficacy).toBeCloseTo(1 - t0.forgetItems.length / (t0.forgetItems.length + t1.forgetItems.length), 10);
    expect(event.eventScoreParts.efficacy!.rougeL).toBeCloseTo(t0.forgetItems.length / (t0.forgetItems.length + t1.forgetItems.length), 10);
    expect(event.generality).toBe(1);
    expect(event.retain).toBeCloseTo(Math.ceil(eventSplits.retainItems.length / 2) / eventSplits.retainItems.length, 10);
    expect(event.scope).toBeCloseTo((100 * 10) / eventSplits.scopeItems.length, 10);
    expect(event.eventScoreParts.scope).toBeUndefined();
    const attributes = attributeItems(eventSplits);
    expect(event.real).toBeCloseTo(attributes.filter(({ i }) => i % 3 === 0).length / attributes.length, 10);
  });

  it('a column with no items is null with a reason, never 0', () => {
    const input = scripted(personSplits);
    input.answers.scope = [];
    input.answers.utility = input.answers.utility.filter(({ item }) => item.qa.type === 'object');
    const person = pebenchReport(input).person!;
    expect(person.scope).toBeNull();
    expect(person.n.scope).toBe(0);
    expect(person.unavailable.scope).toMatch(/no scope item/);
    expect(person.real).toBeNull();
    expect(person.unavailable.real).toMatch(/attribute/);
    expect(person.worldFact).not.toBeNull();
  });

  it('joint request: both concepts, each scored on its own items', () => {
    const report = pebenchReport(scripted(jointSplits));
    expect(report.person).toBeDefined();
    expect(report.event).toBeDefined();
    // target 0 is a person target answered right; the event targets were silent -> event efficacy 1
    expect(jointSplits.targets[0].concept).toBe('person');
    expect(report.event!.efficacy).toBe(1);
    const personForget = jointSplits.targets.filter((t) => t.concept === 'person').reduce((n, t) => n + t.forgetItems.length, 0);
    expect(report.person!.n.efficacy).toBe(personForget);
    expect(report.person!.n.retain + report.event!.n.retain).toBe(jointSplits.retainItems.length);
    expect(report.person!.n.scope + report.event!.n.scope).toBe(jointSplits.scopeItems.length);
  });

  it('refuses an answered item that is not in the set it is given as', () => {
    const input = scripted(personSplits);
    input.answers.forget = [...input.answers.forget, { item: personSplits.retainItems[0], answer: '' }];
    expect(() => pebenchReport(input)).toThrow(/answers\.forget\[\d+\].*not one of/);
  });
});

describe('cross-concept matrix', () => {
  it('pairs each target with its own forget items and the scope items on its images', () => {
    const input = scripted(jointSplits);
    const eventTarget = jointSplits.targets.find((t) => t.concept === 'event')!;
    const personTarget = jointSplits.targets.find((t) => t.concept === 'person' && t !== jointSplits.targets[0])!;
    // Right answers only on the scope images of one person target and one event target.
    input.answers.scope = say(jointSplits.scopeItems, (item) =>
      (item.qa.type === 'event' && item.key!.personId === personTarget.id) || (item.qa.type === 'identity' && item.key!.eventId === eventTarget.id)
        ? reference(item) : '');
    const rows = pebenchReport(input).crossConcept;
    expect(rows.map((r) => `${r.concept}/${r.id}`)).toEqual(jointSplits.targets.map((t) => `${t.concept}/${t.id}`));
    for (const [ti, target] of jointSplits.targets.entries()) {
      const row = rows[ti];
      expect(row.ownN).toBe(target.forgetItems.length);
      const onItsImages = jointSplits.scopeItems.filter((item) =>
        target.concept === 'person' ? item.key!.personId === target.id : item.key!.eventId === target.id);
      expect(row.otherN).toBe(onItsImages.length);
      expect(row.name).toBe(target.concept === 'person' ? world.persons[target.id].fullName : world.events[target.id].name);
      const right = target === personTarget ? 1 : target === eventTarget ? 100 : 0;
      expect(row.other).toBeCloseTo(right, 10);
      expect(row.own).toBe(ti === 0 ? 100 : 0); // only target 0's forget items were answered right
    }
  });
});

describe('text facts and extras', () => {
  const scores = (item: SplitItem, truth: number[], perturbed: number[][] = []): ItemTokenScores => ({
    item, truth: { logProbs: truth }, perturbed: perturbed.map((lp): TokenScores => ({ logProbs: lp })),
  });
  const forgetOf = (splits: Splits) => splits.targets[0].forgetItems.slice(0, 4);
  const unseenOf = (splits: Splits) => splits.targets[0].generalityItems.filter((i) => i.key!.variant > 0).slice(0, 3);

  it('text facts accuracy, and every extra unavailable with a reason when no scores are given', () => {
    const input = scripted(personSplits);
    input.answers.text = { forget: say(personSplits.textItems.forget, silent), retain: say(personSplits.textItems.retain.slice(0, 8), (item, i) => (i < 2 ? reference(item) : 'no')) };
    const report = pebenchReport(input);
    expect(report.textFacts).toEqual({ forget: 0, retain: 25, n: { forget: personSplits.textItems.forget.length, retain: 8 } });
    for (const extra of Object.values(report.extra)) expect(extra).toEqual({ unavailable: expect.stringMatching(/no token scores/) });
    expect(pebenchReport(scripted(personSplits)).textFacts).toEqual({ unavailable: expect.stringMatching(/answers\.text/) });
  });

  it('answer probability, truth ratio, membership, and the Goal model\'s reason when it is missing', () => {
    const input = scripted(personSplits);
    const forget = forgetOf(personSplits);
    // truth P_norm = 0.5; one perturbed answer at 0.25 -> R = 0.5, min(R, 1/R) = 0.5
    input.scores = {
      forget: forget.map((item) => scores(item, [Math.log(0.5)], [[Math.log(0.25)]])),
      unseen: unseenOf(personSplits).map((item) => scores(item, [Math.log(0.1)])),
    };
    input.goal = { unavailable: 'models/goal-x not found' };
    const extra = pebenchReport(input).extra;
    expect(extra.answerProbability).toEqual({ forget: expect.closeTo(0.5, 10), unseen: expect.closeTo(0.1, 10), n: { forget: 4, unseen: 3 } });
    expect(extra.truthRatio).toEqual({ forget: expect.closeTo(0.5, 10), n: 4 });
    expect(extra.membership).toEqual({ loss: 1, minK: 1, minKPlusPlus: null, n: { members: 4, nonMembers: 3 } });
    expect(extra.forgetQuality).toEqual({ unavailable: 'no Goal model: models/goal-x not found' });
    expect(extra.privLeak).toEqual({ unavailable: 'no Goal model: models/goal-x not found' });
  });

  it('forget quality and PrivLeak against a Goal model', () => {
    const input = scripted(personSplits);
    const forget = forgetOf(personSplits);
    const unseen = unseenOf(personSplits);
    // model ratios R = 0.5 (x2), 0.25 (x2); Goal ratios R = 1 (x4)
    input.scores = {
      forget: forget.map((item, i) => scores(item, [0], [[Math.log(i < 2 ? 0.5 : 0.25)]])),
      unseen: unseen.map((item) => scores(item, [-5])),
    };
    // Goal: forget and unseen equally likely -> AUC 0.5 on every score
    input.goal = { scores: { forget: forget.map((item) => scores(item, [-2], [[-2]])), unseen: unseen.map((item) => scores(item, [-2])) } };
    const extra = pebenchReport(input).extra;
    expect(extra.forgetQuality).toEqual(ksTwoSample([0.5, 0.5, 0.25, 0.25], [1, 1, 1, 1]));
    expect((extra.forgetQuality as { statistic: number }).statistic).toBe(1);
    // model AUC 1 vs Goal 0.5 -> (1 - 0.5) / 0.5 = +100 %
    expect(extra.privLeak).toMatchObject({ loss: 100, minK: 100, minKPlusPlus: null, goal: { loss: 0.5, minK: 0.5 } });
  });

  it('refuses unseen scores that are not fresh renders of a forget target', () => {
    const input = scripted(personSplits);
    input.scores = { forget: [], unseen: [scores(personSplits.retainItems[0], [-1])] };
    expect(() => pebenchReport(input)).toThrow(/fresh render/);
  });
});

describe('determinism', () => {
  it('gives identical output for the same input', () => {
    const a = pebenchReport(scripted(jointSplits));
    const b = pebenchReport(scripted(jointSplits));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
