// Training data for PE-Tiny: which images a model trains on, their trained question/answer pairs
// packed into fixed-length rows (sequence.ts layout), and text-only rows for the persons' facts.
// Held-out wordings never enter a row; a Goal model (retainOnly) sees no image and no text fact of a
// forgotten person or event. Batching lives in data-batches.ts.
// Not here: the training loop, learning rates, or scoring (the trainer and eval/ do those).
import type { Rng } from '../core/rng.ts';
import {
  findPerson, goalKeepsImage, imageKeyId, imageKeys, questionsFor, textFactsFor, trainedAttributeQuestions,
  type ImageKey, type QAPair, type Splits, type World,
} from '../world/index.ts';
import { imageTokenCount, type PeTinyConfig } from './config.ts';
import { packRow, type PackedRow } from './sequence.ts';
import type { Tokenizer } from './tokenizer.ts';

/** One packed row and where its turns came from. */
export interface TrainingRow {
  row: PackedRow;
  /** The image the row's `<image>` tokens stand for; null for a text-only row. */
  image: ImageKey | null;
  /** For a text-only row: whose facts it holds; for an image row: the pictured person. */
  personId: number;
  /** The pairs packed into the row, in row order (exactly row.turns of them). */
  qas: QAPair[];
}

export interface TrainingRowOptions {
  /** Row length T (tokens). */
  seqLen: number;
  /** At most this many turns per row (default: as many as fit in seqLen). */
  turnsPerRow?: number;
  /** Goal model: leave out the text facts of the splits' forgotten persons. */
  retainOnly?: Splits;
  /**
   * Trained wordings of the identity question per image (default 2) and of the event question
   * (default 1), drawn per image, so that across a person's or an event's images every trained wording
   * is seen without packing all of them into every image. Both are learnt long before the attributes.
   */
  identityWordings?: number;
  eventWordings?: number;
  /** Add text-only rows for the persons' facts (default true). */
  textFacts?: boolean;
}

/** The training renders (variant 0) of every person-event pair; for a Goal model only the ones it may see. */
export function trainingImages(world: World, options: { retainOnly?: Splits } = {}): ImageKey[] {
  const keys = imageKeys(world, 'train');
  const splits = options.retainOnly;
  return splits ? keys.filter((key) => goalKeepsImage(splits, key)) : keys;
}

/**
 * Rows for `keys` followed by text-only rows of every person's non-held-out facts (forgotten persons
 * left out for a Goal model). An image asks some trained identity and event wordings, every attribute
 * that applies to its person (a trained wording each) and its object questions in trained wordings,
 * shuffled with a fork of `rng` per image and packed greedily (a turn that does not fit starts a new
 * row of the same image).
 */
export function trainingRows(
  world: World, tokenizer: Tokenizer, cfg: PeTinyConfig, keys: readonly ImageKey[], rng: Rng, options: TrainingRowOptions,
): TrainingRow[] {
  const limit = options.turnsPerRow ?? Number.POSITIVE_INFINITY;
  if (!(limit >= 1)) throw new RangeError(`turnsPerRow must be at least 1, got ${options.turnsPerRow}`);
  const imageTokens = imageTokenCount(cfg);
  const rows: TrainingRow[] = [];
  const pack = (image: ImageKey | null, personId: number, pairs: QAPair[]): void => {
    let rest = pairs;
    while (rest.length > 0) {
      const take = rest.slice(0, Math.min(limit, rest.length));
      const row = packRow(tokenizer, { image: image !== null, turns: take, seqLen: options.seqLen, imageTokens });
      rows.push({ row, image, personId, qas: take.slice(0, row.turns) });
      rest = rest.slice(row.turns);
    }
  };
  for (const key of keys) {
    if (key.variant !== 0) throw new RangeError(`image ${imageKeyId(key)} is a fresh render (never trained): pass trainingImages(world)`);
    const r = rng.fork(`image/${imageKeyId(key)}`);
    const trained = questionsFor(world, key).filter((qa) => !qa.heldOut);
    const some = (type: QAPair['type'], count: number): QAPair[] => {
      const of = trained.filter((qa) => qa.type === type);
      return r.sample(of, Math.min(count, of.length));
    };
    const attributes = trainedAttributeQuestions(findPerson(world, key.personId).appearance, r.fork('attributes'));
    const objects = trained.filter((qa) => qa.type === 'object');
    const identity = some('identity', options.identityWordings ?? 2);
    const event = some('event', options.eventWordings ?? 1);
    pack(key, key.personId, r.shuffle([...identity, ...event, ...attributes, ...objects]));
  }
  if (options.textFacts ?? true) {
    const forgotten = new Set(options.retainOnly?.forgetPersons ?? []);
    for (const person of world.persons) {
      if (forgotten.has(person.id)) continue;
      const trained = textFactsFor(world, person.id).filter((qa) => !qa.heldOut);
      pack(null, person.id, rng.fork(`text/${person.id}`).shuffle(trained));
    }
  }
  return rows;
}

/** Counts for reports: rows, turns, image rows, text rows, and the mean tokens used per row. */
export function rowStats(rows: readonly TrainingRow[]): { rows: number; turns: number; imageRows: number; textRows: number; meanLength: number } {
  const imageRows = rows.filter((r) => r.image !== null).length;
  const turns = rows.reduce((sum, r) => sum + r.row.turns, 0);
  const meanLength = rows.length === 0 ? 0 : rows.reduce((sum, r) => sum + r.row.length, 0) / rows.length;
  return { rows: rows.length, turns, imageRows, textRows: rows.length - imageRows, meanLength };
}
