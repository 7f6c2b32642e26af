// Token-level losses for language models: per-token log-probabilities of targets, masked means,
// masked cross-entropy, per-sequence log-likelihoods (for NPO/DPO-style objectives) and masked KL.
// Masks are float tensors (1 = counts, 0 = ignored) of the graph dtype.
// Not here: any unlearning objective itself (src/unlearning composes these).
import { ShapeError } from '../shape.ts';
import { formatShape, type Tensor } from '../tensor.ts';
import { div, exp, maximum, mul, neg, sub } from './elementwise.ts';
import { logSoftmax, oneHot } from './nn.ts';
import { reduceSum } from './reduce.ts';

/** logits (..., V), targets (...) int64 -> log p(target) (...). */
export function tokenLogProbs(logits: Tensor, targets: Tensor): Tensor {
  const lead = logits.shape.slice(0, -1);
  if (targets.rank !== lead.length || targets.shape.some((d, i) => d !== lead[i])) {
    throw new ShapeError('tokenLogProbs', `targets ${formatShape(targets.shape)} must match logits ${formatShape(logits.shape)} without the vocab axis`);
  }
  const vocab = logits.shape[logits.rank - 1];
  if (typeof vocab !== 'number') throw new ShapeError('tokenLogProbs', 'vocab dim must be static');
  return reduceSum(mul(logSoftmax(logits, -1), oneHot(targets, vocab)), [-1]);
}

/** sum(values * mask) / max(sum(mask), 1): a mean over the positions the mask keeps. */
export function maskedMean(values: Tensor, mask: Tensor): Tensor {
  const total = reduceSum(mul(values, mask));
  return div(total, maximum(reduceSum(mask), 1));
}

/** Mean over masked positions of -log p(target): the usual LM loss. */
export function maskedCrossEntropy(logits: Tensor, targets: Tensor, mask: Tensor): Tensor {
  return neg(maskedMean(tokenLogProbs(logits, targets), mask));
}

/** logits (B, T, V), targets (B, T), mask (B, T) -> (B) sum over kept positions of log p(target). */
export function sequenceLogProbs(logits: Tensor, targets: Tensor, mask: Tensor): Tensor {
  return reduceSum(mul(tokenLogProbs(logits, targets), mask), [-1]);
}

/**
 * Mean over masked positions of KL(p_ref || p) = sum_v p_ref(v) (log p_ref(v) - log p(v)), with
 * p = softmax(logits) and p_ref = softmax(refLogits) over the last axis; refLogits usually come from
 * a frozen reference model (their gradient is still defined if they are trainable).
 */
export function maskedKl(refLogits: Tensor, logits: Tensor, mask: Tensor): Tensor {
  if (refLogits.shape.length !== logits.shape.length || refLogits.shape.some((d, i) => d !== logits.shape[i])) {
    throw new ShapeError('maskedKl', `logits ${formatShape(logits.shape)} and reference ${formatShape(refLogits.shape)} must match`);
  }
  const refLog = logSoftmax(refLogits, -1);
  const perToken = reduceSum(mul(exp(refLog), sub(refLog, logSoftmax(logits, -1))), [-1]);
  return maskedMean(perToken, mask);
}
