// Packed rows follow the documented layout: <bos> and the image tokens first (segment 0), each
// turn with positions restarting after the prefix, targets shifted within a turn, loss on answers.
import { describe, expect, it } from 'vitest';
import * as M from '../../../src/model/index.ts';
import { imageTokens, tokenizer } from './fixture.ts';

const turns: M.Turn[] = [
  { question: 'Is the person wearing glasses?', answer: 'yes' },
  { question: 'Who is this person?', answer: 'no' },
];

describe('packRow', () => {
  it('lays out prefix, turns, positions, segments, targets and loss mask', () => {
    const row = M.packRow(tokenizer, { image: true, turns, seqLen: 64, imageTokens });
    const n = imageTokens;
    const { ids } = tokenizer;
    expect(row.turns).toBe(2);
    expect(row.inputIds[0]).toBe(ids.bos);
    expect([...row.inputIds.subarray(1, n + 1)].every((id) => id === ids.image)).toBe(true);
    expect([...row.segmentIds.subarray(0, n + 1)].every((s) => s === 0)).toBe(true);
    const first = M.turnIds(tokenizer, turns[0]).ids; // <user> is the person wearing glasses ? <assistant> yes <eos>
    expect(first).toHaveLength(10);
    const second = M.turnIds(tokenizer, turns[1]).ids;
    const start2 = n + 1 + first.length;
    expect([...row.inputIds.subarray(n + 1, start2)]).toEqual(first);
    expect([...row.inputIds.subarray(start2, start2 + second.length)]).toEqual(second);
    // Both turns start at position n + 1, like a single-turn prompt.
    expect(row.positionIds[n + 1]).toBe(n + 1);
    expect(row.positionIds[start2]).toBe(n + 1);
    expect(row.segmentIds[n + 1]).toBe(1);
    expect(row.segmentIds[start2]).toBe(2);
    // Loss: the prediction at <assistant> (answer) and at the answer token (<eos>), per turn.
    const lossAt = [...row.lossMask].flatMap((m, i) => (m ? [i] : []));
    expect(lossAt).toEqual([n + 1 + 7, n + 1 + 8, start2 + 6, start2 + 7]);
    expect(row.targets[n + 1 + 7]).toBe(tokenizer.idOf('yes'));
    expect(row.targets[n + 1 + 8]).toBe(ids.eos);
    expect(row.targets[n + 1 + 9]).toBe(ids.pad); // <eos> of turn 1 does not predict turn 2
    expect(row.length).toBe(start2 + second.length);
    expect(row.inputIds[row.length]).toBe(ids.pad);
    expect(row.segmentIds[row.length]).toBe(M.PAD_SEGMENT);
  });

  it('leaves out turns that do not fit and reports unknown words', () => {
    const row = M.packRow(tokenizer, { image: false, turns: [...turns, { question: 'Who is Zorblax?', answer: 'no' }], seqLen: 22, imageTokens });
    expect(row.turns).toBe(2);
    expect(row.unknown).toEqual([]);
    const text = M.packRow(tokenizer, { image: false, turns: [{ question: 'Who is Zorblax?', answer: 'no' }], seqLen: 22, imageTokens });
    expect(text.unknown).toEqual(['zorblax']);
    expect(() => M.packRow(tokenizer, { image: true, turns, seqLen: 20, imageTokens })).toThrow(/first turn needs 27 tokens/);
  });

  it('builds int64 feeds named like the graph inputs', () => {
    const rows = [0, 1].map(() => M.packRow(tokenizer, { image: true, turns, seqLen: 40, imageTokens }));
    const feeds = M.rowsToFeeds(rows);
    expect(Object.keys(feeds).sort()).toEqual(['input_ids', 'loss_mask', 'position_ids', 'segment_ids', 'targets']);
    expect(feeds.input_ids.dims).toEqual([2, 40]);
    expect(feeds.input_ids.data[40]).toBe(BigInt(tokenizer.ids.bos));
    expect(feeds.segment_ids.data[39]).toBe(-1n);
  });
});
