// PO, preference optimisation towards a refusal (TOFU's "IDK" tuning, Maini et al. 2024):
//   L(theta) = E_{D_f} l(x, y_idk; theta) + lambda E_{D_r} l(x, y; theta)
// Ordinary training on the forget prompts with a refusal ("I don't know who this is.") as the
// answer, plus the retain term; y_idk is drawn per row from the world's refusal answers.
import { PO_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const PO: MethodDef = {
  ...PO_CARD,
  perRow: (ctx) => ctx.nll,
};
