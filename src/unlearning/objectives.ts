// Unlearning objectives as graph pieces over one packed batch (docs/paper.md section 5). Notation:
// theta the model being unlearned, theta0 the frozen Finetune model, D_f forget rows, D_r retain
// rows, l(x, y) = token-mean NLL of the answer tokens of a row, s(x, y) = their summed log-prob.
//   GA   L = -E_f l
//   GD   L = -E_f l + lambda E_r l
//   KL   L = -E_f l + lambda E_r[token-mean KL(p_theta0 || p_theta)]          (needs reference logits)
//   PO   L =  E_f l(x, y_idk) + lambda E_r l                                  (forget rows hold refusals)
//   DPO  L = -E_pairs log sigmoid(beta [(s_w - s0_w) - (s_l - s0_l)]) + lambda E_r l
//        w = a refusal row, l = the same prompt with its true answer; s0 from theta0 (precomputed)
//   NPO  L = (2 / beta) E_f log(1 + exp(beta (s - s0))) + lambda E_r l        (s0 precomputed)
//   SimNPO L = (2 / beta) E_f softplus(gamma - beta l) + lambda E_r l          (no reference model)
//   RMU  L = E_f msd(h_l, c u) + alpha E_r msd(h_l, h0_l)                      (h0_l precomputed)
//        h_l the output of decoder block l, u a fixed random unit vector, msd a token-mean of the
//        width-mean squared distance over answer tokens
//   SIU  L = E_f l(x, y_siu) + lambda E_r l + alpha DMK                        (ref logits precomputed)
//        y_siu SIU's targets (siu-targets.ts); DMK = KL(p'_theta0 || p'_theta) on kept tokens, the
//        targets' name words masked out of the vocabulary
// BGD (joint requests, our reconstruction): the forget term is computed separately on person rows
// and on event rows and combined as w_person F_person + w_event F_event, weights fed per step
// (from each concept's forget NLL; see bgd.ts), so neither concept dominates.
// Row roles are float inputs (B) of 0/1; every expectation is a masked mean over its rows.
// Each method's own term lives in its file (ga.ts ... siu.ts); this combines them with the row roles.
// Not here: the model (src/model), batches and the step driver.
import * as E from '../engine/index.ts';
import type { MethodId } from './cards.ts';
import type { ForgetContext } from './method.ts';
import { getMethod } from './registry.ts';
import { RMU_REF_HIDDEN } from './rmu.ts';
import { SIU_INPUTS } from './siu.ts';

/** The method ids of the registry (objective options name them `kind`). */
export type MethodKind = MethodId;

export interface ObjectiveOptions {
  kind: MethodKind;
  /** Retain-term weight (GD, KL, PO, DPO, NPO); 0 removes the term. */
  lambda: number;
  /** Inverse temperature of DPO and NPO. */
  beta: number;
  /** Combine person and event forget terms with fed weights (BGD). */
  balanced: boolean;
  /** Every parameter of the method (its own ones: gamma, layer, steer, alpha, klWeight) and the run's seed. */
  settings?: Readonly<Record<string, number>>;
  seed?: number;
}

/** Names of the inputs an objective graph takes besides the model's own. */
export const OBJECTIVE_INPUTS = {
  forgetRows: 'forget_rows',
  retainRows: 'retain_rows',
  personRows: 'person_rows',
  eventRows: 'event_rows',
  bgdWeights: 'bgd_weights',
  refSequence: 'ref_sequence_logprobs',
  refLogits: 'ref_logits',
  preferred: 'preferred_index',
  dispreferred: 'dispreferred_index',
  refHidden: RMU_REF_HIDDEN,
  siuTokenMask: SIU_INPUTS.tokenMask,
  siuVocabMask: SIU_INPUTS.vocabMask,
} as const;

export interface RowScores {
  /** log p(target) at every position (B, T). */
  tokenLogProbs: E.Tensor;
  /** 1 on answer tokens (B, T). */
  mask: E.Tensor;
  /** (B, T, V), only needed by KL and SIU. */
  logits?: E.Tensor;
  /** (B, T, D), the output of the decoder block RMU reads. */
  hidden?: E.Tensor;
}

/** Token-mean NLL of each row's answer tokens (B). */
export function rowNll(scores: RowScores): E.Tensor {
  const sum = E.reduceSum(E.mul(scores.tokenLogProbs, scores.mask), [-1]);
  return E.neg(E.div(sum, E.maximum(E.reduceSum(scores.mask, [-1]), 1)));
}

/** Summed log-prob of each row's answer tokens (B). */
export function rowSequenceLogProb(scores: RowScores): E.Tensor {
  return E.reduceSum(E.mul(scores.tokenLogProbs, scores.mask), [-1]);
}

