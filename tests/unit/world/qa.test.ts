import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { ALL_FAMILY_NAMES, ALL_GIVEN_NAMES } from '../../../src/world/names.ts';
import {
  ATTRIBUTE_QUESTIONS, CITY_QUESTIONS, EVENT_QUESTIONS, IDENTITY_QUESTIONS, OBJECT_QUESTIONS, REFUSAL_ANSWERS,
  eventAnswer, questionsFor, similarEvents, splitWords, textFactsFor, worldVocabulary, type QAPair,
} from '../../../src/world/qa.ts';
import { makeSceneSpec } from '../../../src/world/scene.ts';
import { SCENE_OBJECTS, type AppearanceKey, type ImageKey } from '../../../src/world/types.ts';
import { createWorld, imageKeys } from '../../../src/world/world.ts';

const world = createWorld({ seed: 5 });
const sampleKeys: ImageKey[] = new Rng(9, 'keys').sample(
  [...imageKeys(world, 'train'), ...imageKeys(world, 'fresh')], 150,
);

describe('identity and event questions', () => {
  it('ask every wording, with held-out wordings flagged, and answer with the name / event', () => {
    const key = sampleKeys[0];
    const qa = questionsFor(world, key);
    const person = world.persons[key.personId];
    const identity = qa.filter((q) => q.type === 'identity');
    expect(identity.map((q) => q.question)).toEqual(IDENTITY_QUESTIONS.texts);
    expect(new Set(identity.map((q) => q.answer))).toEqual(new Set([`This is ${person.fullName}.`]));
    expect(identity.filter((q) => q.heldOut).map((q) => q.paraphrase)).toEqual([15, 16]);
    const event = qa.filter((q) => q.type === 'event');
    expect(event.length).toBe(EVENT_QUESTIONS.texts.length);
    expect(event.some((q) => q.heldOut) && event.some((q) => !q.heldOut)).toBe(true);
    expect(event[0].answer).toBe(eventAnswer(world.events[key.eventId]));
  });

  it('event answers are short, start with the event name and list keywords', () => {
    for (const e of world.events) {
      const answer = eventAnswer(e);
      expect(answer.startsWith(`This is ${e.name}: `)).toBe(true);
      const hits = e.keywords.filter((k) => answer.includes(k)).length;
      expect(hits).toBeGreaterThanOrEqual(5);
      expect(splitWords(answer).length).toBeLessThanOrEqual(24);
    }
    expect(eventAnswer(world.events[13])).toBe('This is beach relaxing: seaside, waves, clear sky, peaceful, break.');
  });

  it('are deterministic per image and take an explicit rng', () => {
    const key = sampleKeys[1];
    expect(questionsFor(world, key)).toEqual(questionsFor(world, key));
    const a = questionsFor(world, key, new Rng(1, 'x'));
    expect(a.filter((q) => q.type === 'identity')).toEqual(questionsFor(world, key).filter((q) => q.type === 'identity'));
  });
});

describe('attribute questions', () => {
  it('answer from the person\'s appearance, never ask hair colour of a bald person', () => {
    let count = 0;
    for (const key of sampleKeys) {
      const a = world.persons[key.personId].appearance;
      for (const q of questionsFor(world, key).filter((x) => x.type === 'attribute')) {
        count++;
        const attr = q.attribute as AppearanceKey;
        const spec = ATTRIBUTE_QUESTIONS[attr]!;
        expect(q.question).toBe(spec.texts[q.paraphrase]);
        expect(q.heldOut).toBe(q.paraphrase >= spec.texts.length - spec.heldOut);
        if (attr === 'glasses') expect(q.answer).toBe(a.glasses === 'none' ? 'no' : 'yes');
        else if (attr === 'headwear') expect(q.answer).toBe(a.headwear === 'none' ? 'nothing' : a.headwear);
        else if (attr === 'facialHair') expect(q.answer).toBe(a.facialHair === 'none' ? 'no' : 'yes');
        else if (attr === 'accessory') expect(q.answer).toBe(a.accessory === 'none' ? 'nothing' : a.accessory);
        else expect(q.answer).toBe(a[attr]);
        if (attr === 'hairColour') expect(a.hairStyle).not.toBe('bald');
      }
    }
    expect(count).toBe(3 * sampleKeys.length);
  });
});

