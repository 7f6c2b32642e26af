// Recognising the world's question forms in typed questions: every wording of each type (held-out
// ones flagged), case and punctuation ignored, objects and persons read out of templates, and anything
// else is no form.
import { describe, expect, it } from 'vitest';
import { questionForm } from '../../../src/eval/question-form.ts';
import { ATTRIBUTE_QUESTIONS, EVENT_QUESTIONS, IDENTITY_QUESTIONS, createWorld, objectQuestion, textFactsFor, type AppearanceKey } from '../../../src/world/index.ts';

const world = createWorld();

describe('question forms', () => {
  it('knows every identity and event wording, flagging the held-out ones', () => {
    IDENTITY_QUESTIONS.texts.forEach((text, i) => {
      expect(questionForm(world, text)).toEqual({ type: 'identity', paraphrase: i, heldOut: i >= IDENTITY_QUESTIONS.texts.length - IDENTITY_QUESTIONS.heldOut });
    });
    EVENT_QUESTIONS.texts.forEach((text, i) => expect(questionForm(world, text)).toMatchObject({ type: 'event', paraphrase: i }));
    expect(questionForm(world, '  WHO is this person ')).toMatchObject({ type: 'identity', paraphrase: 1 });
  });

  it('knows each attribute wording', () => {
    for (const [attribute, q] of Object.entries(ATTRIBUTE_QUESTIONS) as [AppearanceKey, { texts: readonly string[] }][]) {
      q.texts.forEach((text, i) => expect(questionForm(world, text)).toMatchObject({ type: 'attribute', attribute, paraphrase: i }));
    }
  });

  it('reads the object out of object questions, or says it is not a world object', () => {
    expect(questionForm(world, objectQuestion('umbrella', true, 1).question)).toEqual({ type: 'object', object: 'umbrella', asked: 'a beach umbrella', paraphrase: 1, heldOut: false });
    expect(questionForm(world, 'Does the image show an airplane?')).toMatchObject({ type: 'object', object: 'airplane', heldOut: true });
    expect(questionForm(world, 'Is there a cake in the image?')).toMatchObject({ type: 'object', object: null, asked: 'a cake' });
  });

  it('reads the person out of text-fact questions', () => {
    const person = world.persons[3];
    for (const qa of textFactsFor(world, person.id)) {
      expect(questionForm(world, qa.question)).toMatchObject({ type: 'text', fact: qa.attribute, personId: person.id, heldOut: qa.heldOut });
    }
    expect(questionForm(world, 'Where does Nobody Atall live?')).toMatchObject({ type: 'text', personId: null, asked: 'nobody atall' });
  });

  it('has no form for other questions', () => {
    expect(questionForm(world, 'Why is the sky blue?')).toBeNull();
    expect(questionForm(world, 'Is there in the image?')).toBeNull();
    expect(questionForm(world, '?!')).toBeNull();
  });
});
