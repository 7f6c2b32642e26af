// The cards of the methods beyond the paper's set that the field uses as strong baselines today
// (SimNPO, RMU) and of the paper's own SIU, with the parameters only they take. Their `tuned` entries
// are what `pebench tune` chose on the tuning forget seed (docs/tuning/<method>-<kind>.json); their
// own weights (γ, RMU's layer, c and α, SIU's α) stay at starting values chosen by reasoning: the
// sweeps vary the learning rate, the steps and β or λ only.
// Not here: their losses (simnpo.ts, rmu.ts, siu.ts), the shared parameter specs (card-params.ts).
import { BETA, LAMBDA, type MethodCard, type ParamSpec } from './card-params.ts';

/** SimNPO's margin γ, subtracted inside the sigmoid. */
export const GAMMA: ParamSpec = {
  key: 'gamma', flag: 'gamma', label: 'margin γ', min: 0, max: 10, default: 0,
  help: 'reward margin of SimNPO (the loss keeps pushing until β × the forget NLL exceeds γ by a few units)',
};

/** RMU's decoder block, steering coefficient and retain weight. */
export const RMU_LAYER: ParamSpec = {
  key: 'layer', flag: 'layer', label: 'layer ℓ', min: 0, max: 15, default: 2, integer: true,
  help: 'decoder block whose output RMU steers (0-based; below the number of decoder layers)',
};
export const RMU_STEER: ParamSpec = {
  key: 'steer', flag: 'steer', label: 'steering c', min: 0.1, max: 1000, default: 150, log: true,
  help: 'length of the random direction forget activations are pushed to',
};
export const RMU_ALPHA: ParamSpec = {
  key: 'alpha', flag: 'alpha', label: 'retain weight α', min: 0, max: 10000, default: 100,
  help: 'weight of the distance of retain activations from Finetune’s',
};

/** SIU's weight of the Dual Masked KL term. */
export const SIU_KL: ParamSpec = {
  key: 'klWeight', flag: 'kl-weight', label: 'DMK weight α', min: 0, max: 10, default: 1,
  help: 'weight of the Dual Masked KL term that holds SIU to Finetune where the targets agree with it',
};

export const SIMNPO_CARD: MethodCard = {
  id: 'simnpo',
  label: 'SimNPO (NPO without a reference)',
  summary: 'Like NPO, but per answer token and without the Finetune model: a saturating push on the forget answers.',
  objective: 'L = −(2/β) E_f log σ(−(β/|y|) log π_θ(y|x) − γ) + λ E_r l(x, y)',
  citation: 'Fan et al. 2024, "Simplicity Prevails: Rethinking Negative Preference Optimization for LLM Unlearning"',
  params: [BETA, GAMMA, LAMBDA],
  defaults: { beta: 2.5, gamma: 0, lr: 2e-3 },
  tuned: {
    person: { lr: 0.002, steps: 90, beta: 2.5 },
    event: { lr: 0.004, steps: 10, beta: 2.5 },
  },
  needs: { retain: true, referenceSequence: false, referenceLogits: false, refusals: false, pairs: false },
  bgd: false,
  retainTerm: 'nll',
};

export const RMU_CARD: MethodCard = {
  id: 'rmu',
  label: 'RMU (scramble one layer)',
  summary: 'Push the forget answers’ activations at one layer towards a random direction; keep retained ones where Finetune had them.',
  objective: 'L = E_f ‖h_ℓ(x) − c·u‖² + α E_r ‖h_ℓ(x) − h_ℓ,θ0(x)‖²  (mean over answer tokens and width)',
  citation: 'Li et al. 2024, "The WMDP Benchmark: Measuring and Reducing Malicious Use with Unlearning" (RMU)',
  params: [RMU_LAYER, RMU_STEER, RMU_ALPHA],
  defaults: { lr: 2e-3 },
  tuned: {
    person: { lr: 0.004, steps: 70 },
    event: { lr: 0.002, steps: 20 },
  },
  needs: { retain: true, referenceSequence: false, referenceLogits: false, refusals: false, pairs: false, referenceHidden: true },
  bgd: false,
  retainTerm: 'hidden',
};

export const SIU_CARD: MethodCard = {
  id: 'siu',
  label: 'SIU (new targets + masked KL)',
  summary: 'Teach the forget images a made-up name or a vague answer, keep what they show, and stay close to Finetune elsewhere.',
  objective: 'L = E_f l(x, y_siu) + λ E_r l(x, y) + α DMK,  DMK = KL(p_θ0 ‖ p_θ) over kept tokens, target names masked',
  citation: 'Li et al. 2024, "Single Image Unlearning: Efficient Machine Unlearning in Multimodal Large Language Models" (SIU; our reconstruction)',
  params: [LAMBDA, SIU_KL],
  defaults: { lr: 2e-3 },
  tuned: {
    person: { lr: 0.002, steps: 80, lambda: 2 },
    event: { lr: 0.002, steps: 60, lambda: 1 },
  },
  needs: {
    retain: true, referenceSequence: false, referenceLogits: true, refusals: false, pairs: false, referenceForgetLogits: true, siuTargets: true,
  },
  bgd: false,
  retainTerm: 'nll',
};
