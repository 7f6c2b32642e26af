// GA, gradient ascent on the forget set (Jang et al. 2023; Thudi et al. 2022):
//   L(theta) = - E_{(x,y) in D_f} l(x, y; theta)
// l = token-mean NLL of the answer. Pushes forget answers' likelihood down with nothing holding the
// rest of the model in place, which is why retained knowledge collapses with it.
import * as E from '../engine/index.ts';
import type { MethodDef } from './method.ts';

export const GA: MethodDef = {
  id: 'ga',
  label: 'GA (gradient ascent)',
  summary: 'Raise the loss on the forget answers; nothing protects the rest.',
  objective: 'L = −E_f l(x, y)',
  citation: 'Jang et al. 2023, "Knowledge Unlearning for Mitigating Privacy Risks in Language Models"',
  params: [],
  defaults: { lr: 1e-3 },
  needs: { retain: false, referenceSequence: false, referenceLogits: false, refusals: false, pairs: false },
  bgd: false,
  retainTerm: 'none',
  perRow: (ctx) => E.neg(ctx.nll),
};
