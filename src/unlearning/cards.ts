// The method cards: what the page, the CLI's help and flags, the URL hash and the run config need
// to know of every method without its maths: label, plain-language line, objective, citation, the
// parameters it takes (ranges, defaults, help), what it needs besides forget rows, and whether it has
// a BGD form. Pure data and checks, no engine: the page imports this module and knows the methods
// before its worker starts. The one range check of a parameter value (paramProblem) lives here and
// every surface (Method panel, hash, CLI flags, worker) uses it.
// Not here: the losses (one file per method, which spreads its card: ga.ts, npo.ts, ...), running them (driver.ts).

export * from './card-params.ts';
import { BETA, BGD_SMOOTHING, LAMBDA, RUN_PARAMS, tuningKey, type MethodCard, type MethodId, type ParamSpec } from './card-params.ts';
import { RMU_CARD, SIMNPO_CARD, SIU_CARD } from './cards-recent.ts';
export { RMU_CARD, SIMNPO_CARD, SIU_CARD } from './cards-recent.ts';

export const BGD_INFO = {
  label: 'BGD (balanced)',
  summary: 'For joint requests: balance person and event rows and weights so neither concept dominates.',
  objective: 'L = w_p F_p + w_e F_e + λ R,  w_c = NLL_other / (NLL_p + NLL_e)',
  citation: 'Xu et al. 2025, "PEBench" (BGD; our reconstruction, the formula is not public)',
} as const;

export const PO_CARD: MethodCard = {
  id: 'po',
  label: 'PO (answer with a refusal)',
  summary: 'Teach the model to answer forget questions with “I don’t know”, keeping retained answers.',
  objective: 'L = E_f l(x, y_idk) + λ E_r l(x, y)',
  citation: 'Maini et al. 2024, "TOFU: A Task of Fictitious Unlearning for LLMs" (IDK / preference optimisation)',
  params: [LAMBDA],
  defaults: { lr: 2e-3 },
  tuned: {
    person: { lr: 0.002, steps: 110, lambda: 2 },
    event: { lr: 0.002, steps: 40, lambda: 2 },
  },
  needs: { retain: true, referenceSequence: false, referenceLogits: false, refusals: true, pairs: false },
  bgd: false,
  retainTerm: 'nll',
};

export const GA_CARD: MethodCard = {
  id: 'ga',
  label: 'GA (gradient ascent)',
  summary: 'Raise the loss on the forget answers; nothing protects the rest.',
  objective: 'L = −E_f l(x, y)',
  citation: 'Jang et al. 2023, "Knowledge Unlearning for Mitigating Privacy Risks in Language Models"',
  params: [],
  defaults: { lr: 1e-3 },
  tuned: {
    person: { lr: 0.001, steps: 30 },
    event: { lr: 0.0005, steps: 30 },
  },
  needs: { retain: false, referenceSequence: false, referenceLogits: false, refusals: false, pairs: false },
  bgd: false,
  retainTerm: 'none',
};

export const GD_CARD: MethodCard = {
  id: 'gd',
  label: 'GD (gradient difference)',
  summary: 'Raise the loss on the forget answers while keeping it low on retained ones.',
  objective: 'L = −E_f l(x, y) + λ E_r l(x, y)',
  citation: 'Liu et al. 2022, "Continual Learning and Private Unlearning"; Maini et al. 2024, TOFU',
  params: [LAMBDA],
  defaults: { steps: 70 },
  tuned: {
    person: { lr: 0.002, steps: 70, lambda: 2 },
    event: { lr: 0.001, steps: 60, lambda: 1 },
    both: { lr: 0.002, steps: 70, lambda: 1 },
    'both+bgd': { lr: 0.001, steps: 140, lambda: 1 },
  },
  needs: { retain: true, referenceSequence: false, referenceLogits: false, refusals: false, pairs: false },
  bgd: true,
  retainTerm: 'nll',
};

export const KL_CARD: MethodCard = {
  id: 'kl',
  label: 'KL (ascent + KL to Finetune)',
  summary: 'Raise the loss on the forget answers; keep retained answers’ word distributions where Finetune had them.',
  objective: 'L = −E_f l(x, y) + λ E_r KL(p_θ0 ‖ p_θ)',
  citation: 'Maini et al. 2024, "TOFU: A Task of Fictitious Unlearning for LLMs"',
  params: [LAMBDA],
  tuned: {
    person: { lr: 0.002, steps: 40, lambda: 2 },
    event: { lr: 0.001, steps: 60, lambda: 1 },
    both: { lr: 0.001, steps: 90, lambda: 1 },
    'both+bgd': { lr: 0.001, steps: 60, lambda: 1 },
  },
  needs: { retain: true, referenceSequence: false, referenceLogits: true, refusals: false, pairs: false },
  bgd: true,
  retainTerm: 'kl',
};

