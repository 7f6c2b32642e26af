import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REQUESTS, EVENT_RATIOS, PERSON_RATIOS, PER_TARGET_RANGE, forgetItemsOf, generalityItemsOf, goalKeepsImage,
  itemId, makeSplits, requestProblem, type ForgetRequest, type SplitItem, type Splits,
} from '../../../src/world/splits.ts';
import { createWorld, imageKeyId } from '../../../src/world/world.ts';
import { textFactsFor } from '../../../src/world/qa.ts';

const world = createWorld({ seed: 3 });

const requests: ForgetRequest[] = [];
for (const forgetSeed of [0, 7]) {
  for (const personRatio of PERSON_RATIOS) requests.push({ target: 'person', personRatio, forgetSeed });
  for (const eventRatio of EVENT_RATIOS) requests.push({ target: 'event', eventRatio, forgetSeed });
  for (const personRatio of PERSON_RATIOS) {
    for (const eventRatio of EVENT_RATIOS) requests.push({ target: 'both', personRatio, eventRatio, forgetSeed });
  }
}

const ids = (items: SplitItem[]) => new Set(items.map(itemId));
const onImageOf = (splits: Splits, item: SplitItem) => item.key !== null && !goalKeepsImage(splits, item.key);

/** Every invariant of a split; returns the broken ones (so one assertion reports them all). */
function brokenInvariants(splits: Splits): string[] {
  const broken: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || broken.push(what));
  const forget = forgetItemsOf(splits);
  const generality = generalityItemsOf(splits);
  const retain = [...splits.retainItems, ...splits.retainTrainItems];
  const forgetIds = ids(forget);
  for (const item of retain) check(!forgetIds.has(itemId(item)), `retain item is a forget item: ${itemId(item)}`);
  for (const item of generality) check(!forgetIds.has(itemId(item)), `generality item is a forget item: ${itemId(item)}`);
  for (const item of retain) check(!onImageOf(splits, item) && !item.qa.heldOut, `retain item on a target image or held out: ${itemId(item)}`);
  const evalImages = new Set(splits.retainItems.map((i) => imageKeyId(i.key!)));
  for (const item of splits.retainTrainItems) check(!evalImages.has(imageKeyId(item.key!)), `retain samples share ${itemId(item)}`);

  const forgetImages = new Set(splits.targets.flatMap((t) => t.forgetImages.map(imageKeyId)));
  for (const t of splits.targets) {
    check(t.forgetItems.length > 0 && t.generalityItems.length > 0, `${t.concept} ${t.id} lacks forget or generality items`);
    const ofTarget = (item: SplitItem) =>
      item.key !== null && (t.concept === 'person' ? item.key.personId === t.id : item.key.eventId === t.id);
    const askedType = t.concept === 'person' ? 'identity' : 'event';
    for (const item of t.forgetItems) {
      check(ofTarget(item) && item.qa.type === askedType && !item.qa.heldOut && item.key!.variant === 0, `bad forget item ${itemId(item)}`);
      check(forgetImages.has(imageKeyId(item.key!)), `forget item off the forget images: ${itemId(item)}`);
    }
    for (const item of t.generalityItems) {
      check(ofTarget(item) && item.qa.type === askedType, `generality item of another target: ${itemId(item)}`);
      // An unseen wording, or an image that no unlearning step uses.
      check(item.qa.heldOut || !forgetImages.has(imageKeyId(item.key!)), `generality item seen by unlearning: ${itemId(item)}`);
    }
  }
  for (const item of splits.scopeItems) {
    const k = item.key!;
    const ok = item.qa.type === 'event' ? splits.forgetPersons.includes(k.personId)
      : item.qa.type === 'identity' && splits.forgetEvents.includes(k.eventId);
    check(ok, `scope item not the other concept on a target image: ${itemId(item)}`);
  }
  const objects = splits.utilityItems.filter((i) => i.qa.type === 'object');
  check(objects.length > 0 && objects.filter((i) => i.qa.expectYes).length * 2 === objects.length, 'utility yes/no unbalanced');
  for (const item of splits.utilityItems) {
    check(['attribute', 'object'].includes(item.qa.type) && !forgetImages.has(imageKeyId(item.key!)), `bad utility item ${itemId(item)}`);
  }
  // Joint requests: an image of a forgotten person in a forgotten event is in no set at all.
  const double = (item: SplitItem) =>
    item.key !== null && splits.forgetPersons.includes(item.key.personId) && splits.forgetEvents.includes(item.key.eventId);
  for (const item of [...forget, ...generality, ...retain, ...splits.scopeItems, ...splits.utilityItems]) {
    check(!double(item), `item on a forgotten person in a forgotten event: ${itemId(item)}`);
  }
  return broken;
}

