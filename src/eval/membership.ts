// Membership-inference scores from per-token answer log-probabilities (docs/paper.md section 4, beyond
// the paper): LOSS, Min-K% Prob (Shi et al. 2023), Min-K%++ (Zhang et al. 2024), their ROC AUC on
// members vs non-members, and MUSE's PrivLeak (Shi et al. 2024). Every score is "higher = more
// member-like". Not here: computing the log-probabilities (the model runtime does that).
import { mean, rocAuc } from './stats.ts';

/**
 * One answer's token scores, answer tokens only (shape [T]):
 * logProbs[t] = log p(y_t | prefix); mu[t], sigma[t] = mean and standard deviation of log p(v) over
 * the vocabulary v under the model's own distribution at step t (needed by Min-K%++ only).
 */
export interface TokenScores {
  logProbs: Float32Array | number[];
  mu?: ArrayLike<number>;
  sigma?: ArrayLike<number>;
}

function requireTokens(s: TokenScores, what: string): void {
  if (s.logProbs.length === 0) throw new RangeError(`${what}: the answer has no tokens; score at least one answer token`);
}

/** Mean of the lowest ceil(k * n) values (at least one). */
function meanOfLowest(values: ArrayLike<number>, k: number, what: string): number {
  if (!(k > 0 && k <= 1)) throw new RangeError(`${what}: k must be in (0, 1], got ${k}`);
  const sorted = Array.from(values).sort((a, b) => a - b);
  const count = Math.max(1, Math.ceil(k * sorted.length));
  return mean(sorted.slice(0, count));
}

/** LOSS attack: the mean token log-probability (minus the loss), higher = member-like. */
export function lossScore(s: TokenScores): number {
  requireTokens(s, 'lossScore');
  return mean(s.logProbs);
}

/** Min-K% Prob: mean of the lowest ceil(k * n) token log-probabilities. */
export function minKScore(s: TokenScores, k = 0.2): number {
  requireTokens(s, 'minKScore');
  return meanOfLowest(s.logProbs, k, 'minKScore');
}

/**
 * Min-K%++: per token z_t = (log p(y_t) - mu_t) / sigma_t, then the mean of the lowest ceil(k * n).
 * A token with sigma_t = 0 (a distribution flat over its support, where log p(y_t) = mu_t) counts z = 0.
 */
export function minKPlusPlusScore(s: TokenScores, k = 0.2): number {
  requireTokens(s, 'minKPlusPlusScore');
  const { logProbs, mu, sigma } = s;
  if (!mu || !sigma) {
    throw new RangeError('minKPlusPlusScore needs mu and sigma (mean and std of log p over the vocabulary at each answer token); compute them with the log-probabilities');
  }
  if (mu.length !== logProbs.length || sigma.length !== logProbs.length) {
    throw new RangeError(`minKPlusPlusScore: ${logProbs.length} log-probs but ${mu.length} mu and ${sigma.length} sigma values; give one per answer token`);
  }
  const z = new Array<number>(logProbs.length);
  for (let t = 0; t < logProbs.length; t++) z[t] = sigma[t] > 0 ? (logProbs[t] - mu[t]) / sigma[t] : 0;
  return meanOfLowest(z, k, 'minKPlusPlusScore');
}

export interface MembershipAuc {
  /** AUC of members vs non-members per score (0.5 = indistinguishable, 1 = members all score higher). */
  loss: number;
  minK: number;
  /** null when any answer lacks mu/sigma. */
  minKPlusPlus: number | null;
  n: { members: number; nonMembers: number };
}

/** ROC AUC of each score, members as positives (higher score = member). */
export function membershipAuc(members: readonly TokenScores[], nonMembers: readonly TokenScores[], k = 0.2): MembershipAuc {
  if (members.length === 0 || nonMembers.length === 0) {
    throw new RangeError(`membershipAuc needs members and non-members, got ${members.length} and ${nonMembers.length}`);
  }
  const auc = (score: (s: TokenScores) => number): number => rocAuc(members.map(score), nonMembers.map(score));
  const hasMoments = [...members, ...nonMembers].every((s) => s.mu !== undefined && s.sigma !== undefined);
  return {
    loss: auc(lossScore),
    minK: auc((s) => minKScore(s, k)),
    minKPlusPlus: hasMoments ? auc((s) => minKPlusPlusScore(s, k)) : null,
    n: { members: members.length, nonMembers: nonMembers.length },
  };
}

/**
 * MUSE's PrivLeak in percent: (AUC_model - AUC_goal) / AUC_goal * 100, where the Goal (retrained)
 * model's AUC is the target. 0 = leaks like the Goal model; > 0 under-unlearned, < 0 over-unlearned.
 */
export function privLeak(aucModel: number, aucGoal: number): number {
  if (!(aucGoal > 0)) throw new RangeError(`privLeak needs a Goal AUC above 0, got ${aucGoal}`);
  return ((aucModel - aucGoal) / aucGoal) * 100;
}