export const DPO_CARD: MethodCard = {
  id: 'dpo',
  label: 'DPO (prefer a refusal)',
  summary: 'Make a refusal more likely than the true answer, relative to the Finetune model.',
  objective: 'L = −E_f log σ(β[(s(y_idk) − s₀(y_idk)) − (s(y) − s₀(y))]) + λ E_r l(x, y)',
  citation: 'Rafailov et al. 2023, "Direct Preference Optimization"; Zhang et al. 2024, "Negative Preference Optimization"',
  params: [BETA, LAMBDA],
  defaults: { lr: 1.1e-2, lambda: 0.2 },
  tuned: {
    person: { lr: 0.011, steps: 40, beta: 1 },
    event: { lr: 0.011, steps: 40, beta: 0.5 },
  },
  needs: { retain: true, referenceSequence: true, referenceLogits: false, refusals: true, pairs: true },
  bgd: false,
  retainTerm: 'nll',
};

export const NPO_CARD: MethodCard = {
  id: 'npo',
  label: 'NPO (negative preference)',
  summary: 'Lower the forget answers’ likelihood relative to Finetune, with a loss that saturates.',
  objective: 'L = (2/β) E_f log(1 + (π_θ(y|x)/π_θ0(y|x))^β) + λ E_r l(x, y)',
  citation: 'Zhang et al. 2024, "Negative Preference Optimization: From Catastrophic Collapse to Effective Unlearning"',
  params: [BETA, LAMBDA],
  defaults: { lr: 3e-3 },
  tuned: {
    person: { lr: 0.0015, steps: 90, beta: 0.5 },
    event: { lr: 0.003, steps: 10, beta: 0.5 },
    both: { lr: 0.0015, steps: 80, beta: 0.5 },
    'both+bgd': { lr: 0.003, steps: 80, beta: 0.5 },
  },
  needs: { retain: true, referenceSequence: true, referenceLogits: false, refusals: false, pairs: false },
  bgd: true,
  retainTerm: 'nll',
};

/** The methods in table order. */
export const METHOD_CARDS: readonly MethodCard[] = [PO_CARD, GA_CARD, GD_CARD, KL_CARD, DPO_CARD, NPO_CARD, SIMNPO_CARD, RMU_CARD, SIU_CARD];
export const METHOD_IDS: readonly MethodId[] = METHOD_CARDS.map((m) => m.id);

export class MethodError extends Error {
  override name = 'MethodError';
}

export function isMethodId(id: string): id is MethodId {
  return (METHOD_IDS as readonly string[]).includes(id);
}

export function getCard(id: string): MethodCard {
  const card = METHOD_CARDS.find((m) => m.id === id);
  if (!card) throw new MethodError(`unknown method "${id}". Valid methods: ${METHOD_IDS.join(', ')}`);
  return card;
}

/**
 * Every parameter a method takes, shared ones first, with the method's own defaults (and those tuned
 * for the kind of request when `target` is given); BGD's own when asked for.
 */
export function methodParams(method: MethodCard, bgd = false, target?: 'person' | 'event' | 'both'): ParamSpec[] {
  const tuned = target ? method.tuned?.[tuningKey(target, bgd)] : undefined;
  const own = (p: ParamSpec): ParamSpec => {
    const value = tuned?.[p.key] ?? method.defaults?.[p.key];
    return value !== undefined ? { ...p, default: value } : p;
  };
  return [...RUN_PARAMS, ...method.params, ...(bgd ? [BGD_SMOOTHING] : [])].map(own);
}

/** Every parameter any method takes, once (the union the CLI accepts and the hash may carry). */
export function allParamSpecs(): ParamSpec[] {
  const seen = new Map<string, ParamSpec>();
  for (const spec of [...RUN_PARAMS, ...METHOD_CARDS.flatMap((m) => m.params), BGD_SMOOTHING]) if (!seen.has(spec.key)) seen.set(spec.key, spec);
  return [...seen.values()];
}

/** Why `value` is not a valid value of `spec` (short, for a form field), or null when it is. */
export function paramProblem(spec: ParamSpec, value: number): string | null {
  if (!Number.isFinite(value)) return 'a number is needed';
  if (spec.integer && !Number.isInteger(value)) return 'must be a whole number';
  if (value < spec.min || value > spec.max) return `must be ${spec.min}-${spec.max}`;
  return null;
}

/** Settings of one run: every parameter of the method with a value. */
export type MethodSettings = Record<string, number>;

/** Defaults overridden by `given`; throws naming the parameter and its range when a value is invalid or unknown. */
export function resolveSettings(
  method: MethodCard, given: Readonly<Record<string, number | undefined>>, bgd = false, target?: 'person' | 'event' | 'both',
): MethodSettings {
  if (bgd && !method.bgd) {
    const can = METHOD_CARDS.filter((m) => m.bgd).map((m) => m.id);
    throw new MethodError(`${method.id} cannot be combined with BGD; methods with a BGD form: ${can.join(', ')}`);
  }
  const specs = methodParams(method, bgd, target);
  const out: MethodSettings = {};
  for (const spec of specs) out[spec.key] = spec.default;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.key === key);
    if (!spec) throw new MethodError(`${method.id} has no parameter "${key}". Its parameters: ${specs.map((s) => s.key).join(', ')}`);
    if (paramProblem(spec, value)) {
      throw new MethodError(`${spec.key} (--${spec.flag}) must be ${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}, got ${value}`);
    }
    out[key] = value;
  }
  return out;
}