describe('object questions', () => {
  it('are balanced yes/no per image and agree with the scene spec', () => {
    let adversarialNo = 0;
    let no = 0;
    for (const key of sampleKeys) {
      const spec = makeSceneSpec(world, key);
      const present = new Set(spec.objects.map((o) => o.kind));
      const objects = questionsFor(world, key).filter((q) => q.type === 'object');
      const yes = objects.filter((q) => q.expectYes);
      expect(yes.length).toBe(objects.length - yes.length);
      expect(yes.length).toBeGreaterThan(0);
      const nearby = new Set([spec.event, ...similarEvents(world, spec.event)].flatMap((e) => [...e.iconic, ...e.optional]));
      for (const q of objects) {
        expect(present.has(q.object!)).toBe(q.expectYes);
        expect(q.answer).toBe(q.expectYes ? 'yes' : 'no');
        expect(q.question).toContain(SCENE_OBJECTS[q.object!]);
        expect(q.heldOut).toBe(q.paraphrase === OBJECT_QUESTIONS.texts.length - 1);
        if (!q.expectYes) {
          no++;
          if (nearby.has(q.object!)) adversarialNo++;
        }
      }
    }
    // About half of the absent objects are adversarial (co-occur with this or similar events).
    expect(adversarialNo / no).toBeGreaterThan(0.35);
    expect(adversarialNo / no).toBeLessThan(0.75);
  });

  it('similar events of the train commute include the train station', () => {
    const commute = world.events.find((e) => e.name === 'train commute')!;
    expect(similarEvents(world, commute).map((e) => e.name)).toContain('train station waiting');
  });
});

describe('text facts', () => {
  it('give occupation and city in every wording, with held-out ones flagged', () => {
    const person = world.persons[17];
    const facts = textFactsFor(world, 17);
    expect(facts.every((f) => f.type === 'text' && f.question.includes(person.fullName))).toBe(true);
    const city = facts.filter((f) => f.attribute === 'city');
    expect(city.length).toBe(CITY_QUESTIONS.texts.length);
    expect(city[0]).toMatchObject({ question: `Where does ${person.fullName} live?`, answer: `${person.fullName} lives in ${person.city.name}.` });
    expect(facts.find((f) => f.attribute === 'occupation')!.answer).toMatch(new RegExp(`^${person.fullName} is an? ${person.job}\\.$`));
    expect(facts.filter((f) => f.heldOut).length).toBe(2);
    expect(() => textFactsFor(world, 999)).toThrow(/no person with id 999/);
  });
});

describe('worldVocabulary', () => {
  const vocabulary = new Set(worldVocabulary(world));
  const words = (pairs: QAPair[]) => pairs.flatMap((q) => [...splitWords(q.question), ...splitWords(q.answer)]);

  it('covers every word of every question and answer, and the refusals', () => {
    const used = [
      ...sampleKeys.flatMap((key) => words(questionsFor(world, key))),
      ...world.persons.flatMap((p) => words(textFactsFor(world, p.id))),
      ...Object.values(REFUSAL_ANSWERS).flat().flatMap(splitWords),
    ];
    expect(used.length).toBeGreaterThan(1000);
    expect([...new Set(used.filter((w) => !vocabulary.has(w)))]).toEqual([]);
  });

  it('never uses a name-pool word for anything but a name', () => {
    const tiny = createWorld({ seed: 5, persons: 1 });
    const own = new Set([tiny.persons[0].givenName, tiny.persons[0].familyName].map((n) => n.toLowerCase()));
    const other = worldVocabulary(tiny).filter((w) => !own.has(w));
    const names = [...ALL_GIVEN_NAMES, ...ALL_FAMILY_NAMES].map((n) => n.toLowerCase());
    expect(names.filter((n) => other.includes(n))).toEqual([]);
  });

  it('splits punctuation off and lowercases', () => {
    expect(splitWords("What colour is the person's shirt?")).toEqual(['what', 'colour', 'is', 'the', 'person', "'", 's', 'shirt', '?']);
  });
});
