// The questions of the model self-check page (model-check.html): `count` fresh renders (variant 1,
// never trained on) of a deterministic spread of person-event pairs, half asked who the person is
// and half what event it is. Pure (world only), so the e2e test derives the same cases and their
// expected answers in Node. Not here: rendering, answering or comparing.
import { Rng } from '../../core/rng.ts';
import type { ImageKey, World } from '../../world/index.ts';

export const IDENTITY_QUESTION = 'Who is the person in this image?';
export const EVENT_QUESTION = 'What event is taking place in this image?';
export const MAX_CHECK_CASES = 200;

export interface ModelCheckCase {
  key: ImageKey;
  question: typeof IDENTITY_QUESTION | typeof EVENT_QUESTION;
}

/** Distinct persons (seeded sample), events stepped by a stride coprime to most event counts; even cases ask who, odd ones what event. */
export function modelCheckCases(world: World, count: number): ModelCheckCase[] {
  const limit = Math.min(MAX_CHECK_CASES, world.persons.length);
  if (!Number.isInteger(count) || count < 1 || count > limit) {
    throw new RangeError(`count must be an integer from 1 to ${limit} (one fresh render per distinct person), got ${count}`);
  }
  const persons = new Rng(world.config.seed, 'model-check/persons').sample(world.persons, count);
  return persons.map((person, i) => ({
    key: { personId: person.id, eventId: (3 + i * 11) % world.events.length, variant: 1 },
    question: i % 2 === 0 ? IDENTITY_QUESTION : EVENT_QUESTION,
  }));
}