export interface Objective {
  loss: E.Tensor;
  /** Monitors (scalars): mean NLL on forget rows and on retain rows. */
  forgetNll: E.Tensor;
  retainNll: E.Tensor;
  /** BGD: the forget term and the forget answers' NLL on person rows and on event rows. */
  personTerm?: E.Tensor;
  eventTerm?: E.Tensor;
  personNll?: E.Tensor;
  eventNll?: E.Tensor;
}

/**
 * The objective on one batch. `dpoPairs` is the number of (refusal, true answer) row pairs in a DPO
 * batch (index inputs of that length); the reference inputs are declared only when the method needs them.
 */
export function buildObjective(g: E.Graph, scores: RowScores, options: ObjectiveOptions & { dpoPairs?: number }): Objective {
  const b = scores.mask.shape[0] as number;
  const forgetRows = g.input(OBJECTIVE_INPUTS.forgetRows, [b]);
  const retainRows = g.input(OBJECTIVE_INPUTS.retainRows, [b]);
  const nll = rowNll(scores);
  const forgetNll = E.maskedMean(nll, forgetRows);
  const retainNll = E.maskedMean(nll, retainRows);

  const method = getMethod(options.kind);
  const inputs = new Map<string, E.Tensor>();
  const input = (name: string, shape: readonly number[]): E.Tensor => {
    if (!inputs.has(name)) inputs.set(name, g.input(name, [...shape]));
    return inputs.get(name)!;
  };
  const ctx: ForgetContext = {
    nll,
    sequenceLogProb: rowSequenceLogProb(scores),
    referenceSequence: () => input(OBJECTIVE_INPUTS.refSequence, [b]),
    beta: options.beta,
    mask: scores.mask, forgetRows, retainRows, logits: scores.logits, hidden: scores.hidden,
    settings: options.settings ?? {}, seed: options.seed ?? 0, input,
  };
  // Per-row forget loss (B), averaged over a set of forget rows below; or one loss over row pairs.
  let perRow: E.Tensor | null = null;
  let pairTerm: E.Tensor | null = null;
  if (method.pairLoss) {
    const pairs = options.dpoPairs ?? 0;
    if (!(pairs >= 1)) throw new RangeError(`${method.id} needs dpoPairs >= 1 (refusal / true-answer row pairs per batch)`);
    if (options.balanced) throw new RangeError(`BGD combines per-row forget terms; ${method.id} works on row pairs and is not combined with BGD`);
    const ratio = E.sub(ctx.sequenceLogProb, ctx.referenceSequence()); // (B)
    const won = E.gather(ratio, g.input(OBJECTIVE_INPUTS.preferred, [pairs], 'int64'));
    const lost = E.gather(ratio, g.input(OBJECTIVE_INPUTS.dispreferred, [pairs], 'int64'));
    pairTerm = method.pairLoss(won, lost, options.beta);
  } else {
    perRow = method.perRow!(ctx);
  }

  let forget: E.Tensor;
  let personTerm: E.Tensor | undefined;
  let eventTerm: E.Tensor | undefined;
  let personNll: E.Tensor | undefined;
  let eventNll: E.Tensor | undefined;
  if (pairTerm) {
    forget = pairTerm;
  } else if (options.balanced) {
    const personRows = g.input(OBJECTIVE_INPUTS.personRows, [b]);
    const eventRows = g.input(OBJECTIVE_INPUTS.eventRows, [b]);
    personTerm = E.maskedMean(perRow!, personRows);
    eventTerm = E.maskedMean(perRow!, eventRows);
    personNll = E.maskedMean(nll, personRows);
    eventNll = E.maskedMean(nll, eventRows);
    const weights = g.input(OBJECTIVE_INPUTS.bgdWeights, [2]);
    const w = (i: number) => E.reshape(E.slice(weights, 0, i, i + 1), []);
    forget = E.add(E.mul(w(0), personTerm), E.mul(w(1), eventTerm));
  } else {
    forget = E.maskedMean(perRow!, forgetRows);
  }

  let retain: E.Tensor | null = null;
  if (method.retainLoss) {
    retain = method.retainLoss(ctx);
  } else if (method.retainTerm !== 'none' && options.lambda > 0) {
    if (method.retainTerm === 'kl') {
      if (!scores.logits) throw new RangeError('KL needs the logits (B, T, V) of the model');
      const refLogits = input(OBJECTIVE_INPUTS.refLogits, scores.logits.shape as number[]);
      const retainTokens = E.mul(scores.mask, E.unsqueeze(retainRows, [1]));
      retain = E.maskedKl(refLogits, scores.logits, retainTokens);
    } else {
      retain = retainNll;
    }
  }
  // A method with its own retain term weighs it itself (RMU: alpha); the standard ones take lambda.
  const weight = method.retainLoss ? (options.settings?.alpha ?? 1) : options.lambda;
  let loss = retain ? E.add(forget, E.mul(retain, weight)) : forget;
  if (method.batchTerm) loss = E.add(loss, method.batchTerm(ctx));
  return { loss, forgetNll, retainNll, personTerm, eventTerm, personNll, eventNll };
}
