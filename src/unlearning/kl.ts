// KL minimisation (TOFU's "KL" baseline, Maini et al. 2024):
//   L(theta) = - E_{D_f} l(x, y; theta) + lambda E_{D_r} (1/|y|) sum_t KL(p_theta0(. | x, y_<t) || p_theta(. | x, y_<t))
// Gradient ascent on forget rows; on retain rows the next-token distributions are held to the
// frozen Finetune model's (theta0), whose logits on the retain answers are computed once.
import * as E from '../engine/index.ts';
import { LAMBDA, type MethodDef } from './method.ts';

export const KL: MethodDef = {
  id: 'kl',
  label: 'KL (ascent + KL to Finetune)',
  summary: 'Raise the loss on the forget answers; keep retained answers’ word distributions where Finetune had them.',
  objective: 'L = −E_f l(x, y) + λ E_r KL(p_θ0 ‖ p_θ)',
  citation: 'Maini et al. 2024, "TOFU: A Task of Fictitious Unlearning for LLMs"',
  params: [LAMBDA],
  needs: { retain: true, referenceSequence: false, referenceLogits: true, refusals: false, pairs: false },
  bgd: true,
  retainTerm: 'kl',
  perRow: (ctx) => E.neg(ctx.nll),
};
