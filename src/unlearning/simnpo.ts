// SimNPO, simple negative preference optimisation (Fan et al. 2024, "Simplicity Prevails: Rethinking
// Negative Preference Optimization for LLM Unlearning"), with its retain term:
//   L(theta) = -(2 / beta) E_{D_f} log sigmoid(-(beta / |y|) log pi_theta(y|x) - gamma) + lambda E_{D_r} l(x, y)
//            =  (2 / beta) E_{D_f} softplus(gamma - beta l(x, y))  + lambda E_{D_r} l(x, y)
// since -(1/|y|) log pi_theta(y|x) = l(x, y), the token-mean NLL of the answer (|y| answer tokens).
// In plain words: NPO without the Finetune reference model and per answer token, so long and short
// answers weigh alike; the push on a forget answer fades once beta l exceeds the margin gamma by a
// few units. Learning rate, steps and β are tuned (`pebench tune`, cards-recent.ts); γ stays 0.
import * as E from '../engine/index.ts';
import { SIMNPO_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const SIMNPO: MethodDef = {
  ...SIMNPO_CARD,
  perRow: (ctx) => E.mul(E.softplus(E.sub(ctx.settings.gamma ?? 0, E.mul(ctx.nll, ctx.beta))), 2 / ctx.beta),
};
