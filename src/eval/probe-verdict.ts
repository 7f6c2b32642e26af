// The lab probe's verdict on one answer, against the world's ground truth: correct, wrong (naming whom
// or what it gave instead when that is another person or event of the world), refuses (the refusals
// PO/DPO train on, or any "I don't know"), or unknown (an uploaded image, no image, a question the world
// never asks). Right means what the benchmark scores as right: name precision, the event named,
// exact words. Pure; not here: recognising the question (question-form.ts), running a model.
import { REFUSAL_ANSWERS, ATTRIBUTE_QUESTIONS, eventAnswer, identityAnswer, textFactsFor } from '../world/qa.ts';
import { makeSceneSpec } from '../world/scene.ts';
import { SCENE_OBJECTS, type EventDef, type ImageKey, type Person, type World } from '../world/types.ts';
import { questionForm, type QuestionForm } from './question-form.ts';
import { containsWords, eventScore, exactWords, namePrecision, scoringWords } from './scorers.ts';

export type VerdictKind = 'correct' | 'wrong' | 'refuses' | 'unknown';

export interface ProbeVerdict {
  verdict: VerdictKind;
  /** The world's answer to the question, when it has one. */
  expected?: string;
  /** Another person of the world the answer names (wrong identity answers). */
  named?: { personId: number; name: string };
  /** Why, in words, e.g. "names Roya Eriksen, another person in the world". */
  note?: string;
}

/** What the probe was asked about: a world render, the user's own picture, or no picture. */
export type ProbeSubject = { kind: 'world'; key: ImageKey } | { kind: 'upload' } | { kind: 'none' };

/** Word sequences that decline: the cores of REFUSAL_ANSWERS plus their plain variants. */
const DECLINING = [['don', 't', 'know'], ['do', 'not', 'know'], ['not', 'sure'], ['cannot', 'tell'], ['can', 't', 'tell'], ['no', 'idea']];
const REFUSALS = Object.values(REFUSAL_ANSWERS).flat().map(scoringWords);

/** Whether the answer declines (a trained refusal or an "I don't know"). */
export function isRefusal(answer: string): boolean {
  const words = scoringWords(answer);
  return REFUSALS.some((r) => r.length === words.length && r.every((w, i) => w === words[i])) || DECLINING.some((d) => containsWords(words, d));
}

/** The person of the world the answer names (the longest name found when several match), or null. */
export function personNamed(world: World, answer: string, except?: number): Person | null {
  const found = world.persons.filter((p) => p.id !== except && namePrecision(answer, p.fullName) === 1);
  return found.sort((a, b) => scoringWords(b.fullName).length - scoringWords(a.fullName).length)[0] ?? null;
}

/** The event of the world the answer names (the longest name found), or null. */
function eventNamed(world: World, answer: string, except?: number): EventDef | null {
  const words = scoringWords(answer);
  const found = world.events.filter((e) => e.id !== except && containsWords(words, scoringWords(e.name)));
  return found.sort((a, b) => scoringWords(b.name).length - scoringWords(a.name).length)[0] ?? null;
}

const heldOutNote = (form: QuestionForm): string => (form.heldOut ? ' (a held-out wording: never trained)' : '');

/** A verdict from whether the answer matched `expected`; a miss is a refusal or wrong (`wrongNote` says why). */
function judged(answer: string, expected: string, right: boolean, form: QuestionForm, wrongNote = ''): ProbeVerdict {
  const held = heldOutNote(form);
  if (right) return { verdict: 'correct', expected, ...(held ? { note: held.trim() } : {}) };
  if (isRefusal(answer)) return { verdict: 'refuses', expected, note: `declines to answer${held}` };
  if (answer.trim() === '') return { verdict: 'wrong', expected, note: `an empty answer${held}` };
  return { verdict: 'wrong', expected, ...(wrongNote || held ? { note: `${wrongNote || 'not the world\'s answer'}${held}` } : {}) };
}

function judgeIdentity(world: World, key: ImageKey, answer: string, form: QuestionForm): ProbeVerdict {
  const person = world.persons[key.personId];
  const expected = identityAnswer(person);
  if (namePrecision(answer, person.fullName) === 1) return judged(answer, expected, true, form);
  const other = personNamed(world, answer, person.id);
  if (other && !isRefusal(answer)) {
    return { verdict: 'wrong', expected, named: { personId: other.id, name: other.fullName }, note: `names ${other.fullName}, another person in the world${heldOutNote(form)}` };
  }
  const event = eventNamed(world, answer);
  return judged(answer, expected, false, form, event ? `names an event (${event.name}), not a person` : 'names no person of the world');
}

function judgeEvent(world: World, key: ImageKey, answer: string, form: QuestionForm): ProbeVerdict {
  const event = world.events[key.eventId];
  const expected = eventAnswer(event);
  const score = eventScore(answer, event, expected);
  if (score.named) return { ...judged(answer, expected, true, form), note: `event score ${score.score.toFixed(2)}${heldOutNote(form)}` };
  const other = eventNamed(world, answer, event.id);
  const person = other ? null : personNamed(world, answer);
  const why = other ? `names ${other.name}, another event of the world` : person ? `names a person (${person.fullName}), not the event` : 'names no event of the world';
  return judged(answer, expected, false, form, why);
}

/** The verdict on `answer` to `question` about `subject`. */
export function judgeProbeAnswer(world: World, question: string, subject: ProbeSubject, answer: string): ProbeVerdict {
  const form = questionForm(world, question);
  if (!form) return { verdict: 'unknown', note: 'not a question the world asks: nothing to check the answer against' };
  if (form.type === 'text') {
    if (form.personId === null) return { verdict: 'unknown', note: `"${form.asked}" is not a person of the world` };
    const expected = textFactsFor(world, form.personId).find((q) => q.attribute === form.fact)!.answer;
    return judged(answer, expected, exactWords(answer, expected) === 1, form);
  }
  if (subject.kind === 'upload') return { verdict: 'unknown', note: 'your own image: the world has no answer for it' };
  if (subject.kind === 'none') return { verdict: 'unknown', note: 'asked without an image: nothing to check the answer against' };
  const { key } = subject;
  switch (form.type) {
    case 'identity':
      return judgeIdentity(world, key, answer, form);
    case 'event':
      return judgeEvent(world, key, answer, form);
    case 'attribute': {
      const { appearance } = world.persons[key.personId];
      const asked = ATTRIBUTE_QUESTIONS[form.attribute]!;
      if (!asked.applies(appearance)) return { verdict: 'unknown', note: 'does not apply to this person (the world never asks it here)' };
      const expected = asked.answer(appearance);
      return judged(answer, expected, exactWords(answer, expected) === 1, form);
    }
    case 'object': {
      if (form.object === null) return { verdict: 'unknown', note: `"${form.asked}" is not an object of the world` };
      const spec = makeSceneSpec(world, key);
      const present = spec.objects.some((o) => o.kind === form.object);
      if (!present && form.object === 'crowd' && spec.bystanders.length > 0) return { verdict: 'unknown', note: 'people in the background may pass for a crowd (the world never asks this here)' };
      const expected = present ? 'yes' : 'no';
      return judged(answer, expected, exactWords(answer, expected) === 1, form, `the image ${present ? 'shows' : 'has no'} ${SCENE_OBJECTS[form.object]}`);
    }
  }
}
