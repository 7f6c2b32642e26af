// SIU's fine-tuning data (siu-targets.ts) on the small world's default requests: made-up names belong
// to nobody and use no target's name words, are fixed per target and seed; the token mask drops
// exactly the answer tokens a new answer does not share with the true one; the vocabulary mask drops
// exactly every target's name words; kept turns are the forget images' own attribute/object questions.
import { describe, expect, it } from 'vitest';
import { answerIds } from '../../../src/model/prompt.ts';
import { getMethod } from '../../../src/unlearning/registry.ts';
import { unlearningRows } from '../../../src/unlearning/rows.ts';
import { SIU_VAGUE, madeUpName, nameWords, siuForgetRows } from '../../../src/unlearning/siu-targets.ts';
import { imageKeyId, questionsFor, splitWords } from '../../../src/world/index.ts';
import { defaultSplits, smallCfg, smallTokenizer, smallWorld } from './fixture.ts';

const options = { seqLen: 64, seed: 1 };

describe.each(defaultSplits.map(([name, splits]) => [name, splits] as const))('SIU targets, %s request', (_, splits) => {
  const data = siuForgetRows(splits, smallWorld, smallTokenizer, smallCfg, options);
  const targetWords = new Set(splits.targets.flatMap((t) => nameWords(smallWorld, t)));

  it('made-up names belong to no person or event, avoid every target name word, and depend only on target and seed', () => {
    for (const target of splits.targets) {
      const name = madeUpName(smallWorld, splits, target, 1);
      expect(name).not.toBeNull();
      expect([...smallWorld.persons.map((p) => p.fullName), ...smallWorld.events.map((e) => e.name)]).not.toContain(name);
      expect(splitWords(name!).filter((w) => targetWords.has(w))).toEqual([]);
      expect(smallTokenizer.encode(name!).unknown).toEqual([]);
      expect(madeUpName(smallWorld, splits, target, 1)).toBe(name);
    }
    const names = (seed: number) => splits.targets.map((t) => madeUpName(smallWorld, splits, t, seed)).join('|');
    expect([2, 3, 4, 5].some((seed) => names(seed) !== names(1))).toBe(true);
  });

  it('the token mask keeps every answer token except the new words of a changed answer', () => {
    const vague = new Set<string>(Object.values(SIU_VAGUE));
    let dropped = 0;
    for (const row of data.forget) {
      const mask = row.tokenMask!;
      expect(mask.length).toBe(row.row.lossMask.length);
      row.row.lossMask.forEach((m, t) => {
        if (m === 0) return expect(mask[t]).toBe(0);
        const turn = row.turns[row.row.segmentIds[t] - 1];
        const changed = turn.type === 'identity' || turn.type === 'event';
        if (!changed) return expect(mask[t]).toBe(1);
        // The true answer of this question on this image.
        const truth = questionsFor(smallWorld, row.image).find((q) => q.question === turn.question)!.answer;
        const shared = answerIds(smallTokenizer, truth).ids.includes(row.row.targets[t]);
        expect(mask[t], `${turn.answer} vs ${truth} at ${t}`).toBe(shared ? 1 : 0);
        if (!shared) dropped++;
        expect(vague.has(turn.answer) || turn.answer.startsWith('This is ')).toBe(true);
      });
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('the vocabulary mask drops exactly the words of every target name', () => {
    const dropped = [...data.vocabMask.keys()].filter((id) => data.vocabMask[id] === 0).map((id) => smallTokenizer.vocab[id]).sort();
    expect(dropped).toEqual([...targetWords].sort());
  });

  it('kept turns are the forget image’s own trained attribute and object questions, with true answers', () => {
    let kept = 0;
    for (const row of data.forget) {
      const own = new Map(questionsFor(smallWorld, row.image).map((q) => [q.question, q]));
      for (const turn of row.turns.filter((t) => t.type === 'attribute' || t.type === 'object')) {
        expect(own.get(turn.question)?.answer, `${imageKeyId(row.image)} ${turn.question}`).toBe(turn.answer);
        expect(turn.heldOut).toBe(false);
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(0);
  });

  it('unlearningRows gives SIU these rows and the request its vocabulary mask; other methods get none', () => {
    const siu = unlearningRows(splits, smallTokenizer, smallCfg, getMethod('siu'), { ...options, world: smallWorld });
    expect(siu.forget.map((r) => r.turns)).toEqual(data.forget.map((r) => r.turns));
    expect(siu.vocabMask).toEqual(data.vocabMask);
    expect(unlearningRows(splits, smallTokenizer, smallCfg, getMethod('npo'), options).vocabMask).toBeUndefined();
    expect(() => unlearningRows(splits, smallTokenizer, smallCfg, getMethod('siu'), options)).toThrow(/world/);
  });
});
