// The report's metrics beyond the PEBench paper (docs/paper.md section 4): answer probability and truth
// ratio (TOFU), forget quality (KS test of truth ratios against the Goal model) and membership
// inference (LOSS / Min-K% / Min-K%++ AUC, MUSE's PrivLeak against the Goal model). Each is either a
// value with its sample size or { unavailable: reason }, never a made-up 0.
// Not here: the six PEBench columns (pebench-report.ts), computing log-probabilities (the caller).
import { itemId, type SplitItem, type Splits } from '../world/splits.ts';
import { membershipAuc, privLeak, type MembershipAuc, type TokenScores } from './membership.ts';
import type { ReportInput } from './pebench-report.ts';
import { ksTwoSample, mean, type KsResult } from './stats.ts';
import { answerProbability, forgetTruthScore, truthRatio } from './truth.ts';

export type Unavailable = { unavailable: string };

/** One item's token scores: its true answer and the same-form wrong answers (perturbedAnswers()). */
export interface ItemTokenScores {
  item: SplitItem;
  truth: TokenScores;
  perturbed: TokenScores[];
}

export interface PebenchExtras {
  /** Mean length-normalised probability of the true answer, 0-1 (forget items; unseen fresh renders next to it). */
  answerProbability: { forget: number; unseen: number | null; n: { forget: number; unseen: number } } | Unavailable;
  /** Mean of min(R, 1/R) over forget items that have perturbed answers, 0-1 (1 = cannot tell true from wrong). */
  truthRatio: { forget: number; n: number } | Unavailable;
  /** KS test of the raw forget truth ratios R, this model vs the Goal model; n = [model, goal]. High p = like Goal. */
  forgetQuality: KsResult | Unavailable;
  /** AUC of forget items (members) vs unseen fresh renders (non-members); 0.5 = no membership signal. */
  membership: MembershipAuc | Unavailable;
  /** MUSE PrivLeak % per score against the Goal model's AUC (null where that score has no Goal AUC or it is 0). */
  privLeak: { loss: number | null; minK: number | null; minKPlusPlus: number | null; goal: MembershipAuc } | Unavailable;
}

type ScoreSets = { forget: ItemTokenScores[]; unseen: ItemTokenScores[] };

/** Checks that score items are forget items, and unseen ones fresh renders of a forget target. */
function requireScoreItems(sets: ScoreSets, splits: Splits, forgetIds: ReadonlyMap<string, number>, where: string): void {
  sets.forget.forEach(({ item }, i) => {
    if (!forgetIds.has(itemId(item))) throw new RangeError(`${where}.forget[${i}] (${itemId(item)}) is not a forget item of these splits`);
  });
  sets.unseen.forEach(({ item }, i) => {
    const key = item.key;
    const ofTarget = key && (splits.forgetPersons.includes(key.personId) || splits.forgetEvents.includes(key.eventId));
    if (!key || key.variant < 1 || !ofTarget) {
      throw new RangeError(`${where}.unseen[${i}] (${itemId(item)}) must be a fresh render (variant >= 1) showing a forget target`);
    }
  });
}

/** Raw truth ratios of the items that have perturbed answers. */
const truthRatios = (scores: readonly ItemTokenScores[]): number[] =>
  scores.filter((s) => s.perturbed.length > 0).map((s) => truthRatio(s.truth.logProbs, s.perturbed.map((p) => p.logProbs)));

function membershipOf(sets: ScoreSets, who: string): MembershipAuc | Unavailable {
  if (sets.forget.length === 0 || sets.unseen.length === 0) {
    return { unavailable: `${who} needs forget and unseen token scores, got ${sets.forget.length} and ${sets.unseen.length}` };
  }
  return membershipAuc(sets.forget.map((s) => s.truth), sets.unseen.map((s) => s.truth));
}

const isUnavailable = (x: object): x is Unavailable => 'unavailable' in x;

/** `forgetIds`: itemId of every forget item of the splits (to its target index). */
export function pebenchExtras(input: ReportInput, forgetIds: ReadonlyMap<string, number>): PebenchExtras {
  const { scores, goal, splits } = input;
  if (!scores) {
    const why = { unavailable: 'no token scores were given (input.scores): the caller computed answers only' };
    return { answerProbability: why, truthRatio: why, forgetQuality: why, membership: why, privLeak: why };
  }
  requireScoreItems(scores, splits, forgetIds, 'scores');
  const goalScores = goal && !isUnavailable(goal) ? goal.scores : null;
  if (goalScores) requireScoreItems(goalScores, splits, forgetIds, 'goal.scores');
  const noGoal: Unavailable = {
    unavailable: goal && isUnavailable(goal) ? `no Goal model: ${goal.unavailable}` : 'no Goal model scores were given (input.goal)',
  };

  const probability = (set: readonly ItemTokenScores[]) => (set.length ? mean(set.map((s) => answerProbability(s.truth.logProbs))) : null);
  const forgetProbability = probability(scores.forget);
  const modelRatios = truthRatios(scores.forget);
  const noRatios = 'no forget token scores with perturbed answers (identity and event items get them from perturbedAnswers())';

  let forgetQuality: KsResult | Unavailable = noGoal;
  if (modelRatios.length === 0) forgetQuality = { unavailable: noRatios };
  else if (goalScores) {
    const goalRatios = truthRatios(goalScores.forget);
    forgetQuality = goalRatios.length ? ksTwoSample(modelRatios, goalRatios) : { unavailable: `Goal model: ${noRatios}` };
  }

  const membership = membershipOf(scores, 'membership inference');
  let leak: PebenchExtras['privLeak'] = noGoal;
  if (isUnavailable(membership)) leak = membership;
  else if (goalScores) {
    const goalAuc = membershipOf(goalScores, 'the Goal model\'s membership inference');
    const safeLeak = (model: number | null, goalValue: number | null): number | null =>
      model === null || goalValue === null || goalValue <= 0 ? null : privLeak(model, goalValue);
    leak = isUnavailable(goalAuc) ? goalAuc : {
      loss: safeLeak(membership.loss, goalAuc.loss),
      minK: safeLeak(membership.minK, goalAuc.minK),
      minKPlusPlus: safeLeak(membership.minKPlusPlus, goalAuc.minKPlusPlus),
      goal: goalAuc,
    };
  }

  return {
    answerProbability: forgetProbability === null
      ? { unavailable: 'no forget token scores were given (scores.forget is empty)' }
      : { forget: forgetProbability, unseen: probability(scores.unseen), n: { forget: scores.forget.length, unseen: scores.unseen.length } },
    truthRatio: modelRatios.length ? { forget: mean(modelRatios.map(forgetTruthScore)), n: modelRatios.length } : { unavailable: noRatios },
    forgetQuality,
    membership,
    privLeak: leak,
  };
}
