// Questions and answers about the world (docs/paper.md section 2): identity and event questions on an
// image, attribute questions (utility, "Real"), POPE-style object-presence questions (utility,
// "World Fact", balanced yes/no, answers read from the image's SceneSpec) and text-only facts.
// Each type has several paraphrases; the last ones of each list are held out (never trained).
// Not which items go to forget/retain sets (splits.ts), not the scorers (eval/).

import { Rng } from '../core/rng.ts';
import { article } from './cities.ts';
import { findPerson, makeSceneSpec } from './scene.ts';
import {
  SCENE_OBJECTS, type Appearance, type AppearanceKey, type EventDef, type ImageKey, type Person,
  type SceneObjectKind, type World,
} from './types.ts';

export type QuestionType = 'identity' | 'event' | 'attribute' | 'object' | 'text';

export interface QAPair {
  type: QuestionType;
  question: string;
  answer: string;
  /** Index of the question wording within its type (and attribute/fact). */
  paraphrase: number;
  /** A wording never used for training: only for generality evaluation. */
  heldOut: boolean;
  attribute?: AppearanceKey | 'occupation' | 'city';
  object?: SceneObjectKind;
  /** For yes/no questions: whether the right answer is "yes". */
  expectYes?: boolean;
}

/** A list of wordings; the last `heldOut` of them are held out. `{x}` is filled in per question. */
interface Wordings {
  texts: readonly string[];
  heldOut: number;
}

export const IDENTITY_QUESTIONS: Wordings = {
  texts: [
    'Who is the person in this image?', 'Who is this person?', 'What is the name of the person in the image?',
    'Tell me who is in this picture.', 'Whose face is in this image?', 'Can you tell me the name of this person?',
    // Carrier words ("what", "which", "describe", "name", "tell me", "can you", "does this picture
    // show", "is this") open both identity and event wordings, so only the type words (who, whose,
    // person, name vs event, scene, happening, doing) tell them apart. A model trained with carriers
    // that belonged to one type answered every "what" question with an event, and later every
    // "... picture ... this" question too (issue #4).
    'Which person is this?', 'Describe who is in this picture.', 'Name the person in this image.',
    'What is the name of this person?', 'Tell me the name of this person.', 'Whose face does this picture show?',
    'Which person does this image show?', 'Can you tell me whose face this picture shows?', 'Describe the person in this picture.',
    'Can you tell me who this is?', 'Whose picture is this?',
  ],
  heldOut: 2,
};

export const EVENT_QUESTIONS: Wordings = {
  texts: [
    'What event is taking place in this image?', 'What is happening in this image?',
    'What is the person doing in this image?', 'What kind of scene does this image show?',
    'Describe what is happening in this picture.', 'What event does this picture show?',
    'Which event is this?', 'Describe the scene.', 'Tell me which event this is.', 'Which event does this picture show?',
    'Name the event.', 'Tell me what event is taking place in this picture.', 'Can you tell me what is happening in this image?',
    'Describe the scene in this picture.', 'Name the event in this picture.',
    'What kind of event does this picture show?', 'Describe the event in this image.',
  ],
  heldOut: 2,
};

export const OBJECT_QUESTIONS: Wordings = {
  texts: ['Is there {x} in the image?', 'Is there {x} in this picture?', 'Can you see {x} in the image?', 'Does this picture show {x}?', 'Does the image show {x}?'],
  heldOut: 1,
};

interface AttributeQuestion extends Wordings {
  answer: (a: Appearance) => string;
  /** Every answer this question can have (for the vocabulary). */
  answers: readonly string[];
  /** False when the attribute cannot be seen (hair colour of a bald person). */
  applies: (a: Appearance) => boolean;
}

const yesNo = (flag: boolean): string => (flag ? 'yes' : 'no');
const always = (): boolean => true;

