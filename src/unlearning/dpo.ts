// DPO with the refusal preferred and the true answer dispreferred (Rafailov et al. 2023; used for
// unlearning by Maini et al. 2024 and Zhang et al. 2024):
//   L(theta) = - E_{D_f} log sigmoid(beta [ (s(y_idk) - s0(y_idk)) - (s(y) - s0(y)) ]) + lambda E_{D_r} l(x, y)
// s = summed answer log-prob under theta, s0 the same under the frozen Finetune model (computed once
// per forget row). Each forget prompt appears twice in a batch: once with a refusal, once with its
// true answer.
import * as E from '../engine/index.ts';
import { DPO_CARD } from './cards.ts';
import type { MethodDef } from './method.ts';

export const DPO: MethodDef = {
  ...DPO_CARD,
  pairLoss: (won, lost, beta) => E.neg(E.reduceMean(E.logSigmoid(E.mul(E.sub(won, lost), beta)))),
};