describe('makeSplits', () => {
  it('keeps its invariants for every allowed request and several forget seeds', () => {
    for (const request of requests) expect(brokenInvariants(makeSplits(world, request)), JSON.stringify(request)).toEqual([]);
  });

  it('selects the paper\'s target counts (2/10/20 persons, 2/4 events of 200 x 40)', () => {
    const count = (r: ForgetRequest) => {
      const s = makeSplits(world, r);
      return [s.forgetPersons.length, s.forgetEvents.length];
    };
    expect(PERSON_RATIOS.map((personRatio) => count({ target: 'person', personRatio, forgetSeed: 0 })[0])).toEqual([2, 10, 20]);
    expect(EVENT_RATIOS.map((eventRatio) => count({ target: 'event', eventRatio, forgetSeed: 0 })[1])).toEqual([2, 4]);
    expect(count(DEFAULT_REQUESTS.joint)).toEqual([10, 2]);
  });

  it('asks the right concepts: identity for persons, event for events, both when joint', () => {
    const persons = makeSplits(world, DEFAULT_REQUESTS.persons);
    expect(new Set(persons.retainItems.map((i) => i.qa.type))).toEqual(new Set(['identity']));
    expect(new Set(persons.scopeItems.map((i) => i.qa.type))).toEqual(new Set(['event']));
    expect(persons.textItems.forget.length).toBe(10 * textFactsFor(world, 0).length);
    const events = makeSplits(world, DEFAULT_REQUESTS.events);
    expect(new Set(events.retainItems.map((i) => i.qa.type))).toEqual(new Set(['event']));
    expect(new Set(events.scopeItems.map((i) => i.qa.type))).toEqual(new Set(['identity']));
    expect(events.textItems.forget).toEqual([]);
    const joint = makeSplits(world, DEFAULT_REQUESTS.joint);
    expect(new Set(joint.retainItems.map((i) => i.qa.type))).toEqual(new Set(['identity', 'event']));
    expect(new Set(joint.targets.map((t) => t.concept))).toEqual(new Set(['person', 'event']));
  });

  it('keeps evaluation sets bounded and generality drawn from all three sources', () => {
    const s = makeSplits(world, { target: 'person', personRatio: 0.1, forgetSeed: 0 });
    for (const t of s.targets) {
      expect(t.generalityItems.length).toBeLessThanOrEqual(PER_TARGET_RANGE[1]);
      expect(t.generalityItems.some((i) => i.key!.variant > 0)).toBe(true);
      expect(t.generalityItems.some((i) => i.qa.heldOut && i.key!.variant === 0)).toBe(true);
      expect(t.generalityItems.some((i) => !i.qa.heldOut && i.key!.variant === 0)).toBe(true);
    }
    expect(s.retainItems.length).toBeLessThanOrEqual(400);
    expect(s.scopeItems.length).toBeLessThanOrEqual(400);
    expect(s.utilityItems.length).toBeLessThanOrEqual(60 * 7);
  });

  it('is deterministic, and different forget seeds select different targets', () => {
    const a = makeSplits(world, { target: 'both', personRatio: 0.05, eventRatio: 0.1, forgetSeed: 11 });
    expect(makeSplits(world, { target: 'both', personRatio: 0.05, eventRatio: 0.1, forgetSeed: 11 })).toEqual(a);
    const b = makeSplits(world, { target: 'both', personRatio: 0.05, eventRatio: 0.1, forgetSeed: 12 });
    expect(b.forgetPersons).not.toEqual(a.forgetPersons);
    expect(b.forgetEvents).not.toEqual(a.forgetEvents);
    const seen = new Set([0, 1, 2, 3, 4].map((forgetSeed) => makeSplits(world, { target: 'event', eventRatio: 0.05, forgetSeed }).forgetEvents.join()));
    expect(seen.size).toBeGreaterThan(1);
  });

  it('works on small worlds with no fresh renders', () => {
    const small = createWorld({ seed: 1, persons: 40, events: 20, freshPerPair: 0 });
    const s = makeSplits(small, { target: 'both', personRatio: 0.05, eventRatio: 0.1, forgetSeed: 0 });
    expect([s.forgetPersons.length, s.forgetEvents.length]).toEqual([2, 2]);
    expect(brokenInvariants(s)).toEqual([]);
  });

  it('rejects bad requests with errors that say what is allowed', () => {
    const bad: [unknown, RegExp][] = [
      [{ target: 'person', personRatio: 0.2, forgetSeed: 0 }, /personRatio must be one of 0.01, 0.05, 0.1/],
      [{ target: 'event', eventRatio: 0.01, forgetSeed: 0 }, /eventRatio must be one of 0.05, 0.1/],
      [{ target: 'person', forgetSeed: 0 }, /personRatio is required/],
      [{ target: 'person', personRatio: 0.05, eventRatio: 0.05, forgetSeed: 0 }, /eventRatio is not allowed/],
      [{ target: 'both', personRatio: 0.05, forgetSeed: 0 }, /eventRatio is required/],
      [{ target: 'all', forgetSeed: 0 }, /'person', 'event' or 'both'/],
      [{ target: 'person', personRatio: 0.05, forgetSeed: -1 }, /forgetSeed must be an integer/],
    ];
    for (const [request, message] of bad) expect(() => makeSplits(world, request as ForgetRequest)).toThrow(message);
    const small = createWorld({ persons: 40, events: 8 });
    expect(() => makeSplits(small, { target: 'person', personRatio: 0.01, forgetSeed: 0 })).toThrow(/selects no persons in a world of 40/);
    expect(() => makeSplits(small, { target: 'event', eventRatio: 0.05, forgetSeed: 0 })).toThrow(/selects no events/);
    expect(requestProblem(small, { target: 'event', eventRatio: 0.05, forgetSeed: 0 })).toMatch(/selects no events/);
    expect(requestProblem(small, { target: 'event', eventRatio: 0.1, forgetSeed: 0 })).toBeNull();
    expect(requestProblem(world, { target: 'all', forgetSeed: 0 } as unknown as ForgetRequest)).toMatch(/'both'/);
  });
});
