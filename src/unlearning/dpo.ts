// DPO with the refusal preferred and the true answer dispreferred (Rafailov et al. 2023; used for
// unlearning by Maini et al. 2024 and Zhang et al. 2024):
//   L(theta) = - E_{D_f} log sigmoid(beta [ (s(y_idk) - s0(y_idk)) - (s(y) - s0(y)) ]) + lambda E_{D_r} l(x, y)
// s = summed answer log-prob under theta, s0 the same under the frozen Finetune model (computed once
// per forget row). Each forget prompt appears twice in a batch: once with a refusal, once with its
// true answer.
import * as E from '../engine/index.ts';
import { BETA, LAMBDA, type MethodDef } from './method.ts';

export const DPO: MethodDef = {
  id: 'dpo',
  label: 'DPO (prefer a refusal)',
  summary: 'Make a refusal more likely than the true answer, relative to the Finetune model.',
  objective: 'L = −E_f log σ(β[(s(y_idk) − s₀(y_idk)) − (s(y) − s₀(y))]) + λ E_r l(x, y)',
  citation: 'Rafailov et al. 2023, "Direct Preference Optimization"; Zhang et al. 2024, "Negative Preference Optimization"',
  params: [BETA, LAMBDA],
  defaults: { lr: 1.1e-2, lambda: 0.2 },
  needs: { retain: true, referenceSequence: true, referenceLogits: false, refusals: true, pairs: true },
  bgd: false,
  retainTerm: 'nll',
  pairLoss: (won, lost, beta) => E.neg(E.reduceMean(E.logSigmoid(E.mul(E.sub(won, lost), beta)))),
};
