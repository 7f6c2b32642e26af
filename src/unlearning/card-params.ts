// What a method card is made of, and the parameters several cards share: the card and parameter
// types, the retain weight λ, the inverse temperature β, the run's own parameters and BGD's smoothing.
// Pure data (the page imports it through cards.ts). Not here: the cards themselves (cards.ts,
// cards-recent.ts) or the checks of a value (cards.ts).
export type MethodId = 'ga' | 'gd' | 'kl' | 'po' | 'dpo' | 'npo' | 'simnpo' | 'rmu' | 'siu';

export interface ParamSpec {
  key: string;
  /** CLI flag without the dashes; also the URL hash key. */
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
  /** Finetune logits on the answer tokens of forget rows too (SIU's masked KL), computed once. */
  referenceForgetLogits?: boolean;
  /** The step reads the output of decoder block `layer` (RMU), and Finetune's on retain rows, computed once. */
  referenceHidden?: boolean;
  /** Forget rows hold SIU's fine-tuning targets (siu-targets.ts) instead of the true answers. */
  siuTargets?: boolean;
}

/** The kinds of request `pebench tune` chooses settings for (a joint request with BGD is its own). */
export type TuningKey = 'person' | 'event' | 'both' | 'both+bgd';
export const TUNING_KEYS: readonly TuningKey[] = ['person', 'event', 'both', 'both+bgd'];
export const tuningKey = (target: 'person' | 'event' | 'both', bgd: boolean): TuningKey => (target === 'both' && bgd ? 'both+bgd' : target);

export interface MethodCard {
  id: MethodId;
  label: string;
  /** One plain-language line. */
  summary: string;
  /** The objective, as math in plain text. */
  objective: string;
  citation: string;
  /** Method-specific parameters (the shared ones are RUN_PARAMS). */
  params: readonly ParamSpec[];
  /** Defaults that differ for this method (e.g. its learning rate), for every kind of request. */
  defaults?: Readonly<Record<string, number>>;
  /** Defaults chosen by `pebench tune` on the tuning forget seed, per kind of request (over `defaults`). */
  tuned?: Partial<Record<TuningKey, Readonly<Record<string, number>>>>;
  needs: MethodNeeds;
  /** Can be combined with BGD for joint requests. */
  bgd: boolean;
  /** The retain term: NLL, KL to Finetune, or the distance to Finetune's activations (RMU). */
  retainTerm: 'none' | 'nll' | 'kl' | 'hidden';
  /** Its defaults have not been chosen by `pebench tune` yet (no `tuned` entries). */
  untuned?: boolean;
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

/** BGD's own parameter (bgd.ts has the weights it sets). */
export const BGD_SMOOTHING: ParamSpec = {
  key: 'bgdSmoothing', flag: 'bgd-smoothing', label: 'BGD smoothing', min: 0, max: 0.99, default: 0.8,
  help: 'moving-average factor of the per-concept forget NLLs that set the BGD weights (0 = last step only)',
};
