// The word tokenizer: fixed special ids, lossless round trips of every world text, `<unk>` for
// unknown words (reported), literal special tokens, BERT-style normalisation.
import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS, SPECIAL_TOKEN_ORDER, Tokenizer } from '../../../src/model/index.ts';
import { tokenizer, world, worldTexts } from './fixture.ts';

describe('Tokenizer', () => {
  it('gives the special tokens ids 0..6 and every world word its own id', () => {
    SPECIAL_TOKEN_ORDER.forEach((role, id) => expect(tokenizer.idOf(SPECIAL_TOKENS[role])).toBe(id));
    expect(tokenizer.ids.image).toBe(4);
    const ids = new Set(tokenizer.vocab.map((t) => tokenizer.idOf(t)));
    expect(ids.size).toBe(tokenizer.size);
    // Names are whole-word tokens.
    const name = world.persons[0].fullName.toLowerCase().split(' ');
    expect(tokenizer.encode(world.persons[0].fullName).ids).toEqual(name.map((w) => tokenizer.idOf(w)));
  });

  it('round-trips every question and answer of the world (lowercased) with no unknown words', () => {
    const texts = worldTexts();
    expect(texts.length).toBeGreaterThan(50);
    for (const text of texts) {
      const { ids, unknown } = tokenizer.encode(text);
      expect(unknown, text).toEqual([]);
      expect(ids).not.toContain(tokenizer.ids.unk);
      expect(tokenizer.decode(ids)).toBe(text.toLowerCase());
    }
  });

  it('maps unknown words to <unk> and reports them in order', () => {
    const { ids, unknown } = tokenizer.encode('Who is Zorblax Quux in this image?');
    expect(unknown).toEqual(['zorblax', 'quux']);
    expect(ids.filter((id) => id === tokenizer.ids.unk)).toHaveLength(2);
    expect(ids[0]).toBe(tokenizer.idOf('who'));
    expect(tokenizer.decode(ids, { skipSpecial: false })).toBe('who is <unk> <unk> in this image?');
    expect(tokenizer.decode(ids)).toBe('who is in this image?');
  });

  it('keeps literal special tokens, normalises case and accents, splits punctuation', () => {
    const { ids } = tokenizer.encode('<bos><image><user>WHO  is\tthé person?<assistant>');
    expect(ids.slice(0, 3)).toEqual([tokenizer.ids.bos, tokenizer.ids.image, tokenizer.ids.user]);
    expect(ids.slice(3)).toEqual([...['who', 'is', 'the', 'person', '?'].map((w) => tokenizer.idOf(w)), tokenizer.ids.assistant]);
  });

  it('rejects vocabularies without the special tokens at their fixed ids', () => {
    expect(() => new Tokenizer(['hello', ...SPECIAL_TOKEN_ORDER.map((r) => SPECIAL_TOKENS[r])])).toThrow(/<pad> at id 0/);
    expect(() => Tokenizer.fromWords(['two words'])).toThrow(/not a single normalised word/);
  });
});
