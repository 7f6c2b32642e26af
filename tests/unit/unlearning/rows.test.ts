// What unlearning trains on (rows.ts), for the three default requests on a small world and every
// method: no (image, question) of an evaluation set (generality, retain, scope, utility, text) ever
// reaches a row; forget rows hold only the targets' trained questions on their forget images, every
// forget item is trained, PO/DPO rows carry refusals, DPO twins share their prompts exactly, and a
// row's recorded turns are exactly what was packed into it; SIU's rows answer with its targets.
import { describe, expect, it } from 'vitest';
import { imageTokenCount } from '../../../src/model/config.ts';
import { packRow, type PackedRow } from '../../../src/model/sequence.ts';
import { METHODS, getMethod } from '../../../src/unlearning/registry.ts';
import { unlearningRows, type UnlearnData, type UnlearnRow } from '../../../src/unlearning/rows.ts';
import {
  REFUSAL_ANSWERS, forgetItemsOf, generalityItemsOf, imageKeyId, itemId, type ImageKey, type Splits,
} from '../../../src/world/index.ts';
import { SIU_VAGUE, madeUpName } from '../../../src/unlearning/siu-targets.ts';
import { defaultSplits, smallCfg, smallTokenizer, smallWorld } from './fixture.ts';

const SEQ_LEN = 64;
const rowsOf = (splits: Splits, methodId: string, seqLen = SEQ_LEN, seed = 1): UnlearnData =>
  unlearningRows(splits, smallTokenizer, smallCfg, getMethod(methodId), { seqLen, seed, world: smallWorld });
const turnKey = (image: ImageKey, question: string) => `${imageKeyId(image)}|${question}`;
const keysOf = (rows: readonly UnlearnRow[]) => rows.flatMap((r) => r.turns.map((t) => turnKey(r.image, t.question)));
/** The turns about the forget concept itself (SIU's rows also keep the image's attribute and object questions). */
const conceptTurns = (r: UnlearnRow) => r.turns.filter((t) => t.type === 'identity' || t.type === 'event');
const conceptKeys = (rows: readonly UnlearnRow[]) => rows.flatMap((r) => conceptTurns(r).map((t) => turnKey(r.image, t.question)));

/** Per turn of a packed row: its prompt tokens (<user> q <assistant>) and its answer tokens (a <eos>). */
function turnTokens(row: PackedRow): { prompt: number[]; answer: number[] }[] {
  const out: { prompt: number[]; answer: number[] }[] = [];
  for (let i = 0; i < row.length; i++) {
    const segment = row.segmentIds[i];
    if (segment < 1) continue;
    out[segment - 1] ??= { prompt: [], answer: [] };
    const turn = out[segment - 1];
    // Positions before the first loss position of a turn are prompt; the loss position itself
    // (<assistant>, predicting the first answer token) is the prompt's last token.
    const inAnswer = turn.answer.length > 0 || (i > 0 && row.segmentIds[i - 1] === segment && row.lossMask[i - 1] > 0);
    (inAnswer ? turn.answer : turn.prompt).push(row.inputIds[i]);
  }
  return out;
}