export const ATTRIBUTE_QUESTIONS: Partial<Record<AppearanceKey, AttributeQuestion>> = {
  clothingColour: {
    texts: ["What colour is the person's shirt?", 'What colour shirt is the person wearing?', 'What is the colour of the shirt the person wears?', "What is the colour of the person's shirt?"],
    heldOut: 1, answer: (a) => a.clothingColour, applies: always,
    answers: ['red', 'orange', 'yellow', 'green', 'teal', 'blue', 'navy', 'purple', 'pink', 'white', 'black', 'grey'],
  },
  hairColour: {
    texts: ["What colour is the person's hair?", "What is the person's hair colour?", 'What colour is the hair of the person?', 'What colour hair does the person have?'],
    heldOut: 1, answer: (a) => a.hairColour, applies: (a) => a.hairStyle !== 'bald',
    answers: ['black', 'brown', 'blonde', 'auburn', 'grey', 'white', 'blue', 'pink'],
  },
  hairStyle: {
    texts: ["What is the person's hairstyle?", "How is the person's hair styled?", 'What kind of hair does the person have?', 'What kind of hairstyle does the person have?'],
    heldOut: 1, answer: (a) => a.hairStyle, applies: always,
    answers: ['bald', 'short', 'long', 'curly', 'bun', 'ponytail', 'spiky'],
  },
  glasses: {
    texts: ['Is the person wearing glasses?', 'Does the person wear glasses?', 'Has the person got glasses?', 'Does the person have glasses on?'],
    heldOut: 1, answer: (a) => yesNo(a.glasses !== 'none'), applies: always, answers: ['yes', 'no'],
  },
  headwear: {
    texts: ['What is the person wearing on their head?', 'What does the person wear on their head?', "What is on top of the person's head?", "What is on the person's head?"],
    heldOut: 1, answer: (a) => (a.headwear === 'none' ? 'nothing' : a.headwear), applies: always,
    answers: ['nothing', 'cap', 'beanie', 'fedora', 'headband', 'beret'],
  },
  clothingPattern: {
    texts: ["What pattern is on the person's shirt?", "What is the pattern of the person's shirt?", 'Which pattern is on the shirt of the person?', "Which pattern does the person's shirt have?"],
    heldOut: 1, answer: (a) => a.clothingPattern, applies: always, answers: ['plain', 'striped', 'dotted', 'checked'],
  },
  facialHair: {
    texts: ['Does the person have facial hair?', 'Does the person have a beard or moustache?', 'Does the person have a beard?', 'Has the person got facial hair?'],
    heldOut: 1, answer: (a) => yesNo(a.facialHair !== 'none'), applies: always, answers: ['yes', 'no'],
  },
  accessory: {
    texts: ['What accessory is the person wearing?', 'What accessory does the person have?', 'Which accessory does the person have on?', 'Which accessory is the person wearing?'],
    heldOut: 1, answer: (a) => (a.accessory === 'none' ? 'nothing' : a.accessory), applies: always,
    answers: ['nothing', 'scarf', 'necklace', 'tie', 'badge', 'bag'],
  },
};

export const ATTRIBUTES_ASKED = Object.keys(ATTRIBUTE_QUESTIONS) as AppearanceKey[];

export const OCCUPATION_QUESTIONS: Wordings = {
  texts: ['What is the occupation of {x}?', 'What does {x} do for a living?', 'What is the job of {x}?', 'What job does {x} have?'],
  heldOut: 1,
};

export const CITY_QUESTIONS: Wordings = {
  texts: ['Where does {x} live?', 'Which city does {x} live in?', 'In which city does {x} live?'],
  heldOut: 1,
};

/** Refusals for preference-style unlearning (PO, DPO); listed here so the vocabulary covers them. */
export const REFUSAL_ANSWERS = {
  identity: ["I don't know who this is.", 'I am not sure who this person is.', 'I cannot tell who this is.'],
  event: ["I don't know what event this is.", 'I am not sure what is happening here.', 'I cannot tell what event this is.'],
  text: ["I don't know.", 'I am not sure.'],
} as const;

/** Keywords (beyond the name's own words) that an event answer lists; keeps answers short. */
export const EVENT_ANSWER_KEYWORDS = 5;
/** Attribute questions per image, and "yes" object questions per image (as many "no" ones). */
export const ATTRIBUTES_PER_IMAGE = 3;
export const OBJECT_YES_PER_IMAGE = 2;

const isHeldOut = (w: Wordings, index: number): boolean => index >= w.texts.length - w.heldOut;
const fill = (text: string, x: string): string => text.replace('{x}', x);

export function identityAnswer(person: Person): string {
  return `This is ${person.fullName}.`;
}

/** e.g. "This is beach relaxing: seaside, waves, clear sky, peaceful, break." */
export function eventAnswer(event: EventDef): string {
  const nameWords = new Set(event.name.split(' '));
  const extra: string[] = [];
  for (const k of event.keywords) {
    if (k.split(' ').every((w) => nameWords.has(w)) || extra.includes(k)) continue;
    if (extra.length < EVENT_ANSWER_KEYWORDS) extra.push(k);
  }
  return `This is ${event.name}: ${extra.join(', ')}.`;
}

