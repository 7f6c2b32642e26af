// Training data: images and rows for Finetune and Goal models, and deterministic epoch batches.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import type { AppearanceKey } from '../../../src/world/types.ts';
import {
  ATTRIBUTES_ASKED, ATTRIBUTE_QUESTIONS, askableAttributes, createWorld, imageKeyId, makeSplits, questionsFor, renderImage, requestProblem,
  textFactsFor, worldVocabulary, type ForgetRequest,
} from '../../../src/world/index.ts';
import { TEST_CONFIG, withVocabulary } from '../../../src/model/config.ts';
import { EpochBatcher } from '../../../src/model/data-batches.ts';
import { rowStats, trainingImages, trainingRows, type TrainingRow } from '../../../src/model/data.ts';
import { normalizePixels } from '../../../src/model/pixels.ts';
import { Tokenizer } from '../../../src/model/tokenizer.ts';

const world = createWorld({ persons: 6, events: 6 });
const tokenizer = Tokenizer.fromWords(worldVocabulary(world));
const cfg = withVocabulary(TEST_CONFIG, tokenizer.size);
const seqLen = 128;
const request: ForgetRequest = { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 3 };
const splits = makeSplits(world, request);

const decode = (ids: ArrayLike<number>): string => tokenizer.decode(Array.from(ids));

/** Each turn of a row as "question => answer" text, read back from the token ids. */
function decodedTurns(r: TrainingRow): { question: string; answer: string }[] {
  const { inputIds, segmentIds } = r.row;
  const { ids } = tokenizer;
  const out: { question: string; answer: string }[] = [];
  for (let s = 1; s <= r.row.turns; s++) {
    const turn = Array.from(inputIds).filter((_, i) => segmentIds[i] === s);
    const at = turn.indexOf(ids.assistant);
    expect(turn[0]).toBe(ids.user);
    expect(turn.at(-1)).toBe(ids.eos);
    out.push({ question: decode(turn.slice(1, at)), answer: decode(turn.slice(at + 1, -1)) });
  }
  return out;
}
const norm = (text: string): string => decode(tokenizer.encode(text).ids);

describe('trainingImages', () => {
  it('gives variant 0 of every pair, and for a Goal model only images with no forgotten target', () => {
    const all = trainingImages(world);
    expect(all).toHaveLength(36);
    expect(all.every((k) => k.variant === 0)).toBe(true);
    expect(new Set(all.map(imageKeyId)).size).toBe(36);
    expect(requestProblem(world, request)).toBeNull();
    expect(splits.forgetPersons.length).toBeGreaterThan(0);
    expect(splits.forgetEvents.length).toBeGreaterThan(0);
    const goal = trainingImages(world, { retainOnly: splits });
    const expected = (world.persons.length - splits.forgetPersons.length) * (world.events.length - splits.forgetEvents.length);
    expect(goal).toHaveLength(expected);
    expect(goal.some((k) => splits.forgetPersons.includes(k.personId) || splits.forgetEvents.includes(k.eventId))).toBe(false);
  });
});

