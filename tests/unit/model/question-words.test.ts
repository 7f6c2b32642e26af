// A typed question's words as the model reads them: literal special tokens found in order, and the
// words the tokenizer does not know (each once), as the tokenizer's own encoding reports them.
import { describe, expect, it } from 'vitest';
import { specialTokensIn, unknownWordsIn } from '../../../src/model/question-words.ts';
import { Tokenizer } from '../../../src/model/tokenizer.ts';

describe('question words', () => {
  it('finds literal special tokens, in order of appearance', () => {
    expect(specialTokensIn('Is there <image> a <bos>cake <image>?')).toEqual(['<image>', '<bos>']);
    expect(specialTokensIn('Who is this person?')).toEqual([]);
  });

  it('lists unknown words once, normalised as the tokenizer normalises them', () => {
    const tokenizer = Tokenizer.fromWords(['is', 'there', 'a', 'in', 'the', 'image', '?']);
    expect(unknownWordsIn(tokenizer, 'Is there a Cake in the image? A cake!')).toEqual(['cake', '!']);
    expect(unknownWordsIn(tokenizer, 'Is there a <image>?')).toEqual([]);
  });
});
