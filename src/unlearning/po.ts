// PO, preference optimisation towards a refusal (TOFU's "IDK" tuning, Maini et al. 2024):
//   L(theta) = E_{D_f} l(x, y_idk; theta) + lambda E_{D_r} l(x, y; theta)
// Ordinary training on the forget prompts with a refusal ("I don't know who this is.") as the
// answer, plus the retain term; y_idk is drawn per row from the world's refusal answers.
import { LAMBDA, type MethodDef } from './method.ts';

export const PO: MethodDef = {
  id: 'po',
  label: 'PO (answer with a refusal)',
  summary: 'Teach the model to answer forget questions with “I don’t know”, keeping retained answers.',
  objective: 'L = E_f l(x, y_idk) + λ E_r l(x, y)',
  citation: 'Maini et al. 2024, "TOFU: A Task of Fictitious Unlearning for LLMs" (IDK / preference optimisation)',
  params: [LAMBDA],
  defaults: { lr: 2e-3 },
  needs: { retain: true, referenceSequence: false, referenceLogits: false, refusals: true, pairs: false },
  bgd: false,
  retainTerm: 'nll',
  perRow: (ctx) => ctx.nll,
};
