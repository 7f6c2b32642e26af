// Forget / generality / retain / scope / utility sets for one forget request (docs/paper.md section 3).
// Sizes (our choice, to keep evaluation cheap; every sample is seeded by world seed + forgetSeed):
// - forget images per target: 10 train renders of a person (of its events), 20 of an event (of its
//   persons); forgetItems = every trained wording of the target's question on those images.
// - generalityItems per target: clamp(400 / targets, 8, 40), a third each from held-out wordings on
//   forget images, trained wordings on its other train renders, and fresh renders.
// - retainItems 400 and retainTrainItems 400 (a disjoint sample for methods that use retain data),
//   scopeItems clamp(400 / targets, 8, 40) per target, utilityItems from 60 images, textItems: all
//   facts of forgotten persons and of up to 40 retained ones.
// Scope items ask the *other* concept on a target's train renders, forget images included: cross-
// concept interference shows on the very pixels that were unlearned.
// Joint requests: an image of a forgotten person in a forgotten event is in NO set (both answers
// should be forgotten there, which would blur which concept was hit), keeping the two concepts apart.
// Not the training of Finetune/Goal models, not the metrics (eval/).

import { Rng } from '../core/rng.ts';
import { eventQuestions, identityQuestions, questionsFor, textFactsFor, type QAPair } from './qa.ts';
import type { ImageKey, World } from './types.ts';
import { imageKeyId } from './world.ts';

export type ForgetConcept = 'person' | 'event';

export interface ForgetRequest {
  target: ForgetConcept | 'both';
  personRatio?: number;
  eventRatio?: number;
  forgetSeed: number;
}

export const PERSON_RATIOS = [0.01, 0.05, 0.1] as const;
export const EVENT_RATIOS = [0.05, 0.1] as const;

export const DEFAULT_REQUESTS = {
  persons: { target: 'person', personRatio: 0.05, forgetSeed: 0 },
  events: { target: 'event', eventRatio: 0.05, forgetSeed: 0 },
  joint: { target: 'both', personRatio: 0.05, eventRatio: 0.05, forgetSeed: 0 },
} as const satisfies Record<string, ForgetRequest>;

/** An image question, or a text-only fact about a person (key null). */
export type SplitItem = { key: ImageKey; qa: QAPair } | { key: null; personId: number; qa: QAPair };

export interface ForgetTarget {
  concept: ForgetConcept;
  id: number;
  /** Train renders whose questions the unlearning steps may use. */
  forgetImages: ImageKey[];
  forgetItems: SplitItem[];
  generalityItems: SplitItem[];
}

export interface Splits {
  request: ForgetRequest;
  forgetPersons: number[];
  forgetEvents: number[];
  targets: ForgetTarget[];
  retainItems: SplitItem[];
  retainTrainItems: SplitItem[];
  scopeItems: SplitItem[];
  utilityItems: SplitItem[];
  textItems: { forget: SplitItem[]; retain: SplitItem[] };
}

export const FORGET_IMAGES_PER_TARGET: Record<ForgetConcept, number> = { person: 10, event: 20 };
export const EVAL_BUDGET = 400;
export const PER_TARGET_RANGE = [8, 40] as const;
export const UTILITY_IMAGES = 60;
export const TEXT_RETAIN_PERSONS = 40;

const perTarget = (targets: number): number =>
  Math.max(PER_TARGET_RANGE[0], Math.min(PER_TARGET_RANGE[1], Math.floor(EVAL_BUDGET / Math.max(1, targets))));
const keyOf = (personId: number, eventId: number, variant = 0): ImageKey => ({ personId, eventId, variant });
const trained = (pairs: QAPair[]): QAPair[] => pairs.filter((q) => !q.heldOut);

/** How many targets a ratio selects; throws when that is none or all of them. */
export function targetCount(ratio: number, total: number, field: 'personRatio' | 'eventRatio'): number {
  const allowed: readonly number[] = field === 'personRatio' ? PERSON_RATIOS : EVENT_RATIOS;
  if (!allowed.includes(ratio)) throw new RangeError(`${field} must be one of ${allowed.join(', ')}, got ${ratio}`);
  const count = Math.round(ratio * total);
  const what = field === 'personRatio' ? 'persons' : 'events';
  if (count < 1) throw new RangeError(`${field} ${ratio} selects no ${what} in a world of ${total} ${what}; use a larger ratio or a bigger world`);
  if (count >= total) throw new RangeError(`${field} ${ratio} selects all ${total} ${what}; use a smaller ratio or a bigger world`);
  return count;
}

