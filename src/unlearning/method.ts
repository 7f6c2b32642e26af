// What a method of the registry is to the driver: its card (cards.ts: label, parameters, needs; pure
// data the page also reads) plus the graph piece of its forget term.
// Not here: the cards themselves (cards.ts), the list of methods (registry.ts) or how terms are combined (objectives.ts).
import type * as E from '../engine/index.ts';
import type { MethodCard } from './cards.ts';

/** What the forget term of one method sees of a batch (all per row, shape (B)). */
export interface ForgetContext {
  /** Token-mean NLL of each row's answer. */
  nll: E.Tensor;
  /** Summed log-prob of each row's answer under the model being unlearned. */
  sequenceLogProb: E.Tensor;
  /** The same under the frozen Finetune model (declares the input on first use). */
  referenceSequence(): E.Tensor;
  beta: number;
}

export interface MethodDef extends MethodCard {
  /** Per-row forget loss (B) to be averaged over forget rows; absent for pair methods. */
  perRow?(ctx: ForgetContext): E.Tensor;
  /** Pair methods: the loss of (preferred, dispreferred) log-ratio pairs, each (P). */
  pairLoss?(won: E.Tensor, lost: E.Tensor, beta: number): E.Tensor;
}
