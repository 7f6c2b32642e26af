// The probe's verdicts against the world: a right name is correct, another person's name is wrong and
// says whose, trained refusals and "I don't know" are refusals, pictures the world did not draw and
// questions it never asks cannot be judged, and events, attributes, objects and text facts are judged
// by the benchmark's own scorers (event named, exact words).
import { describe, expect, it } from 'vitest';
import { isRefusal, judgeProbeAnswer, type ProbeSubject } from '../../../src/eval/probe-verdict.ts';
import {
  ATTRIBUTE_QUESTIONS, REFUSAL_ANSWERS, SCENE_OBJECTS, createWorld, eventAnswer, identityAnswer, makeSceneSpec, textFactsFor,
  type SceneObjectKind,
} from '../../../src/world/index.ts';

const world = createWorld();
const key = { personId: 0, eventId: 0, variant: 0 };
const onImage: ProbeSubject = { kind: 'world', key };
const person = world.persons[0];
const other = world.persons[7];
const event = world.events[0];

describe('identity verdicts', () => {
  it('the pictured person\'s name is correct, in any case and punctuation', () => {
    expect(judgeProbeAnswer(world, 'Who is this person?', onImage, identityAnswer(person))).toEqual({ verdict: 'correct', expected: identityAnswer(person) });
    expect(judgeProbeAnswer(world, 'who is this person', onImage, `this is ${person.fullName.toLowerCase()}`).verdict).toBe('correct');
  });

  it('another person of the world is wrong, and the verdict says whom it named', () => {
    const verdict = judgeProbeAnswer(world, 'What is the name of the person in the image?', onImage, identityAnswer(other));
    expect(verdict).toEqual({
      verdict: 'wrong', expected: identityAnswer(person), named: { personId: other.id, name: other.fullName },
      note: `names ${other.fullName}, another person in the world`,
    });
  });

  it('a given name alone, an event or nothing is wrong without naming anyone', () => {
    const given = judgeProbeAnswer(world, 'Who is this person?', onImage, `This is ${person.givenName}.`);
    expect(given).toMatchObject({ verdict: 'wrong', note: 'names no person of the world' });
    expect(given.named).toBeUndefined();
    expect(judgeProbeAnswer(world, 'Who is this person?', onImage, eventAnswer(event))).toMatchObject({ verdict: 'wrong', note: `names an event (${event.name}), not a person` });
    expect(judgeProbeAnswer(world, 'Who is this person?', onImage, '')).toMatchObject({ verdict: 'wrong', note: 'an empty answer' });
  });

  it('every trained refusal and plain "I don\'t know"s are refusals', () => {
    for (const refusal of Object.values(REFUSAL_ANSWERS).flat()) {
      expect(isRefusal(refusal)).toBe(true);
      expect(judgeProbeAnswer(world, 'Who is this person?', onImage, refusal).verdict).toBe('refuses');
    }
    expect(isRefusal('I do not know.')).toBe(true);
    expect(isRefusal('i dont know')).toBe(false); // not a word sequence the model can say
    expect(isRefusal(identityAnswer(person))).toBe(false);
  });

  it('a held-out wording is judged and flagged', () => {
    expect(judgeProbeAnswer(world, 'Whose picture is this?', onImage, identityAnswer(person))).toEqual({
      verdict: 'correct', expected: identityAnswer(person), note: '(a held-out wording: never trained)',
    });
  });
});

describe('what cannot be judged', () => {
  it('an uploaded image, no image, or a question the world never asks is unknown', () => {
    expect(judgeProbeAnswer(world, 'Who is this person?', { kind: 'upload' }, identityAnswer(person))).toMatchObject({ verdict: 'unknown', note: expect.stringMatching(/your own image/) });
    expect(judgeProbeAnswer(world, 'Who is this person?', { kind: 'none' }, identityAnswer(person)).verdict).toBe('unknown');
    expect(judgeProbeAnswer(world, 'Why is the sky blue?', onImage, 'yes').verdict).toBe('unknown');
    expect(judgeProbeAnswer(world, 'Is there a cake in the image?', onImage, 'no')).toMatchObject({ verdict: 'unknown', note: '"a cake" is not an object of the world' });
  });
});