describe('trainingRows', () => {
  const keys = trainingImages(world);
  const rows = trainingRows(world, tokenizer, cfg, keys, new Rng(7), { seqLen, identityWordings: 99, eventWordings: 99 });

  it('packs every trained identity, event and object pair of every image (and every text fact) exactly once, and no held-out one', () => {
    const seen = new Map<string, number>();
    const bump = (id: string): void => void seen.set(id, (seen.get(id) ?? 0) + 1);
    for (const r of rows) {
      expect(r.qas).toHaveLength(r.row.turns);
      const owner = r.image ? imageKeyId(r.image) : `text-p${r.personId}`;
      const turns = decodedTurns(r);
      turns.forEach((t, i) => {
        expect(t.question).toBe(norm(r.qas[i].question));
        expect(t.answer).toBe(norm(r.qas[i].answer));
        if (r.qas[i].type !== 'attribute') bump(`${owner}|${t.question}|${t.answer}`);
      });
    }
    const expected = new Map<string, number>();
    for (const key of keys) {
      for (const qa of questionsFor(world, key)) {
        if (!qa.heldOut && qa.type !== 'attribute') expected.set(`${imageKeyId(key)}|${norm(qa.question)}|${norm(qa.answer)}`, 1);
      }
    }
    for (const p of world.persons) {
      for (const qa of textFactsFor(world, p.id)) if (!qa.heldOut) expected.set(`text-p${p.id}|${norm(qa.question)}|${norm(qa.answer)}`, 1);
    }
    expect(seen).toEqual(expected);
    // Held-out wordings exist in this world, and none of them became a turn.
    const heldOut = keys.flatMap((k) => questionsFor(world, k).filter((qa) => qa.heldOut).map((qa) => `${imageKeyId(k)}|${norm(qa.question)}`));
    expect(heldOut.length).toBeGreaterThan(0);
    const seenQuestions = new Set(rows.flatMap((r) => (r.image ? r.qas.map((qa) => `${imageKeyId(r.image!)}|${norm(qa.question)}`) : [])));
    expect(heldOut.filter((h) => seenQuestions.has(h))).toEqual([]);
  });

  it('asks every attribute that applies to the pictured person once per image, in a trained wording, with its answer', () => {
    const wordings = new Map<string, Set<string>>();
    for (const key of keys) {
      const appearance = world.persons[key.personId].appearance;
      const asked = rows.filter((r) => r.image && imageKeyId(r.image) === imageKeyId(key)).flatMap((r) => r.qas).filter((q) => q.type === 'attribute');
      const applies = askableAttributes(appearance);
      expect(asked.map((q) => q.attribute).sort()).toEqual([...applies].sort());
      for (const q of asked) {
        expect(q.heldOut).toBe(false);
        expect(q.answer).toBe(ATTRIBUTE_QUESTIONS[q.attribute as AppearanceKey]!.answer(appearance));
        wordings.set(q.attribute!, (wordings.get(q.attribute!) ?? new Set()).add(q.question));
      }
    }
    // Wordings are drawn per image: across 36 images more than one trained wording of each attribute shows up.
    for (const k of ATTRIBUTES_ASKED) expect(wordings.get(k)!.size).toBeGreaterThan(1);
    // The bald person's hair colour is never asked (it does not apply), and such a person exists here.
    expect(world.persons.some((p) => !ATTRIBUTE_QUESTIONS.hairColour!.applies(p.appearance))).toBe(true);
  });

  it('puts image tokens only in image rows, packs several turns per row, and splits a full image into more rows', () => {
    for (const r of rows) {
      const images = Array.from(r.row.inputIds).filter((id) => id === tokenizer.ids.image).length;
      expect(images).toBe(r.image ? 16 : 0);
    }
    expect(rows.some((r) => r.image && r.row.turns > 1)).toBe(true);
    const capped = trainingRows(world, tokenizer, cfg, keys.slice(0, 2), new Rng(7), { seqLen, turnsPerRow: 3, textFacts: false, identityWordings: 99, eventWordings: 99 });
    expect(capped.every((r) => r.row.turns <= 3 && r.image !== null)).toBe(true);
    const trainedPerImage = keys.slice(0, 2).map((k) =>
      questionsFor(world, k).filter((qa) => !qa.heldOut && qa.type !== 'attribute').length +
      askableAttributes(world.persons[k.personId].appearance).length);
    expect(capped).toHaveLength(trainedPerImage.reduce((s, n) => s + Math.ceil(n / 3), 0));
    // A short row forces the greedy packer to spill turns into new rows of the same image.
    const tight = trainingRows(world, tokenizer, cfg, keys.slice(0, 1), new Rng(7), { seqLen: 64, textFacts: false, identityWordings: 99, eventWordings: 99 });
    expect(tight.length).toBeGreaterThan(1);
    expect(tight.reduce((s, r) => s + r.row.turns, 0)).toBe(trainedPerImage[0]);
    expect(rowStats(rows).turns).toBe(rows.reduce((s, r) => s + r.qas.length, 0));
  });

  it('draws 2 trained identity wordings and 1 event wording per image by default, all of them across images', () => {
    const sampled = trainingRows(world, tokenizer, cfg, keys, new Rng(7), { seqLen, textFacts: false });
    const wordings = new Map<string, Set<string>>();
    for (const key of keys) {
      const qas = sampled.filter((r) => r.image && imageKeyId(r.image) === imageKeyId(key)).flatMap((r) => r.qas);
      for (const [type, count] of [['identity', 2], ['event', 1]] as const) {
        const of = qas.filter((q) => q.type === type);
        expect(of).toHaveLength(count);
        expect(of.every((q) => !q.heldOut)).toBe(true);
        for (const q of of) wordings.set(type, (wordings.get(type) ?? new Set()).add(q.question));
      }
      const objects = questionsFor(world, key).filter((q) => !q.heldOut && q.type === 'object');
      expect(qas.filter((q) => q.type === 'object')).toHaveLength(objects.length);
    }
    const trainedOf = (type: string) => questionsFor(world, keys[0]).filter((q) => q.type === type && !q.heldOut).length;
    expect(wordings.get('identity')!.size).toBe(trainedOf('identity'));
    // 36 images with one event wording each cover most of the 11 trained wordings
    expect(wordings.get('event')!.size).toBeGreaterThan(trainedOf('event') / 2);
  });

  it('is reproducible from the rng, and another seed shuffles the turns differently', () => {
    const again = trainingRows(world, tokenizer, cfg, keys, new Rng(7), { seqLen, identityWordings: 99, eventWordings: 99 });
    expect(again.map((r) => Array.from(r.row.inputIds))).toEqual(rows.map((r) => Array.from(r.row.inputIds)));
    const other = trainingRows(world, tokenizer, cfg, keys, new Rng(8), { seqLen, identityWordings: 99, eventWordings: 99 });
    expect(other.map((r) => Array.from(r.row.inputIds))).not.toEqual(rows.map((r) => Array.from(r.row.inputIds)));
  });

  it('gives a Goal model no forgotten image and no forgotten person as an answer', () => {
    const goal = trainingRows(world, tokenizer, cfg, trainingImages(world, { retainOnly: splits }), new Rng(7), { seqLen, retainOnly: splits });
    const forgottenNames = splits.forgetPersons.map((id) => norm(world.persons[id].fullName));
    const forgottenEventAnswers = splits.forgetEvents.flatMap((id) =>
      questionsFor(world, { personId: 0, eventId: id, variant: 0 }).filter((qa) => qa.type === 'event').map((qa) => norm(qa.answer)));
    expect(forgottenNames.length).toBeGreaterThan(0);
    for (const r of goal) {
      if (r.image) {
        expect(splits.forgetPersons).not.toContain(r.image.personId);
        expect(splits.forgetEvents).not.toContain(r.image.eventId);
      }
      for (const t of decodedTurns(r)) {
        for (const name of forgottenNames) expect(t.answer).not.toContain(name);
        expect(forgottenEventAnswers).not.toContain(t.answer);
      }
    }
    // The full model does train on them (so the checks above can fail).
    const fullAnswers = rows.flatMap((r) => decodedTurns(r).map((t) => t.answer));
    expect(fullAnswers.some((a) => forgottenNames.some((n) => a.includes(n)))).toBe(true);
    expect(fullAnswers.some((a) => forgottenEventAnswers.includes(a))).toBe(true);
    expect(goal.some((r) => r.image === null)).toBe(true);
  });
});