function validate(request: ForgetRequest): void {
  if (!['person', 'event', 'both'].includes(request.target)) {
    throw new RangeError(`forget target must be 'person', 'event' or 'both', got ${String(request.target)}`);
  }
  const s = request.forgetSeed;
  if (!Number.isInteger(s) || s < 0 || s > 0xffffffff) throw new RangeError(`forgetSeed must be an integer from 0 to 4294967295, got ${s}`);
  const wantsPersons = request.target !== 'event';
  if (wantsPersons !== (request.personRatio !== undefined)) {
    throw new RangeError(`personRatio is ${wantsPersons ? 'required' : 'not allowed'} for target '${request.target}'`);
  }
  const wantsEvents = request.target !== 'person';
  if (wantsEvents !== (request.eventRatio !== undefined)) {
    throw new RangeError(`eventRatio is ${wantsEvents ? 'required' : 'not allowed'} for target '${request.target}'`);
  }
}

/** Why `request` cannot be split on `world` (e.g. a ratio that selects no target), or null if it can. */
/** What is wrong with a request in any world (target, seed, the ratios the target takes, from the allowed lists), or null. */
export function requestShapeProblem(request: ForgetRequest): string | null {
  try {
    validate(request);
    for (const field of ['personRatio', 'eventRatio'] as const) {
      const allowed: readonly number[] = field === 'personRatio' ? PERSON_RATIOS : EVENT_RATIOS;
      const ratio = request[field];
      if (ratio !== undefined && !allowed.includes(ratio)) return `${field} must be one of ${allowed.join(', ')}, got ${ratio}`;
    }
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function requestProblem(world: World, request: ForgetRequest): string | null {
  try {
    validate(request);
    if (request.personRatio !== undefined) targetCount(request.personRatio, world.persons.length, 'personRatio');
    if (request.eventRatio !== undefined) targetCount(request.eventRatio, world.events.length, 'eventRatio');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function makeSplits(world: World, request: ForgetRequest): Splits {
  validate(request);
  const rng = new Rng(world.config.seed, `splits/${request.forgetSeed}`);
  const personIds = world.persons.map((p) => p.id);
  const eventIds = world.events.map((e) => e.id);
  const forgetPersons = request.personRatio === undefined ? []
    : rng.fork('persons').sample(personIds, targetCount(request.personRatio, personIds.length, 'personRatio')).sort((a, b) => a - b);
  const forgetEvents = request.eventRatio === undefined ? []
    : rng.fork('events').sample(eventIds, targetCount(request.eventRatio, eventIds.length, 'eventRatio')).sort((a, b) => a - b);
  const fp = new Set(forgetPersons);
  const fe = new Set(forgetEvents);
  const budget = perTarget(forgetPersons.length + forgetEvents.length);
  const fresh = world.config.freshPerPair;
  // Every wording of each person's and each event's question, built once (items share these pairs).
  const identityOf = world.persons.map(identityQuestions);
  const eventOf = world.events.map(eventQuestions);

  const targets: ForgetTarget[] = [];
  const scopeItems: SplitItem[] = [];
  for (const id of forgetPersons) {
    const r = rng.fork(`person/${id}`);
        const events = eventIds.filter((e) => !fe.has(e)); // joint: skip images of forgotten events
    const asked = (e: number, v = 0): SplitItem[] => identityOf[id].map((qa) => ({ key: keyOf(id, e, v), qa }));
    targets.push(makeTarget('person', id, events, (e, v) => keyOf(id, e, v), asked, fresh, budget, r));
    const scopeEvents = r.sample(events, Math.min(budget, events.length));
    for (const e of scopeEvents) scopeItems.push({ key: keyOf(id, e), qa: r.pick(trained(eventOf[e])) });
  }
  for (const id of forgetEvents) {
    const r = rng.fork(`event/${id}`);
        const persons = personIds.filter((p) => !fp.has(p));
    const asked = (p: number, v = 0): SplitItem[] => eventOf[id].map((qa) => ({ key: keyOf(p, id, v), qa }));
    targets.push(makeTarget('event', id, persons, (p, v) => keyOf(p, id, v), asked, fresh, budget, r));
    const scopePersons = r.sample(persons, Math.min(budget, persons.length));
    for (const p of scopePersons) scopeItems.push({ key: keyOf(p, id), qa: r.pick(trained(identityOf[p])) });
  }

  // Retain: the forgotten concept(s) asked about on images that show no forget target at all.
  const cleanKeys: ImageKey[] = [];
  for (const p of personIds) for (const e of eventIds) if (!fp.has(p) && !fe.has(e)) cleanKeys.push(keyOf(p, e));
  const retainQuestions = (key: ImageKey): QAPair[] => [
    ...(fp.size > 0 ? trained(identityOf[key.personId]) : []),
    ...(fe.size > 0 ? trained(eventOf[key.eventId]) : []),
  ];
  const retainRng = rng.fork('retain');
  const retainKeys = retainRng.sample(cleanKeys, Math.min(2 * EVAL_BUDGET, cleanKeys.length));
  const half = Math.ceil(retainKeys.length / 2);
  const oneEach = (keys: ImageKey[]): SplitItem[] => keys.map((key) => ({ key, qa: retainRng.pick(retainQuestions(key)) }));

  // Utility: attribute and object questions on train renders that no unlearning step uses.
  const forgetIds = new Set(targets.flatMap((t) => t.forgetImages.map(imageKeyId)));
  const usable: ImageKey[] = [];
  for (const p of personIds) {
    for (const e of eventIds) if (!(fp.has(p) && fe.has(e)) && !forgetIds.has(imageKeyId(keyOf(p, e)))) usable.push(keyOf(p, e));
  }
  const utilityRng = rng.fork('utility');
  const utilityItems = utilityRng
    .sample(usable, Math.min(UTILITY_IMAGES, usable.length))
    .flatMap((key) => questionsFor(world, key).filter((qa) => qa.type === 'attribute' || qa.type === 'object').map((qa) => ({ key, qa })));

  const textRng = rng.fork('text');
  const facts = (ids: number[]): SplitItem[] => ids.flatMap((personId) => textFactsFor(world, personId).map((qa) => ({ key: null, personId, qa })));
  const retainedPersons = personIds.filter((p) => !fp.has(p));
  return {
    request: { ...request },
    forgetPersons,
    forgetEvents,
    targets,
    retainItems: oneEach(retainKeys.slice(0, half)),
    retainTrainItems: oneEach(retainKeys.slice(half)),
    scopeItems,
    utilityItems,
    textItems: {
      forget: facts(forgetPersons),
      retain: facts(textRng.sample(retainedPersons, Math.min(TEXT_RETAIN_PERSONS, retainedPersons.length)).sort((a, b) => a - b)),
    },
  };
}

/**
 * One target's sets. `others` are the ids along the other axis (events of a person, persons of an
 * event) allowed in this request; `asked(other, variant)` gives every wording of the target's question.
 */
function makeTarget(
  concept: ForgetConcept, id: number, others: number[], key: (other: number, variant: number) => ImageKey,
  asked: (other: number, variant: number) => SplitItem[], fresh: number, budget: number, rng: Rng,
): ForgetTarget {
  const shuffled = rng.shuffle(others);
  const forgetCount = Math.min(FORGET_IMAGES_PER_TARGET[concept], Math.ceil(others.length / 2));
  const forgetOthers = shuffled.slice(0, forgetCount).sort((a, b) => a - b);
  const restOthers = shuffled.slice(forgetCount);
  const forgetItems = forgetOthers.flatMap((o) => asked(o, 0).filter((item) => !item.qa.heldOut));
  const heldOutPool = forgetOthers.flatMap((o) => asked(o, 0).filter((item) => item.qa.heldOut));
  const otherTrainPool = restOthers.flatMap((o) => asked(o, 0).filter((item) => !item.qa.heldOut));
  const freshPool: SplitItem[] = [];
  for (let v = 1; v <= fresh; v++) for (const o of others) freshPool.push(...asked(o, v));
  const generalityItems = drawEvenly([heldOutPool, otherTrainPool, freshPool], budget, rng);
  return { concept, id, forgetImages: forgetOthers.map((o) => key(o, 0)), forgetItems, generalityItems };
}

/** Up to `total` items, as evenly as possible from each pool (a short pool's share goes to the rest). */
function drawEvenly(pools: SplitItem[][], total: number, rng: Rng): SplitItem[] {
  const queues = pools.map((pool) => rng.shuffle(pool));
  const out: SplitItem[] = [];
  while (out.length < total && queues.some((q) => q.length > 0)) {
    for (const q of queues) if (q.length > 0 && out.length < total) out.push(q.pop() as SplitItem);
  }
  return out;
}

/** Identity of an item for set comparisons: its image (or person, for text) plus its question. */
export function itemId(item: SplitItem): string {
  return `${item.key ? imageKeyId(item.key) : `text-p${item.personId}`}|${item.qa.question}`;
}

/** Whether the Goal model trains on this image: it shows no forgotten person and no forgotten event. */
export function goalKeepsImage(splits: Splits, key: ImageKey): boolean {
  return !splits.forgetPersons.includes(key.personId) && !splits.forgetEvents.includes(key.eventId);
}

/** Every forget item (or generality item) of the request, optionally of one concept only. */
export function forgetItemsOf(splits: Splits, concept?: ForgetConcept): SplitItem[] {
  return splits.targets.filter((t) => !concept || t.concept === concept).flatMap((t) => t.forgetItems);
}
export function generalityItemsOf(splits: Splits, concept?: ForgetConcept): SplitItem[] {
  return splits.targets.filter((t) => !concept || t.concept === concept).flatMap((t) => t.generalityItems);
}
