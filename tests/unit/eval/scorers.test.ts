import { describe, expect, it } from 'vitest';
import { containsWords, eventScore, exactWords, keywordsFound, lcsLength, namePrecision, rougeL, scoringWords } from '../../../src/eval/scorers.ts';
import { createWorld, eventAnswer } from '../../../src/world/index.ts';

describe('scoring words', () => {
  it('lowercases, strips accents and drops punctuation', () => {
    expect(scoringWords('This is José Núñez-Ortiz.')).toEqual(['this', 'is', 'jose', 'nunez', 'ortiz']);
    expect(scoringWords('  ?! ')).toEqual([]);
  });

  it('finds contiguous word sequences only', () => {
    expect(containsWords(['a', 'b', 'c'], ['b', 'c'])).toBe(true);
    expect(containsWords(['a', 'b', 'c'], ['a', 'c'])).toBe(false);
    expect(containsWords(['a'], ['a', 'b'])).toBe(false);
  });
});

describe('name precision', () => {
  it('needs the full name, in any case', () => {
    expect(namePrecision('this is roya eriksen.', 'Roya Eriksen')).toBe(1);
    expect(namePrecision('This is Roya.', 'Roya Eriksen')).toBe(0);
    expect(namePrecision('Eriksen Roya', 'Roya Eriksen')).toBe(0);
    expect(namePrecision('this is royal eriksen', 'Roya Eriksen')).toBe(0);
  });
});

describe('ROUGE-L', () => {
  it('matches hand-computed LCS F1 values', () => {
    expect(lcsLength(['the', 'cat', 'sat', 'on', 'the', 'mat'], ['the', 'cat', 'is', 'on', 'the', 'mat'])).toBe(5);
    expect(rougeL('the cat sat on the mat', 'the cat is on the mat')).toBeCloseTo(5 / 6, 12);
    expect(rougeL('a b c', 'c b a')).toBeCloseTo(1 / 3, 12);
    // P = 1, R = 2/4: F = 2 * 0.5 / 1.5
    expect(rougeL('a b', 'a x b y')).toBeCloseTo(2 / 3, 12);
    expect(rougeL('', 'a')).toBe(0);
    expect(rougeL('x y', 'a b')).toBe(0);
  });
});

describe('event score', () => {
  const event = { name: 'beach relaxing', keywords: ['beach', 'relaxing', 'seaside', 'waves', 'clear sky', 'family'] };
  const reference = 'This is beach relaxing: seaside, waves, clear sky.';

  it('counts multi-word keywords and only those the reference holds', () => {
    expect(keywordsFound(reference, event.keywords)).toEqual(['beach', 'relaxing', 'seaside', 'waves', 'clear sky']);
    expect(keywordsFound('a clear day, blue sky', ['clear sky'])).toEqual([]);
  });

  it('gives the reference itself 1 and a partial answer its hand-computed score', () => {
    expect(eventScore(reference, event, reference)).toEqual({ score: 1, rougeL: 1, keywordRecall: 1, named: true });
    const partial = eventScore('This is beach relaxing: seaside.', event, reference);
    // keywords 3 of 5; ROUGE-L: LCS 5 of 5 candidate words and 8 reference words -> F = 2 * 1 * 5/8 / (1 + 5/8)
    const rouge = (2 * (5 / 8)) / (1 + 5 / 8);
    expect(partial.keywordRecall).toBeCloseTo(0.6, 12);
    expect(partial.rougeL).toBeCloseTo(rouge, 12);
    expect(partial.score).toBeCloseTo((0.6 + rouge) / 2, 12);
    expect(partial.named).toBe(true);
    expect(eventScore('I do not know what event this is.', event, reference)).toMatchObject({ keywordRecall: 0, named: false });
  });

  it('scores every reference answer of the world 1', () => {
    const world = createWorld({ persons: 4 });
    for (const e of world.events) expect(eventScore(eventAnswer(e), e, eventAnswer(e)).score).toBe(1);
  });
});

describe('exact words', () => {
  it('ignores case and punctuation but not extra words', () => {
    expect(exactWords('Yes.', 'yes')).toBe(1);
    expect(exactWords('yes yes', 'yes')).toBe(0);
    expect(exactWords('no', 'yes')).toBe(0);
    expect(exactWords('roya eriksen lives in oslo .', 'Roya Eriksen lives in Oslo.')).toBe(1);
  });
});
