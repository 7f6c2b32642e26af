// What a method of the registry is to the driver: its card (cards.ts: label, parameters, needs; pure
// data the page also reads) plus the graph pieces of its terms: the forget term always, and where the
// standard ones do not fit, its own retain term (RMU) or a term over the whole batch (SIU).
// Not here: the cards themselves (cards.ts), the list of methods (registry.ts) or how terms are combined (objectives.ts).
import type * as E from '../engine/index.ts';
import type { MethodCard } from './cards.ts';

/** What the terms of one method see of a batch. */
export interface ForgetContext {
  /** Token-mean NLL of each row's answer (B). */
  nll: E.Tensor;
  /** Summed log-prob of each row's answer under the model being unlearned (B). */
  sequenceLogProb: E.Tensor;
  /** The same under the frozen Finetune model (declares the input on first use). */
  referenceSequence(): E.Tensor;
  beta: number;
  /** 1 on answer tokens (B, T). */
  mask: E.Tensor;
  /** Row roles, 0/1 (B). */
  forgetRows: E.Tensor;
  retainRows: E.Tensor;
  /** Logits (B, T, V), when the step graph passed them. */
  logits?: E.Tensor;
  /** Output of the decoder block the method reads (B, T, D), when its card needs one (RMU). */
  hidden?: E.Tensor;
  /** The run's settings (every parameter of the method) and seed. */
  settings: Readonly<Record<string, number>>;
  seed: number;
  /** A graph input of the step (declared once; the driver feeds it): reference values, masks. */
  input(name: string, shape: readonly number[]): E.Tensor;
}

export interface MethodDef extends MethodCard {
  /** Per-row forget loss (B) to be averaged over forget rows; absent for pair methods. */
  perRow?(ctx: ForgetContext): E.Tensor;
  /** Pair methods: the loss of (preferred, dispreferred) log-ratio pairs, each (P). */
  pairLoss?(won: E.Tensor, lost: E.Tensor, beta: number): E.Tensor;
  /** The retain term (scalar) when it is not the standard NLL or KL one (card retainTerm 'hidden'). */
  retainLoss?(ctx: ForgetContext): E.Tensor;
  /** A term over the whole batch added to the loss, weight included (SIU's Dual Masked KL). */
  batchTerm?(ctx: ForgetContext): E.Tensor;
}
