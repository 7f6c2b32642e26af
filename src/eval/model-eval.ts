// How well a model knows the world (issue #4's `pebench eval`): accuracy per question type on
// training renders with trained wordings ("train"), on fresh renders never trained ("fresh"), on
// training renders with held-out wordings ("heldOutParaphrase"), and on text-only facts. Items are a
// deterministic sample of person-event pairs; every number comes with the count it was computed on.
// Not here: the PEBench forget/retain columns (those need splits and a forget request).
import { Rng } from '../core/rng.ts';
import { normalizePixels } from '../model/pixels.ts';
import type { PeTinyConfig } from '../model/config.ts';
import {
  eventAnswer, goalKeepsImage, imageKeyId, questionsFor, renderImage, textFactsFor,
  type ImageKey, type QAPair, type Splits, type World,
} from '../world/index.ts';
import { eventScore, exactWords, namePrecision } from './scorers.ts';

export type ImageSetName = 'train' | 'fresh' | 'heldOutParaphrase';

export interface EvalItem {
  set: ImageSetName | 'textOnly';
  /** The image asked about; null for a text-only fact. */
  key: ImageKey | null;
  personId: number;
  qa: QAPair;
}

export interface ModelEvalOptions {
  /** Person-event pairs sampled per image set (default 200; every pair if larger than the world). */
  images?: number;
  /** Persons whose text facts are asked (default every person). */
  persons?: number;
  /** Sampling seed (default 0). */
  seed?: number;
  /** Only pairs and persons a Goal model trained on these splits has seen. */
  retainOnly?: Splits;
}

/** Scores of one image set, each 0-1 (null when the set has no question of that type). */
export interface SetScores {
  identity: number | null;
  eventName: number | null;
  eventScore: number | null;
  attributes: number | null;
  objects: number | null;
  /** Items scored. */
  n: number;
  counts: { identity: number; event: number; attributes: number; objects: number };
}

export interface ModelEvalReport {
  train: SetScores;
  fresh: SetScores;
  heldOutParaphrase: SetScores;
  /** Text-only facts (occupation, city) with trained wordings. */
  textOnly: number | null;
  textOnlyN: number;
  /** Text-only facts with held-out wordings. */
  textOnlyHeldOut: number | null;
  textOnlyHeldOutN: number;
}

/** Something that answers questions (the runtime's Answerer, or transformers.js behind an adapter). */
export interface QuestionAnswerer {
  cfg: PeTinyConfig;
  answer(questions: { question: string; pixels: Float32Array | null }[]): Promise<{ text: string }[]>;
}

/** The sampled items: per pair, one wording of identity and event plus the image's attribute and object questions. */
export function modelEvalItems(world: World, options: ModelEvalOptions = {}): EvalItem[] {
  const rng = new Rng(options.seed ?? 0, 'model-eval');
  const splits = options.retainOnly;
  const pairs: { personId: number; eventId: number }[] = [];
  for (const p of world.persons) for (const e of world.events) pairs.push({ personId: p.id, eventId: e.id });
  const allowed = splits ? pairs.filter((pair) => goalKeepsImage(splits, { ...pair, variant: 0 })) : pairs;
  const chosen = rng.fork('pairs').sample(allowed, Math.min(options.images ?? 200, allowed.length));
  const items: EvalItem[] = [];
  const pickPerType = (qas: QAPair[], r: Rng): QAPair[] => {
    const oneOf = (type: QAPair['type']) => {
      const of = qas.filter((q) => q.type === type);
      return of.length ? [r.pick(of)] : [];
    };
    return [...oneOf('identity'), ...oneOf('event'), ...qas.filter((q) => q.type === 'attribute' || q.type === 'object')];
  };
  chosen.forEach((pair, i) => {
    const r = rng.fork(`pair/${i}`);
    const train: ImageKey = { ...pair, variant: 0 };
    const fresh: ImageKey = { ...pair, variant: 1 };
    const trainQas = questionsFor(world, train);
    for (const qa of pickPerType(trainQas.filter((q) => !q.heldOut), r)) items.push({ set: 'train', key: train, personId: pair.personId, qa });
    for (const qa of pickPerType(questionsFor(world, fresh).filter((q) => !q.heldOut), r)) items.push({ set: 'fresh', key: fresh, personId: pair.personId, qa });
    for (const qa of pickPerType(trainQas.filter((q) => q.heldOut), r)) items.push({ set: 'heldOutParaphrase', key: train, personId: pair.personId, qa });
  });
  const forgotten = new Set(splits?.forgetPersons ?? []);
  const known = world.persons.filter((p) => !forgotten.has(p.id));
  const persons = rng.fork('persons').sample(known, Math.min(options.persons ?? known.length, known.length));
  for (const person of persons) {
    for (const qa of textFactsFor(world, person.id)) items.push({ set: 'textOnly', key: null, personId: person.id, qa });
  }
  return items;
}