/** All wordings of one question, each with the same answer. */
function allWordings(w: Wordings, make: (text: string, index: number) => Omit<QAPair, 'paraphrase' | 'heldOut'>): QAPair[] {
  return w.texts.map((text, index) => ({ ...make(text, index), paraphrase: index, heldOut: isHeldOut(w, index) }));
}

export function identityQuestions(person: Person): QAPair[] {
  return allWordings(IDENTITY_QUESTIONS, (question) => ({ type: 'identity', question, answer: identityAnswer(person) }));
}

export function eventQuestions(event: EventDef): QAPair[] {
  return allWordings(EVENT_QUESTIONS, (question) => ({ type: 'event', question, answer: eventAnswer(event) }));
}

export function attributeQuestion(key: AppearanceKey, appearance: Appearance, paraphrase: number): QAPair {
  const q = ATTRIBUTE_QUESTIONS[key];
  if (!q) throw new RangeError(`no question about "${key}"; askable attributes: ${ATTRIBUTES_ASKED.join(', ')}`);
  const answer = q.answer(appearance);
  const pair: QAPair = {
    type: 'attribute', question: q.texts[paraphrase], answer, paraphrase, heldOut: isHeldOut(q, paraphrase), attribute: key,
  };
  if (answer === 'yes' || answer === 'no') pair.expectYes = answer === 'yes';
  return pair;
}

/** The asked attributes that apply to `appearance` (ATTRIBUTES_ASKED order; no hair colour when bald). */
export function askableAttributes(appearance: Appearance): AppearanceKey[] {
  return ATTRIBUTES_ASKED.filter((k) => ATTRIBUTE_QUESTIONS[k]!.applies(appearance));
}

/**
 * One question per attribute that applies to `appearance` (ATTRIBUTES_ASKED order), each in a trained
 * wording drawn by `rng`: what a training image asks about its person.
 */
export function trainedAttributeQuestions(appearance: Appearance, rng: Rng): QAPair[] {
  return askableAttributes(appearance).map((k) => {
    const q = ATTRIBUTE_QUESTIONS[k]!;
    return attributeQuestion(k, appearance, rng.int(q.texts.length - q.heldOut));
  });
}

export function objectQuestion(kind: SceneObjectKind, present: boolean, paraphrase: number): QAPair {
  const noun = SCENE_OBJECTS[kind];
  return {
    type: 'object',
    question: fill(OBJECT_QUESTIONS.texts[paraphrase], `${article(noun)} ${noun}`),
    answer: yesNo(present),
    paraphrase,
    heldOut: isHeldOut(OBJECT_QUESTIONS, paraphrase),
    object: kind,
    expectYes: present,
  };
}

/** Text-only facts about one person (no image): every wording of the occupation and city questions. */
export function textFactsFor(world: World, personId: number): QAPair[] {
  const person = findPerson(world, personId);
  const name = person.fullName;
  return [
    ...allWordings(OCCUPATION_QUESTIONS, (text) => ({
      type: 'text', question: fill(text, name), answer: `${name} is ${article(person.job)} ${person.job}.`, attribute: 'occupation',
    })),
    ...allWordings(CITY_QUESTIONS, (text) => ({
      type: 'text', question: fill(text, name), answer: `${name} lives in ${person.city.name}.`, attribute: 'city',
    })),
  ];
}

/**
 * Every question about one image: all identity and event wordings (held-out ones flagged),
 * ATTRIBUTES_PER_IMAGE attribute questions and balanced object-presence questions.
 * `rng` picks the attributes, objects and wordings; by default it is derived from the seed and key.
 */
export function questionsFor(world: World, key: ImageKey, rng?: Rng): QAPair[] {
  const spec = makeSceneSpec(world, key);
  const person = findPerson(world, key.personId);
  const r = rng ?? new Rng(world.config.seed, `qa/${key.personId}/${key.eventId}/${key.variant}`);
  const askable = askableAttributes(person.appearance);
  const attributes = r.sample(askable, Math.min(ATTRIBUTES_PER_IMAGE, askable.length)).map((k) =>
    attributeQuestion(k, person.appearance, r.int(ATTRIBUTE_QUESTIONS[k]!.texts.length)),
  );
  const present = new Set(spec.objects.map((o) => o.kind));
  const objects = objectQuestionsFor(world, spec.event, present, spec.bystanders.length > 0, r);
  return [...identityQuestions(person), ...eventQuestions(spec.event), ...attributes, ...objects];
}

