// The probe's questions as the page offers them: the wordings PE-Tiny was trained on, per type, for
// the "Questions it was trained on" list and the preset chips, placeholders filled from the picked
// image. Pure world code only; not here: the model's vocabulary (model-vocabulary.ts), sending
// (probe-asker.ts), recognising a typed question (eval/question-form.ts).
import { article } from '../../world/cities.ts';
import { createEvents } from '../../world/events.ts';
import {
  ATTRIBUTE_QUESTIONS, CITY_QUESTIONS, EVENT_QUESTIONS, IDENTITY_QUESTIONS, OBJECT_QUESTIONS, OCCUPATION_QUESTIONS,
} from '../../world/qa.ts';
import { SCENE_OBJECTS, type AppearanceKey, type WorldConfig } from '../../world/types.ts';

export interface TrainedForm {
  /** e.g. "who the person is", "shirt colour". */
  label: string;
  /** Trained wordings, placeholders filled with the example. */
  wordings: string[];
}

/** What fills the wordings' placeholders: the picked image's person and one object of its event. */
export interface QuestionExample {
  personName: string;
  /** An object noun of the world, e.g. "beach umbrella". */
  objectNoun: string;
}

const ATTRIBUTE_LABELS: Record<AppearanceKey, string> = {
  clothingColour: 'shirt colour', hairColour: 'hair colour', hairStyle: 'hairstyle', glasses: 'glasses', headwear: 'headwear',
  clothingPattern: 'shirt pattern', facialHair: 'facial hair', accessory: 'accessory',
  faceShape: 'face shape', skinTone: 'skin tone', eyeColour: 'eye colour', eyebrows: 'eyebrows',
};

const trained = (w: { texts: readonly string[]; heldOut: number }, x = ''): string[] =>
  w.texts.slice(0, w.texts.length - w.heldOut).map((text) => text.replace('{x}', x));

/** Every trained question form, grouped as the world asks them (held-out wordings left out). */
export function trainedForms(example: QuestionExample): TrainedForm[] {
  const object = `${article(example.objectNoun)} ${example.objectNoun}`;
  return [
    { label: 'who the person is', wordings: trained(IDENTITY_QUESTIONS) },
    { label: 'the event', wordings: trained(EVENT_QUESTIONS) },
    ...(Object.entries(ATTRIBUTE_QUESTIONS) as [AppearanceKey, { texts: readonly string[]; heldOut: number }][]).map(([key, q]) => ({
      label: ATTRIBUTE_LABELS[key], wordings: trained(q),
    })),
    { label: `an object (yes/no; any of the objects below)`, wordings: trained(OBJECT_QUESTIONS, object) },
    { label: 'occupation (text only, no image)', wordings: trained(OCCUPATION_QUESTIONS, example.personName) },
    { label: 'city (text only, no image)', wordings: trained(CITY_QUESTIONS, example.personName) },
  ];
}

/** Object nouns the world's object questions use, sorted. */
export const OBJECT_NOUNS: readonly string[] = Object.values(SCENE_OBJECTS).sort();

/** A noun of one of the event's always-drawn objects (so "Is there ...?" is usually yes). */
export function eventObjectNoun(config: WorldConfig, eventId: number): string {
  const event = createEvents(config.events)[eventId];
  return SCENE_OBJECTS[event?.iconic[0] ?? 'tree'];
}

/** The question the probe starts with ("Who is this person?"). */
export const FIRST_QUESTION = IDENTITY_QUESTIONS.texts[1];

/** The chips: one trained wording of identity, event, an attribute and an object question. */
export function presetQuestions(example: QuestionExample): string[] {
  const object = `${article(example.objectNoun)} ${example.objectNoun}`;
  return [FIRST_QUESTION, EVENT_QUESTIONS.texts[0], ATTRIBUTE_QUESTIONS.clothingColour!.texts[0], OBJECT_QUESTIONS.texts[0].replace('{x}', object)];
}