describe.each(defaultSplits.map(([name, splits]) => [name, splits] as const))('unlearning rows, %s request', (_, splits) => {
  const forgetIds = new Set(forgetItemsOf(splits).map(itemId));
  const evaluation = {
    generality: generalityItemsOf(splits),
    retainItems: splits.retainItems,
    scope: splits.scopeItems,
    utility: splits.utilityItems,
    textForget: splits.textItems.forget,
    textRetain: splits.textItems.retain,
  };
  const textQuestions = new Set([...splits.textItems.forget, ...splits.textItems.retain].map((i) => i.qa.question));

  it('the request has every kind of evaluation item (so the leak check below is not vacuous)', () => {
    for (const [set, items] of Object.entries(evaluation)) {
      if (set === 'textForget' && splits.forgetPersons.length === 0) continue;
      expect(items.length, set).toBeGreaterThan(0);
    }
  });

  it.each(METHODS.map((m) => m.id))('%s: no generality, retain-eval, scope, utility or text item reaches a row', (id) => {
    const data = rowsOf(splits, id);
    const used = new Set([...keysOf(data.forget), ...keysOf(data.retain)]);
    expect(used.size).toBeGreaterThan(0);
    for (const [set, items] of Object.entries(evaluation)) {
      const leaked = items.map(itemId).filter((key) => used.has(key));
      expect(leaked, `${id}: ${set} items in unlearning rows`).toEqual([]);
    }
    // Text facts are asked without an image: no row may ask one of their questions either.
    const asked = [...data.forget, ...data.retain].flatMap((r) => r.turns.map((t) => t.question));
    expect(asked.filter((q) => textQuestions.has(q))).toEqual([]);
  });

  it.each(METHODS.map((m) => m.id))('%s: forget rows hold only forget items, on forget images, and every forget item once', (id) => {
    const method = getMethod(id);
    const data = rowsOf(splits, id);
    for (const r of data.forget) {
      expect(r.role).toBe('forget');
      const target = splits.targets.find((t) => t.concept === r.concept && t.forgetImages.some((k) => imageKeyId(k) === imageKeyId(r.image)));
      expect(target, `forget row on ${imageKeyId(r.image)} is not on a forget image of a ${r.concept} target`).toBeDefined();
      expect(r.turns.length).toBeGreaterThan(0);
      for (const t of r.turns) {
        expect(t.heldOut).toBe(false);
        // SIU keeps what the forget image shows: its attribute and object questions, true answers.
        if (method.needs.siuTargets && (t.type === 'attribute' || t.type === 'object')) continue;
        expect(forgetIds.has(turnKey(r.image, t.question)), `${turnKey(r.image, t.question)} is not a forget item`).toBe(true);
        expect(t.type).toBe(r.concept === 'person' ? 'identity' : 'event');
      }
    }
    // Pair methods hold each prompt twice (refusal and true answer); others once.
    const keys = conceptKeys(data.forget);
    const copies = method.needs.pairs ? 2 : 1;
    expect(keys.length).toBe(forgetIds.size * copies);
    expect(new Set(keys)).toEqual(forgetIds);
  });

  it.each(METHODS.map((m) => m.id))('%s: answers are true answers, or refusals of the right kind where the method asks', (id) => {
    const method = getMethod(id);
    const data = rowsOf(splits, id);
    const truth = new Map(forgetItemsOf(splits).map((item) => [itemId(item), item.qa.answer]));
    const refusedRows = new Set(method.needs.pairs ? data.units.map((u) => u.rows[0]) : method.needs.refusals ? data.forget.map((_, i) => i) : []);
    data.forget.forEach((r, i) => {
      const refusals: readonly string[] = REFUSAL_ANSWERS[r.concept === 'person' ? 'identity' : 'event'];
      for (const t of conceptTurns(r)) {
        if (method.needs.siuTargets) {
          // SIU: a vague answer or the target's one made-up name, never the true answer.
          const target = splits.targets.find((x) => x.concept === r.concept && x.forgetImages.some((k) => imageKeyId(k) === imageKeyId(r.image)))!;
          expect([SIU_VAGUE[r.concept], `This is ${madeUpName(smallWorld, splits, target, 1)}.`]).toContain(t.answer);
          expect(t.answer).not.toBe(truth.get(turnKey(r.image, t.question)));
        } else if (refusedRows.has(i)) expect(refusals, `${id} row ${i}`).toContain(t.answer);
        else expect(t.answer).toBe(truth.get(turnKey(r.image, t.question)));
      }
    });
    if (method.needs.refusals) {
      // The refusal choice is seeded: the same seed picks the same ones, another seed other ones.
      const answers = (d: UnlearnData) => d.forget.flatMap((r) => r.turns.map((t) => t.answer)).join('\n');
      expect(answers(rowsOf(splits, id, SEQ_LEN, 1))).toBe(answers(data));
      expect(answers(rowsOf(splits, id, SEQ_LEN, 2))).not.toBe(answers(data));
    }
  });

  it.each(METHODS.map((m) => m.id))('%s: retain rows are exactly the retain training sample, with true answers', (id) => {
    const method = getMethod(id);
    const data = rowsOf(splits, id);
    if (!method.needs.retain) {
      expect(data.retain).toEqual([]);
      return;
    }
    expect(data.retain.map((r) => turnKey(r.image, r.turns[0].question))).toEqual(splits.retainTrainItems.map(itemId));
    data.retain.forEach((r, i) => {
      expect(r.role).toBe('retain');
      expect(r.turns).toEqual([splits.retainTrainItems[i].qa]);
      expect(r.concept).toBe(r.turns[0].type === 'identity' ? 'person' : 'event');
    });
  });

  it.each(METHODS.map((m) => m.id))('%s: each row packs exactly its recorded turns; units and images are consistent', (id) => {
    const method = getMethod(id);
    const data = rowsOf(splits, id);
    for (const r of [...data.forget, ...data.retain]) {
      const repacked = packRow(smallTokenizer, { image: true, turns: r.turns, seqLen: SEQ_LEN, imageTokens: imageTokenCount(smallCfg) });
      expect(repacked.turns).toBe(r.turns.length);
      expect(r.row.turns).toBe(r.turns.length);
      expect([...r.row.inputIds]).toEqual([...repacked.inputIds]);
      expect([...r.row.lossMask]).toEqual([...repacked.lossMask]);
      expect(r.row.unknown).toEqual([]);
    }
    // Every forget row is in exactly one unit of its own concept.
    const owner = data.forget.map(() => 0);
    for (const unit of data.units) {
      expect(unit.rows.length).toBe(method.needs.pairs ? 2 : 1);
      for (const i of unit.rows) {
        owner[i]++;
        expect(data.forget[i].concept).toBe(unit.concept);
      }
    }
    expect(owner.every((n) => n === 1)).toBe(true);
    const images = [...data.forget, ...data.retain].map((r) => imageKeyId(r.image));
    expect(data.images.map(imageKeyId).sort()).toEqual([...new Set(images)].sort());
  });

  it('DPO twins ask identical prompts (same image, same question tokens) and differ in their answers', () => {
    const data = rowsOf(splits, 'dpo');
    expect(data.units.length).toBeGreaterThan(0);
    for (const unit of data.units) {
      const [won, lost] = unit.rows.map((i) => data.forget[i]);
      expect(imageKeyId(won.image)).toBe(imageKeyId(lost.image));
      expect(won.turns.map((t) => t.question)).toEqual(lost.turns.map((t) => t.question));
      const a = turnTokens(won.row);
      const b = turnTokens(lost.row);
      expect(a.length).toBe(won.turns.length);
      expect(b.length).toBe(a.length);
      a.forEach((turn, k) => {
        expect(turn.prompt).toEqual(b[k].prompt);
        expect(turn.answer).not.toEqual(b[k].answer);
      });
      // The image prefix (<bos> and image tokens) is the same too.
      const prefix = 1 + imageTokenCount(smallCfg);
      expect([...won.row.inputIds.slice(0, prefix)]).toEqual([...lost.row.inputIds.slice(0, prefix)]);
    }
  });
});

describe('unlearning rows at other row lengths', () => {
  const joint = defaultSplits.find(([name]) => name === 'joint')![1];
  const forgetIds = new Set(forgetItemsOf(joint).map(itemId));
  // A refusal can be longer than the true answer it replaces; the turns that no longer fit in a
  // row must still be trained (in another row), or PO and DPO silently skip forget items.
  it.each([48, 72, 96])('every method trains every forget item at seqLen %i', (seqLen) => {
    const missing: string[] = [];
    for (const method of METHODS) {
      const trained = new Set(conceptKeys(rowsOf(joint, method.id, seqLen).forget));
      const lost = [...forgetIds].filter((key) => !trained.has(key));
      if (lost.length) missing.push(`${method.id}: ${lost.length} of ${forgetIds.size} forget items in no row, e.g. ${lost[0]}`);
    }
    expect(missing).toEqual([]);
  });
});