describe('EpochBatcher', () => {
  const keys = trainingImages(world).slice(0, 5);
  const rows = trainingRows(world, tokenizer, cfg, keys, new Rng(1), { seqLen }).slice(0, 13);
  let renders = 0;
  const render = (key: Parameters<typeof renderImage>[1]): Uint8ClampedArray => (renders++, renderImage(world, key, cfg.imageSize));

  it('is deterministic per seed and epoch, reshuffles across epochs, and pads the last batch', () => {
    const a = new EpochBatcher(world, cfg, rows, { batchSize: 4, seed: 5 });
    const b = new EpochBatcher(world, cfg, rows, { batchSize: 4, seed: 5 });
    expect(a.batchesPerEpoch).toBe(4);
    expect(a.epochOrder(0)).toEqual(b.epochOrder(0));
    expect(a.epochOrder(1)).not.toEqual(a.epochOrder(0));
    const order = a.epochOrder(2);
    expect(order.every((batch) => batch.length === 4)).toBe(true);
    const flat = order.flat();
    expect(new Set(flat).size).toBe(rows.length);
    expect(flat.slice(rows.length)).toEqual(flat.slice(0, flat.length - rows.length));
  });

  it('feeds the rows and each image pixels, rendering an image once per batch and zeros for text rows', () => {
    const textIndex = rows.findIndex((r) => r.image === null);
    const sameImage = rows.map((r, i) => i).filter((i) => rows[i].image && imageKeyId(rows[i].image!) === imageKeyId(rows[0].image!));
    const indices = [sameImage[0], textIndex, sameImage[0], rows.findIndex((r) => r.image && imageKeyId(r.image) !== imageKeyId(rows[0].image!))];
    expect(textIndex).toBeGreaterThanOrEqual(0);
    const batcher = new EpochBatcher(world, cfg, rows, { batchSize: 4, seed: 5, render });
    renders = 0;
    const batch = batcher.batch(indices);
    expect(renders).toBe(2);
    const each = 3 * cfg.imageSize * cfg.imageSize;
    expect(batch.pixels.dims).toEqual([4, 3, cfg.imageSize, cfg.imageSize]);
    const expected = normalizePixels(cfg, renderImage(world, rows[indices[3]].image!, cfg.imageSize));
    expect(batch.pixels.data.subarray(3 * each, 4 * each)).toEqual(expected);
    expect(batch.pixels.data.subarray(0, each)).toEqual(batch.pixels.data.subarray(2 * each, 3 * each));
    expect(batch.pixels.data.subarray(each, 2 * each).every((v) => v === 0)).toBe(true);
    expect(batch.rowIndices).toEqual(indices);
    const t = seqLen;
    expect(batch.feeds.input_ids.dims).toEqual([4, t]);
    expect(Array.from(batch.feeds.input_ids.data.subarray(t, 2 * t), Number)).toEqual(Array.from(rows[textIndex].row.inputIds));
  });

  it('yields every batch of an epoch', () => {
    const batcher = new EpochBatcher(world, cfg, rows, { batchSize: 5, seed: 2 });
    const batches = [...batcher.epoch(0)];
    expect(batches.map((b) => b.rowIndices)).toEqual(batcher.epochOrder(0));
  });
});
