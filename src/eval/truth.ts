// TOFU-style (Maini et al. 2024) answer probability and truth ratio, and the wrong "perturbed"
// answers a truth ratio compares the true answer with (same form, another person or event).
// Pure: log-probabilities in, numbers out. Not here: computing log-probabilities (the model runtime)
// or aggregating over a forget set (pebench-report.ts).
import { Rng } from '../core/rng.ts';
import { eventAnswer, identityAnswer, similarEvents } from '../world/qa.ts';
import { itemId, type SplitItem } from '../world/splits.ts';
import type { World } from '../world/types.ts';
import { namePrecision } from './scorers.ts';

function meanLogProb(logProbs: ArrayLike<number>, what: string): number {
  if (logProbs.length === 0) throw new RangeError(`${what}: an answer with no tokens; score at least one answer token`);
  let sum = 0;
  for (let i = 0; i < logProbs.length; i++) sum += logProbs[i];
  return sum / logProbs.length;
}

/** Length-normalised probability of an answer: exp(mean token log-prob), 0-1. */
export function answerProbability(logProbs: ArrayLike<number>): number {
  return Math.exp(meanLogProb(logProbs, 'answerProbability'));
}

/**
 * Truth ratio R = mean_i P_norm(perturbed_i) / P_norm(true), with P_norm(a) = exp(mean token
 * log-prob of a). Computed in log space: log r_i = mean log p(perturbed_i) - mean log p(true), then
 * R = exp(logsumexp_i(log r_i) - log k), so tiny probabilities never underflow to 0/0.
 * (This is the arithmetic mean over perturbed answers that TOFU's formula writes; some code averages
 * the log-probabilities instead, a geometric mean, which is never larger.)
 * R near 1: the model cannot tell the true answer from wrong ones; R << 1: it knows the true one.
 */
export function truthRatio(trueLogProbs: ArrayLike<number>, perturbedLogProbs: readonly ArrayLike<number>[]): number {
  if (perturbedLogProbs.length === 0) throw new RangeError('truthRatio needs at least one perturbed answer; see perturbedAnswers()');
  const trueMean = meanLogProb(trueLogProbs, 'truthRatio (true answer)');
  const logRatios = perturbedLogProbs.map((lp, i) => meanLogProb(lp, `truthRatio (perturbed answer ${i})`) - trueMean);
  const top = Math.max(...logRatios);
  if (top === Infinity) return Infinity;
  if (top === -Infinity) return 0;
  let sum = 0;
  for (const l of logRatios) sum += Math.exp(l - top);
  return Math.exp(top + Math.log(sum) - Math.log(logRatios.length));
}

/** TOFU's forget-set truth score: min(R, 1/R), 1 when true and wrong answers are equally likely. */
export function forgetTruthScore(r: number): number {
  if (!(r >= 0)) throw new RangeError(`truth ratio must be >= 0, got ${r}`);
  return Math.min(r, 1 / r);
}

/** TOFU's retain-set truth score: max(0, 1 - R), 1 when the true answer is far likelier. */
export function retainTruthScore(r: number): number {
  if (!(r >= 0)) throw new RangeError(`truth ratio must be >= 0, got ${r}`);
  return Math.max(0, 1 - r);
}

/**
 * `count` wrong answers of the same form as the item's reference answer:
 * - identity question: "This is <name>." for `count` other persons, drawn by an Rng seeded with the
 *   world seed and the item's itemId (so the same item always gets the same names); never the
 *   pictured person, nor anyone whose answer would contain the pictured person's full name;
 * - event question: eventAnswer of the `count` events most like the pictured one (similarEvents);
 * - any other type (attributes, objects, text facts): [] (their answers are single words or facts
 *   without a natural same-form distractor set; the truth ratio is not defined for them here).
 * Fewer than `count` when the world has too few other persons or events.
 */
export function perturbedAnswers(world: World, item: SplitItem, count = 3): string[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`perturbedAnswers: count must be a whole number >= 0, got ${count}`);
  if (!item.key || count === 0) return [];
  if (item.qa.type === 'identity') {
    const pictured = world.persons[item.key.personId];
    const candidates = world.persons.filter((p) => p.id !== pictured.id && namePrecision(identityAnswer(p), pictured.fullName) === 0);
    const rng = new Rng(world.config.seed, `perturbed/${itemId(item)}`);
    return rng.sample(candidates, Math.min(count, candidates.length)).map(identityAnswer);
  }
  if (item.qa.type === 'event') return similarEvents(world, world.events[item.key.eventId], count).map(eventAnswer);
  return [];
}
