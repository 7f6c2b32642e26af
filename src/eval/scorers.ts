// Deterministic scorers for generated answers (docs/paper.md section 4). Everything compares WORDS:
// lowercased, accents stripped (as the tokenizer does), punctuation dropped.
// - name precision: the answer contains the person's full name as a word sequence;
// - event score: mean of ROUGE-L F1 (word LCS, beta = 1) against the reference answer and keyword
//   recall, the share of the event's keywords the answer contains out of those the reference
//   answer contains (so the reference itself scores 1; about 7 of the 10 keywords are in it);
// - yes/no and short answers: the answer's words equal the expected answer's words.
// Not here: which items are scored (model-eval.ts and the PEBench columns).
import { normalizeText } from '../model/tokenizer.ts';

/** Lowercase, accent-free words without punctuation. */
export function scoringWords(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether `needle` occurs as a contiguous word sequence in `haystack`. */
export function containsWords(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return true;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** 1 when the answer names the person (full name, any case), else 0. */
export function namePrecision(answer: string, fullName: string): number {
  return containsWords(scoringWords(answer), scoringWords(fullName)) ? 1 : 0;
}

/** Length of the longest common subsequence of two word lists. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    previous = current;
  }
  return previous[b.length];
}

/** ROUGE-L F1 over words; 0 when either side is empty. */
export function rougeL(candidate: string, reference: string): number {
  const c = scoringWords(candidate);
  const r = scoringWords(reference);
  if (c.length === 0 || r.length === 0) return 0;
  const lcs = lcsLength(c, r);
  if (lcs === 0) return 0;
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Keywords (each possibly several words) found in the answer. */
export function keywordsFound(answer: string, keywords: readonly string[]): string[] {
  const words = scoringWords(answer);
  return keywords.filter((k) => containsWords(words, scoringWords(k)));
}

export interface EventScore {
  /** Mean of rougeL and keywordRecall, 0-1. */
  score: number;
  rougeL: number;
  keywordRecall: number;
  /** The answer names the event (its name as a word sequence). */
  named: boolean;
}

export function eventScore(answer: string, event: { name: string; keywords: readonly string[] }, reference: string): EventScore {
  const reachable = keywordsFound(reference, event.keywords);
  const found = keywordsFound(answer, reachable);
  const keywordRecall = reachable.length === 0 ? 0 : found.length / reachable.length;
  const rouge = rougeL(answer, reference);
  return {
    score: (rouge + keywordRecall) / 2,
    rougeL: rouge,
    keywordRecall,
    named: containsWords(scoringWords(answer), scoringWords(event.name)),
  };
}

/** 1 when the answer says the same words as the expected answer ("Yes." = "yes"), else 0. */
export function exactWords(answer: string, expected: string): number {
  const a = scoringWords(answer);
  const e = scoringWords(expected);
  return a.length === e.length && a.every((w, i) => w === e[i]) ? 1 : 0;
}
