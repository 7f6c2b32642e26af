// The one check of a typed question before any model runs, shared by the lab's probe and `pebench ask`:
// not empty, at most MAX_QUESTION_CHARS characters, no special tokens typed in it, and few enough
// tokens for prompt plus answer to fit the model's positions (the limit, in tokens, in the message).
// Pure: throws QuestionError; callers turn it into their own error type. Not here: unknown words
// (question-words.ts: they are read as <unk> and only warned about) or asking the model.
import { imageTokenCount, type PeTinyConfig } from './config.ts';
import { specialTokensIn } from './question-words.ts';
import type { Tokenizer } from './tokenizer.ts';

export const MAX_QUESTION_CHARS = 200;
/** New tokens an answer may take (longer than any answer of the world; the Answerer's default). */
export const ANSWER_TOKENS = 48;

/** A question the model cannot be asked; the message says why and what to do. */
export class QuestionError extends Error {
  override name = 'QuestionError';
}

/** Question tokens that fit: positions minus <bos>, the image tokens, <user>, <assistant> and the answer. */
export function questionTokenRoom(cfg: PeTinyConfig, withImage: boolean, answerTokens = ANSWER_TOKENS): number {
  return cfg.maxPositions - (withImage ? imageTokenCount(cfg) : 0) - 3 - answerTokens;
}

/** The trimmed question, or a QuestionError that says what is allowed. */
export function checkQuestionText(question: unknown, tokenizer: Tokenizer, cfg: PeTinyConfig, withImage: boolean, answerTokens = ANSWER_TOKENS): string {
  if (typeof question !== 'string' || question.trim() === '') throw new QuestionError('the question is empty: type a question, e.g. "Who is this person?"');
  const text = question.trim();
  const room = questionTokenRoom(cfg, withImage, answerTokens);
  if (text.length > MAX_QUESTION_CHARS) {
    throw new QuestionError(`the question has ${text.length} characters; at most ${MAX_QUESTION_CHARS} characters and ${room} tokens are allowed: shorten it`);
  }
  const specials = specialTokensIn(text);
  if (specials.length) {
    throw new QuestionError(`the question contains the special token${specials.length > 1 ? 's' : ''} ${specials.join(', ')}, which mark the prompt's parts and cannot be asked: remove ${specials.length > 1 ? 'them' : 'it'}`);
  }
  const tokens = tokenizer.encode(text).ids.length;
  if (tokens > room) {
    throw new QuestionError(`the question has ${tokens} tokens; the model has room for ${room} (${cfg.maxPositions} positions with the ${withImage ? 'image and ' : ''}answer): shorten it`);
  }
  return text;
}
