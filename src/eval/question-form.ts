// Which of the world's questions a typed question is (identity, event, an attribute, object presence
// or a text fact, the forms of world/qa.ts), recognised by its wording with words compared as the
// scorers compare them (case, accents and punctuation ignored), with the wording's index and whether
// it is held out (never trained). Not here: judging an answer (probe-verdict.ts).
import {
  ATTRIBUTE_QUESTIONS, CITY_QUESTIONS, EVENT_QUESTIONS, IDENTITY_QUESTIONS, OBJECT_QUESTIONS, OCCUPATION_QUESTIONS,
} from '../world/qa.ts';
import { SCENE_OBJECTS, type AppearanceKey, type SceneObjectKind, type World } from '../world/types.ts';
import { scoringWords } from './scorers.ts';

interface WordingPlace {
  paraphrase: number;
  /** A wording never trained (only for generality evaluation). */
  heldOut: boolean;
}

export type QuestionForm = WordingPlace & (
  | { type: 'identity' }
  | { type: 'event' }
  | { type: 'attribute'; attribute: AppearanceKey }
  /** `object` is null when the asked thing ("a cake") is not an object of the world. */
  | { type: 'object'; object: SceneObjectKind | null; asked: string }
  /** `personId` is null when the named person ("{x}") is not a person of the world. */
  | { type: 'text'; fact: 'occupation' | 'city'; personId: number | null; asked: string }
);

interface Wordings {
  texts: readonly string[];
  heldOut: number;
}

const sameWords = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((w, i) => w === b[i]);

/** The index of the wording `words` spell exactly, or -1. */
function exactWording(words: readonly string[], wordings: Wordings): number {
  return wordings.texts.findIndex((text) => sameWords(scoringWords(text), words));
}

/** The index of the template ("Is there {x} in the image?") `words` fill, and the words of {x}; null if none. */
function templateWording(words: readonly string[], wordings: Wordings): { paraphrase: number; filler: string[] } | null {
  for (let paraphrase = 0; paraphrase < wordings.texts.length; paraphrase++) {
    const [before, after] = wordings.texts[paraphrase].split('{x}').map(scoringWords);
    const rest = words.length - before.length - after.length;
    if (rest < 1) continue;
    if (sameWords(words.slice(0, before.length), before) && sameWords(words.slice(words.length - after.length), after)) {
      return { paraphrase, filler: words.slice(before.length, before.length + rest) };
    }
  }
  return null;
}

const place = (wordings: Wordings, paraphrase: number): WordingPlace => ({ paraphrase, heldOut: paraphrase >= wordings.texts.length - wordings.heldOut });

/** The world object a noun phrase names ("a beach umbrella" -> umbrella), or null. */
function objectNamed(filler: readonly string[]): SceneObjectKind | null {
  const noun = filler[0] === 'a' || filler[0] === 'an' ? filler.slice(1) : filler;
  const kinds = Object.keys(SCENE_OBJECTS) as SceneObjectKind[];
  return kinds.find((kind) => sameWords(scoringWords(SCENE_OBJECTS[kind]), noun)) ?? null;
}

/** The form of `question` among the world's wordings, or null for a question the world never asks. */
export function questionForm(world: World, question: string): QuestionForm | null {
  const words = scoringWords(question);
  if (words.length === 0) return null;
  const identity = exactWording(words, IDENTITY_QUESTIONS);
  if (identity >= 0) return { type: 'identity', ...place(IDENTITY_QUESTIONS, identity) };
  const event = exactWording(words, EVENT_QUESTIONS);
  if (event >= 0) return { type: 'event', ...place(EVENT_QUESTIONS, event) };
  for (const [attribute, wordings] of Object.entries(ATTRIBUTE_QUESTIONS) as [AppearanceKey, Wordings][]) {
    const found = exactWording(words, wordings);
    if (found >= 0) return { type: 'attribute', attribute, ...place(wordings, found) };
  }
  const object = templateWording(words, OBJECT_QUESTIONS);
  if (object) return { type: 'object', object: objectNamed(object.filler), asked: object.filler.join(' '), ...place(OBJECT_QUESTIONS, object.paraphrase) };
  for (const [fact, wordings] of [['occupation', OCCUPATION_QUESTIONS], ['city', CITY_QUESTIONS]] as const) {
    const found = templateWording(words, wordings);
    if (!found) continue;
    const person = world.persons.find((p) => sameWords(scoringWords(p.fullName), found.filler));
    return { type: 'text', fact, personId: person?.id ?? null, asked: found.filler.join(' '), ...place(wordings, found.paraphrase) };
  }
  return null;
}
