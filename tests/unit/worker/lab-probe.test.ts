// The probe's question check: special tokens typed in a question are refused with a message naming
// them (they would add an image marker or end the turn); ordinary questions pass trimmed.
import { describe, expect, it } from 'vitest';
import { TEST_CONFIG } from '../../../src/model/config.ts';
import { Tokenizer } from '../../../src/model/tokenizer.ts';
import { checkQuestion } from '../../../src/worker/lab-probe.ts';

const tokenizer = Tokenizer.fromWords(['who', 'is', 'this', 'person', '?']);
const check = (question: string) => checkQuestion(question, tokenizer, TEST_CONFIG, true);

describe('checkQuestion', () => {
  it('passes a plain question, trimmed', () => {
    expect(check('  Who is this person? ')).toBe('Who is this person?');
  });

  it('refuses special tokens typed in the question, naming them', () => {
    expect(() => check('Who is <image> this person?')).toThrow(/special token <image>, which mark the prompt's parts and cannot be asked: remove it/);
    expect(() => check('<assistant>who<eos>')).toThrow(/special tokens <assistant>, <eos>,.*remove them/);
    const thrown = (() => {
      try {
        check('<user>');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(thrown).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/<user>/) });
    // Lookalikes that the tokenizer reads as ordinary characters are not special.
    expect(check('who is <IMAGE>?')).toBe('who is <IMAGE>?');
  });
});