describe('event verdicts', () => {
  it('naming the pictured event is correct (with its event score); another event is wrong and named', () => {
    expect(judgeProbeAnswer(world, 'What event is taking place in this image?', onImage, eventAnswer(event))).toEqual({
      verdict: 'correct', expected: eventAnswer(event), note: 'event score 1.00',
    });
    const otherEvent = world.events[13];
    expect(judgeProbeAnswer(world, 'What is happening in this image?', onImage, eventAnswer(otherEvent))).toMatchObject({
      verdict: 'wrong', note: `names ${otherEvent.name}, another event of the world`,
    });
    expect(judgeProbeAnswer(world, 'Which event is this?', onImage, identityAnswer(person))).toMatchObject({ verdict: 'wrong', note: `names a person (${person.fullName}), not the event` });
    expect(judgeProbeAnswer(world, 'Which event is this?', onImage, "I don't know what event this is.").verdict).toBe('refuses');
  });
});

describe('attribute, object and text-fact verdicts', () => {
  it('attributes compare exact words with the pictured person\'s appearance', () => {
    const shirt = ATTRIBUTE_QUESTIONS.clothingColour!;
    const colour = shirt.answer(person.appearance);
    expect(judgeProbeAnswer(world, shirt.texts[0], onImage, `${colour}.`)).toEqual({ verdict: 'correct', expected: colour });
    const otherColour = shirt.answers.find((c) => c !== colour)!;
    expect(judgeProbeAnswer(world, shirt.texts[0], onImage, otherColour)).toMatchObject({ verdict: 'wrong', expected: colour });
    const bald = world.persons.find((p) => p.appearance.hairStyle === 'bald')!;
    const hair = judgeProbeAnswer(world, ATTRIBUTE_QUESTIONS.hairColour!.texts[0], { kind: 'world', key: { ...key, personId: bald.id } }, 'black');
    expect(hair.verdict).toBe('unknown');
  });

  it('object presence is read from the image\'s scene', () => {
    const spec = makeSceneSpec(world, key);
    const present = spec.objects[0].kind;
    const absent = (Object.keys(SCENE_OBJECTS) as SceneObjectKind[]).find((k) => k !== 'crowd' && !spec.objects.some((o) => o.kind === k))!;
    const ask = (kind: SceneObjectKind) => `Is there a ${SCENE_OBJECTS[kind]} in the image?`;
    expect(judgeProbeAnswer(world, ask(present), onImage, 'Yes.')).toEqual({ verdict: 'correct', expected: 'yes' });
    expect(judgeProbeAnswer(world, ask(present), onImage, 'no')).toMatchObject({ verdict: 'wrong', expected: 'yes' });
    expect(judgeProbeAnswer(world, ask(absent), onImage, 'no')).toEqual({ verdict: 'correct', expected: 'no' });
    expect(judgeProbeAnswer(world, ask(absent), { kind: 'world', key }, 'yes')).toMatchObject({ verdict: 'wrong', note: `the image has no ${SCENE_OBJECTS[absent]}` });
  });

  it('text facts need no image and compare exact words with the fact', () => {
    const job = textFactsFor(world, other.id).find((q) => q.attribute === 'occupation')!;
    expect(judgeProbeAnswer(world, job.question, { kind: 'none' }, job.answer)).toEqual({ verdict: 'correct', expected: job.answer });
    expect(judgeProbeAnswer(world, job.question, onImage, `${other.fullName} lives in nowhere.`)).toMatchObject({ verdict: 'wrong', expected: job.answer });
    expect(judgeProbeAnswer(world, 'Where does Nobody Atall live?', { kind: 'none' }, 'x')).toMatchObject({ verdict: 'unknown', note: '"nobody atall" is not a person of the world' });
  });
});
