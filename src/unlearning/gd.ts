// GD, gradient difference (Liu et al. 2022; TOFU's baseline, Maini et al. 2024):
//   L(theta) = - E_{D_f} l(x, y; theta) + lambda E_{D_r} l(x, y; theta)
// Gradient ascent on forget rows and ordinary descent on a retain sample in the same batch.
import * as E from '../engine/index.ts';
import { GD_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const GD: MethodDef = {
  ...GD_CARD,
  perRow: (ctx) => E.neg(ctx.nll),
};
