// GA, gradient ascent on the forget set (Jang et al. 2023; Thudi et al. 2022):
//   L(theta) = - E_{(x,y) in D_f} l(x, y; theta)
// l = token-mean NLL of the answer. Pushes forget answers' likelihood down with nothing holding the
// rest of the model in place, which is why retained knowledge collapses with it.
import * as E from '../engine/index.ts';
import { GA_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const GA: MethodDef = {
  ...GA_CARD,
  perRow: (ctx) => E.neg(ctx.nll),
};
