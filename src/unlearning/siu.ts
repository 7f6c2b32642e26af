// SIU, Single Image Unlearning (Li et al. 2024, "Single Image Unlearning: Efficient Machine
// Unlearning in Multimodal Large Language Models"; the method PEBench v1 evaluates). The paper's
// recipe, as we read it: forget the *visual recognition* of a concept by fine-tuning on one image of
// it for a few steps, on multifaceted fine-tuning data built for four targets,
//   1. aligning with unseen concepts: answer about the concept as the model answers about concepts
//      it never saw (vague, generic answers rather than a name);
//   2. assigning a new visual description: give the image a new, made-up identity to answer with;
//   3. decoupling factual knowledge: keep what the model knows of the concept apart from its face;
//   4. preserving non-targeted knowledge: keep other concepts' answers;
// with a cross-entropy loss on that data plus a Dual Masked KL-divergence (DMK) to the original model:
//   L(theta) = E_{D_siu} l(x, y_siu) + lambda E_{D_r} l(x, y) + alpha DMK,
//   DMK = mean_{t : m_t = 1} KL(p'_theta0(. | x, y_<t) || p'_theta(. | x, y_<t)),
// m_t the token mask (0 on answer tokens that contradict the original model's knowledge: the words
// of a new answer that the true answer does not have) and p' the distributions renormalised over the
// vocabulary without the concept's own name words (the vocabulary mask), so the KL never holds the
// model to the original's probability of the forgotten name.
// Our reconstruction (siu-targets.ts builds the data; persons and events drawn by our rasteriser, a
// small question set, world-vocabulary tokenizer):
//   - every forget image of a target (SIU uses one), with all its trained wordings, as the other
//     methods do, so the comparison is of the objectives and not of the data;
//   - 1 and 2 alternate over the identity/event wordings: "This is a person." / "This is an event."
//     (what our world's vocabulary lets a model say of someone it does not know), and a made-up name
//     (a given name and a family name of two other persons, a pair no person has; for events the
//     first word of one event's name and the last word of another's), the same for every image of
//     the target;
//   - 3: the facts of our world are text-only (occupation, city) and our step trains image rows, so
//     we keep the image's fine-grained attributes instead: its attribute and object questions with
//     their true answers, the visual side of "what the model knows that is not the identity";
//   - 4: the retain rows every method with a retain term uses (retainTrainItems), in the same batch;
//   - the KL runs over forget rows (at their kept tokens) and retain rows (every answer token); the
//     vocabulary mask removes the words of every target's name (all targets of the request).
// In plain words: teach the forget image a made-up or vague answer, keep what the image shows, and
// stay close to Finetune everywhere the targets do not contradict it. Learning rate, steps and λ are
// tuned (`pebench tune`, cards-recent.ts); the DMK weight α stays at its starting value 1.
import * as E from '../engine/index.ts';
import { SIU_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

/** Step inputs of SIU: the token mask (B, T) and the vocabulary mask (V) of the DMK term. */
export const SIU_INPUTS = { tokenMask: 'siu_token_mask', vocabMask: 'siu_vocab_mask', refLogits: 'ref_logits' } as const;

/**
 * Mean over positions with tokenMask = 1 of KL(p'_ref || p'), p' = softmax over the vocabulary entries
 * with vocabMask = 1 (refLogits, logits (B, T, V); tokenMask (B, T); vocabMask (V)).
 */
export function dualMaskedKl(refLogits: E.Tensor, logits: E.Tensor, tokenMask: E.Tensor, vocabMask: E.Tensor): E.Tensor {
  const hide = E.mul(E.sub(1, vocabMask), E.MASKED_BIAS); // 0 on kept entries, -1e9 on masked ones
  return E.maskedKl(E.add(refLogits, hide), E.add(logits, hide), tokenMask);
}

export const SIU: MethodDef = {
  ...SIU_CARD,
  perRow: (ctx) => ctx.nll,
  batchTerm: (ctx) => {
    if (!ctx.logits) throw new RangeError('SIU needs the logits (B, T, V) of the model');
    const shape = ctx.logits.shape as number[];
    const dmk = dualMaskedKl(ctx.input(SIU_INPUTS.refLogits, shape), ctx.logits, ctx.input(SIU_INPUTS.tokenMask, shape.slice(0, 2)), ctx.input(SIU_INPUTS.vocabMask, [shape[2]]));
    return E.mul(dmk, ctx.settings.klWeight ?? 1);
  },
};
