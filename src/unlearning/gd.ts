// GD, gradient difference (Liu et al. 2022; TOFU's baseline, Maini et al. 2024):
//   L(theta) = - E_{D_f} l(x, y; theta) + lambda E_{D_r} l(x, y; theta)
// Gradient ascent on forget rows and ordinary descent on a retain sample in the same batch.
import * as E from '../engine/index.ts';
import { LAMBDA, type MethodDef } from './method.ts';

export const GD: MethodDef = {
  id: 'gd',
  label: 'GD (gradient difference)',
  summary: 'Raise the loss on the forget answers while keeping it low on retained ones.',
  objective: 'L = −E_f l(x, y) + λ E_r l(x, y)',
  citation: 'Liu et al. 2022, "Continual Learning and Private Unlearning"; Maini et al. 2024, TOFU',
  params: [LAMBDA],
  defaults: { steps: 70 },
  needs: { retain: true, referenceSequence: false, referenceLogits: false, refusals: false, pairs: false },
  bgd: true,
  retainTerm: 'nll',
  perRow: (ctx) => E.neg(ctx.nll),
};
