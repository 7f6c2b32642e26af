// What a method of the registry is: its label, citation, plain-language line and objective, the
// parameters it takes (ranges, defaults, help; the CLI flags and the lab's controls are generated
// from them), what it needs besides forget rows, and the graph piece of its forget term.
// Not here: the list of methods (registry.ts) or how terms are combined (objectives.ts).
import type * as E from '../engine/index.ts';

export type MethodId = 'ga' | 'gd' | 'kl' | 'po' | 'dpo' | 'npo';

export interface ParamSpec {
  key: string;
  /** CLI flag without the dashes. */
  flag: string;
  label: string;
  help: string;
  min: number;
  max: number;
  default: number;
  integer?: boolean;
  /** Best shown on a log scale (learning rates). */
  log?: boolean;
}

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

export interface MethodNeeds {
  /** Retain rows in each batch (the retain term). */
  retain: boolean;
  /** Finetune sequence log-probs of every forget row, computed once before the steps. */
  referenceSequence: boolean;
  /** Finetune logits on the answer tokens of retain rows (KL), computed once. */
  referenceLogits: boolean;
  /** Forget rows answered with refusals instead of the true answer. */
  refusals: boolean;
  /** Forget rows come in (refusal, true answer) pairs with the same prompt. */
  pairs: boolean;
}

export interface MethodDef {
  id: MethodId;
  label: string;
  /** One plain-language line. */
  summary: string;
  /** The objective, as math in plain text. */
  objective: string;
  citation: string;
  /** Method-specific parameters (the shared ones are RUN_PARAMS). */
  params: readonly ParamSpec[];
  /** Defaults that differ for this method (e.g. its learning rate), tuned on the default person request. */
  defaults?: Readonly<Record<string, number>>;
  needs: MethodNeeds;
  /** Can be combined with BGD for joint requests. */
  bgd: boolean;
  retainTerm: 'none' | 'nll' | 'kl';
  /** Per-row forget loss (B) to be averaged over forget rows; absent for pair methods. */
  perRow?(ctx: ForgetContext): E.Tensor;
  /** Pair methods: the loss of (preferred, dispreferred) log-ratio pairs, each (P). */
  pairLoss?(won: E.Tensor, lost: E.Tensor, beta: number): E.Tensor;
}

/** Retain-term weight, shared by every method with a retain term. */
export const LAMBDA: ParamSpec = {
  key: 'lambda', flag: 'lambda', label: 'retain weight λ', min: 0, max: 10, default: 1,
  help: 'weight of the retain term (0 removes it)',
};

/** Inverse temperature of DPO and NPO. */
export const BETA: ParamSpec = {
  key: 'beta', flag: 'beta', label: 'β', min: 0.01, max: 10, default: 0.5, log: true,
  help: 'inverse temperature of the log-ratio (larger = sharper)',
};

/** Parameters every method takes: the run's length, learning rate, batch and adapter size. */
export const RUN_PARAMS: readonly ParamSpec[] = [
  { key: 'steps', flag: 'steps', label: 'steps', min: 1, max: 1000, default: 60, integer: true, help: 'unlearning steps' },
  { key: 'lr', flag: 'lr', label: 'learning rate', min: 1e-6, max: 0.1, default: 2e-3, log: true, help: 'AdamW learning rate (constant)' },
  { key: 'batch', flag: 'batch', label: 'batch rows', min: 2, max: 64, default: 8, integer: true, help: 'rows per step (half forget, half retain when the method has a retain term)' },
  { key: 'loraRank', flag: 'lora-rank', label: 'LoRA rank', min: 1, max: 64, default: 8, integer: true, help: 'rank of the LoRA adapters on the decoder (0 < rank <= width)' },
];
