// NPO, negative preference optimisation (Zhang et al. 2024), with the retain term of its NPO+RT form:
//   L(theta) = (2 / beta) E_{D_f} log(1 + (pi_theta(y|x) / pi_theta0(y|x))^beta) + lambda E_{D_r} l(x, y)
//            = (2 / beta) E_{D_f} softplus(beta (s(y) - s0(y))) + lambda E_{D_r} l(x, y)
// s, s0: summed answer log-probs under theta and the frozen Finetune model (s0 computed once). The
// loss saturates once a forget answer is much less likely than under Finetune, so unlike GA it
// does not keep pushing without bound.
import * as E from '../engine/index.ts';
import { NPO_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const NPO: MethodDef = {
  ...NPO_CARD,
  perRow: (ctx) => E.mul(E.softplus(E.mul(E.sub(ctx.sequenceLogProb, ctx.referenceSequence()), ctx.beta)), 2 / ctx.beta),
};