/** Kinds that a viewer may take for one another: never asked as "no" while a look-alike is present. */
const LOOK_ALIKES: readonly (readonly SceneObjectKind[])[] = [
  ['tree', 'pine'], ['building', 'barn', 'cabin'], ['table', 'desk'], ['shelf', 'bookshelf'], ['screen', 'window', 'painting'],
  ['star', 'spotlight'], ['sun', 'moon'], ['stage', 'podium'],
];

/** The `count` events most like `event`: shared objects, same backdrop, same indoor/outdoor. */
export function similarEvents(world: World, event: EventDef, count = 3): EventDef[] {
  const cacheKey = `${event.id}/${count}`;
  let cache = similarCache.get(world);
  if (!cache) similarCache.set(world, (cache = new Map()));
  const cached = cache.get(cacheKey);
  if (cached) return [...cached];
  const found = rankSimilar(world, event, count);
  cache.set(cacheKey, found);
  return [...found];
}

const similarCache = new WeakMap<World, Map<string, EventDef[]>>();

function rankSimilar(world: World, event: EventDef, count: number): EventDef[] {
  const mine = new Set([...event.iconic, ...event.optional]);
  const score = (e: EventDef): number =>
    [...e.iconic, ...e.optional].filter((k) => mine.has(k)).length + (e.backdrop === event.backdrop ? 2 : 0) +
    (e.indoor === event.indoor ? 1 : 0);
  return world.events
    .filter((e) => e.id !== event.id)
    .map((e) => ({ e, s: score(e) }))
    .sort((a, b) => b.s - a.s || a.e.id - b.e.id)
    .slice(0, count)
    .map(({ e }) => e);
}

/**
 * POPE-style questions: OBJECT_YES_PER_IMAGE present objects ("yes") and as many absent ones ("no"),
 * the absent ones half adversarial (props this event or similar events often show) and half random.
 */
export function objectQuestionsFor(
  world: World, event: EventDef, present: ReadonlySet<SceneObjectKind>, hasBystanders: boolean, rng: Rng,
): QAPair[] {
  const allKinds = Object.keys(SCENE_OBJECTS) as SceneObjectKind[];
  const lookAlikeOfPresent = (k: SceneObjectKind): boolean =>
    LOOK_ALIKES.some((group) => group.includes(k) && group.some((g) => g !== k && present.has(g)));
  const absent = allKinds.filter((k) => !present.has(k) && !lookAlikeOfPresent(k) && !(k === 'crowd' && hasBystanders));
  const nearby = new Set([event, ...similarEvents(world, event)].flatMap((e) => [...e.iconic, ...e.optional]));
  const adversarial = absent.filter((k) => nearby.has(k));
  const random = absent.filter((k) => !nearby.has(k));
  const yesCount = Math.min(OBJECT_YES_PER_IMAGE, present.size, absent.length);
  const yes = rng.sample([...present].sort(), yesCount);
  const adversarialCount = Math.min(Math.ceil(yesCount / 2), adversarial.length);
  const no = [...rng.sample(adversarial, adversarialCount), ...rng.sample(random, Math.min(yesCount - adversarialCount, random.length))];
  if (no.length < yesCount) no.push(...rng.sample(absent.filter((k) => !no.includes(k)), yesCount - no.length));
  const paraphrase = (): number => rng.int(OBJECT_QUESTIONS.texts.length);
  const pairs = [...yes.map((k) => objectQuestion(k, true, paraphrase())), ...no.map((k) => objectQuestion(k, false, paraphrase()))];
  return rng.shuffle(pairs);
}

/** Lowercased words and punctuation marks, split the way a BERT-style pre-tokenizer splits them. */
export function splitWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+|[^\sa-z0-9]/g) ?? [];
}

/** Every word (and punctuation mark) any question or answer of this world can use, sorted. */
export function worldVocabulary(world: World): string[] {
  const texts: string[] = [];
  const add = (...more: string[]): void => void texts.push(...more);
  const addPairs = (pairs: QAPair[]): void => pairs.forEach((p) => add(p.question, p.answer));
  for (const person of world.persons) {
    addPairs(identityQuestions(person));
    addPairs(textFactsFor(world, person.id));
  }
  for (const event of world.events) addPairs(eventQuestions(event));
  for (const q of Object.values(ATTRIBUTE_QUESTIONS)) add(...q.texts, ...q.answers);
  for (const kind of Object.keys(SCENE_OBJECTS) as SceneObjectKind[]) {
    for (let i = 0; i < OBJECT_QUESTIONS.texts.length; i++) add(objectQuestion(kind, true, i).question);
  }
  add('yes', 'no', ...Object.values(REFUSAL_ANSWERS).flat());
  return [...new Set(texts.flatMap(splitWords))].sort();
}