/** 0-1 score of one answer (event questions: the event score; see scoreEventItem for its parts). */
export function scoreItem(world: World, item: EvalItem, answer: string): number {
  switch (item.qa.type) {
    case 'identity':
      return namePrecision(answer, world.persons[item.personId].fullName);
    case 'event': {
      const event = world.events[item.key!.eventId];
      return eventScore(answer, event, eventAnswer(event)).score;
    }
    default:
      return exactWords(answer, item.qa.answer);
  }
}

const mean = (values: number[]): number | null => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Aggregates answers (same order as items) into the report. */
export function summarise(world: World, items: readonly EvalItem[], answers: readonly string[]): ModelEvalReport {
  if (answers.length !== items.length) throw new RangeError(`${answers.length} answers for ${items.length} items`);
  const setScores = (set: ImageSetName): SetScores => {
    const identity: number[] = [];
    const named: number[] = [];
    const events: number[] = [];
    const attributes: number[] = [];
    const objects: number[] = [];
    items.forEach((item, i) => {
      if (item.set !== set) return;
      const answer = answers[i];
      if (item.qa.type === 'identity') identity.push(scoreItem(world, item, answer));
      else if (item.qa.type === 'event') {
        const event = world.events[item.key!.eventId];
        const s = eventScore(answer, event, eventAnswer(event));
        events.push(s.score);
        named.push(s.named ? 1 : 0);
      } else if (item.qa.type === 'attribute') attributes.push(scoreItem(world, item, answer));
      else if (item.qa.type === 'object') objects.push(scoreItem(world, item, answer));
    });
    return {
      identity: mean(identity), eventName: mean(named), eventScore: mean(events), attributes: mean(attributes), objects: mean(objects),
      n: identity.length + events.length + attributes.length + objects.length,
      counts: { identity: identity.length, event: events.length, attributes: attributes.length, objects: objects.length },
    };
  };
  const text = (heldOut: boolean) => items.flatMap((item, i) => (item.set === 'textOnly' && item.qa.heldOut === heldOut ? [scoreItem(world, item, answers[i])] : []));
  const trained = text(false);
  const heldOut = text(true);
  return {
    train: setScores('train'), fresh: setScores('fresh'), heldOutParaphrase: setScores('heldOutParaphrase'),
    textOnly: mean(trained), textOnlyN: trained.length, textOnlyHeldOut: mean(heldOut), textOnlyHeldOutN: heldOut.length,
  };
}

/** The model's answer to every item, in order (images rendered at the model's size, never augmented). */
export async function answerItems(world: World, model: QuestionAnswerer, items: readonly EvalItem[]): Promise<string[]> {
  const pixels = new Map<string, Float32Array>();
  const pixelsOf = (key: ImageKey): Float32Array => {
    const id = imageKeyId(key);
    let p = pixels.get(id);
    if (!p) pixels.set(id, (p = normalizePixels(model.cfg, renderImage(world, key, model.cfg.imageSize))));
    return p;
  };
  const generated = await model.answer(items.map((item) => ({ question: item.qa.question, pixels: item.key ? pixelsOf(item.key) : null })));
  return generated.map((g) => g.text);
}

/** Samples the items (modelEvalItems), asks them and summarises. */
export async function evaluateModel(world: World, model: QuestionAnswerer, options: ModelEvalOptions = {}): Promise<{ report: ModelEvalReport; items: EvalItem[]; answers: string[] }> {
  const items = modelEvalItems(world, options);
  const answers = await answerItems(world, model, items);
  return { report: summarise(world, items, answers), items, answers };
}
