// KL minimisation (TOFU's "KL" baseline, Maini et al. 2024):
//   L(theta) = - E_{D_f} l(x, y; theta) + lambda E_{D_r} (1/|y|) sum_t KL(p_theta0(. | x, y_<t) || p_theta(. | x, y_<t))
// Gradient ascent on forget rows; on retain rows the next-token distributions are held to the
// frozen Finetune model's (theta0), whose logits on the retain answers are computed once.
import * as E from '../engine/index.ts';
import { KL_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const KL: MethodDef = {
  ...KL_CARD,
  perRow: (ctx) => E.neg(ctx.nll),
};
