// The one question check shared by the lab's probe and `pebench ask` (src/model/question-check.ts):
// empty, too many characters, special tokens, and too many tokens for the model's positions, each
// refused with a QuestionError whose message gives the limit (in tokens for the model's room).
import { describe, expect, it } from 'vitest';
import { TEST_CONFIG, imageTokenCount } from '../../../src/model/config.ts';
import { ANSWER_TOKENS, MAX_QUESTION_CHARS, QuestionError, checkQuestionText, questionTokenRoom } from '../../../src/model/question-check.ts';
import { Tokenizer } from '../../../src/model/tokenizer.ts';

const tokenizer = Tokenizer.fromWords(['who', 'is', 'this', 'person', '?']);
const check = (question: unknown, withImage = true) => checkQuestionText(question, tokenizer, TEST_CONFIG, withImage);

describe('checkQuestionText', () => {
  it("knows the model's room: positions minus <bos>, image tokens, <user>, <assistant> and the answer", () => {
    expect(questionTokenRoom(TEST_CONFIG, true)).toBe(TEST_CONFIG.maxPositions - imageTokenCount(TEST_CONFIG) - 3 - ANSWER_TOKENS);
    expect(questionTokenRoom(TEST_CONFIG, false)).toBe(TEST_CONFIG.maxPositions - 3 - ANSWER_TOKENS);
  });

  it('passes a question that fits, trimmed, and refuses one token more with the limit in tokens', () => {
    const room = questionTokenRoom(TEST_CONFIG, true);
    expect(check(`  ${'who '.repeat(room).trim()} `)).toBe('who '.repeat(room).trim());
    expect(() => check('who '.repeat(room + 1))).toThrow(new QuestionError(
      `the question has ${room + 1} tokens; the model has room for ${room} (${TEST_CONFIG.maxPositions} positions with the image and answer): shorten it`,
    ));
    // Without an image there is more room.
    expect(check('who '.repeat(room + 1).trim(), false)).toBe('who '.repeat(room + 1).trim());
  });

  it('refuses empty and over-long questions and special tokens, as QuestionErrors', () => {
    expect(() => check('   ')).toThrow(QuestionError);
    expect(() => check(42)).toThrow(/the question is empty/);
    expect(() => check('x'.repeat(MAX_QUESTION_CHARS + 1))).toThrow(`the question has ${MAX_QUESTION_CHARS + 1} characters; at most ${MAX_QUESTION_CHARS} characters and ${questionTokenRoom(TEST_CONFIG, true)} tokens are allowed`);
    expect(() => check('who is <image>?')).toThrow(/special token <image>, which mark the prompt's parts and cannot be asked: remove it/);
  });
});
