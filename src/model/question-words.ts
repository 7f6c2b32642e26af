// A typed question's words as the model will read them, for checks before it is asked: the special
// tokens written literally in it (the tokenizer keeps "<image>" as the image marker, which would break
// the prompt's layout, so the lab refuses them) and the words the tokenizer does not know (read as
// `<unk>`). Pure; not here: the question's length limits (question-check.ts).
import { SPECIAL_TOKENS, type Tokenizer } from './tokenizer.ts';

/** The special tokens (e.g. "<image>") written in `text`, each once, in order of first appearance. */
export function specialTokensIn(text: string): string[] {
  const found = Object.values(SPECIAL_TOKENS)
    .map((token) => ({ token: token as string, at: text.indexOf(token) }))
    .filter(({ at }) => at >= 0);
  return found.sort((a, b) => a.at - b.at).map(({ token }) => token);
}

/** The words of `text` that `tokenizer` does not know, each once, in order. */
export function unknownWordsIn(tokenizer: Tokenizer, text: string): string[] {
  return [...new Set(tokenizer.encode(text).unknown)];
}
