// The relearning attack's data: each concept's forget targets split by a seed into a relearn half and
// a held-out half. The relearn set ('generality': the relearn half's generality items; 'text': its
// persons' text-only facts) is what the attack trains on; the held-out half's forget items are
// re-evaluated, so Efficacy lost there came back from what the model still held (docs/robustness.md).
// Pure. Not here: the fine-tuning (relearn.ts) or the Goal baseline (relearn-attack.ts).
import { Rng } from '../core/rng.ts';
import type { ForgetConcept, ForgetRequest, SplitItem, Splits } from '../world/splits.ts';

export const RELEARN_ON = ['generality', 'text'] as const;
export type RelearnOn = (typeof RELEARN_ON)[number];
export const DEFAULT_RELEARN_STEPS = 10;
export const MAX_RELEARN_STEPS = 200;
/** Rows per relearning step, its learning rate (Finetune's own peak rate) and the forget items re-evaluated per concept at most. */
export const RELEARN_BATCH = 8;
export const RELEARN_LR = 1e-3;
export const RELEARN_EVAL_ITEMS = 40;

export interface RelearnSettings {
  steps: number;
  on: RelearnOn;
}

export const DEFAULT_RELEARN: RelearnSettings = { steps: DEFAULT_RELEARN_STEPS, on: 'generality' };

export interface TargetRef {
  concept: ForgetConcept;
  id: number;
}

export interface RelearnSplit {
  on: RelearnOn;
  /** Targets whose data the attack trains on. */
  relearnTargets: TargetRef[];
  /** Targets the attack never sees; their forget items are re-evaluated. */
  heldOutTargets: TargetRef[];
  /** The relearn set. */
  train: SplitItem[];
  /** Forget items of the held-out targets (a seeded sample of at most `evalCap` per concept, in split order). */
  eval: SplitItem[];
}

/** Every problem of the attack's settings, named by `flag` (e.g. '--relearn-steps'), or []. */
export function relearnSettingsProblems(steps: unknown, on: unknown, flags = { steps: 'steps', on: 'on' }): string[] {
  const problems: string[] = [];
  if (typeof steps !== 'number' || !Number.isInteger(steps) || steps < 1 || steps > MAX_RELEARN_STEPS) {
    problems.push(`${flags.steps} must be an integer from 1 to ${MAX_RELEARN_STEPS}, got ${String(steps)}`);
  }
  if (typeof on !== 'string' || !(RELEARN_ON as readonly string[]).includes(on)) {
    problems.push(`${flags.on} must be one of ${RELEARN_ON.join(', ')} (generality: the generality images of half the targets; text: their text-only facts), got "${String(on)}"`);
  }
  return problems;
}

/** The concepts an attack on `on` covers for this request, or why it cannot run on it. */
export function relearnConcepts(request: ForgetRequest, on: RelearnOn): ForgetConcept[] | { problem: string } {
  const concepts: ForgetConcept[] = request.target === 'both' ? ['person', 'event'] : [request.target];
  if (on === 'generality') return concepts;
  if (!concepts.includes('person')) return { problem: 'relearning on text-only facts needs person targets (events have no text-only facts): use generality' };
  return ['person'];
}

/** Why the attack cannot split this request's targets (a concept with fewer than two), or null. */
export function relearnSplitProblem(splits: Splits, on: RelearnOn): string | null {
  const concepts = relearnConcepts(splits.request, on);
  if ('problem' in concepts) return concepts.problem;
  for (const concept of concepts) {
    const count = splits.targets.filter((t) => t.concept === concept).length;
    if (count < 2) return `the relearning attack needs at least 2 ${concept} targets (one half relearnt, the other re-evaluated), this request has ${count}: forget a larger ratio`;
  }
  return null;
}

/** The attack's halves, relearn set and evaluation items; the same for the same splits, `on` and seed. */
export function relearnSplit(splits: Splits, on: RelearnOn, seed: number, evalCap = RELEARN_EVAL_ITEMS): RelearnSplit {
  const problem = relearnSplitProblem(splits, on);
  if (problem) throw new RangeError(problem);
  const concepts = relearnConcepts(splits.request, on) as ForgetConcept[];
  const rng = new Rng(seed, 'relearn');
  const out: RelearnSplit = { on, relearnTargets: [], heldOutTargets: [], train: [], eval: [] };
  for (const concept of concepts) {
    const targets = splits.targets.filter((t) => t.concept === concept);
    const order = rng.fork(`halves/${concept}`).shuffle(targets);
    // The held-out half gets the odd target: more items to re-evaluate.
    const relearnt = order.slice(0, Math.floor(targets.length / 2));
    const kept = new Set(relearnt);
    const heldOut = targets.filter((t) => !kept.has(t));
    const inOrder = targets.filter((t) => kept.has(t));
    out.relearnTargets.push(...inOrder.map((t) => ({ concept, id: t.id })));
    out.heldOutTargets.push(...heldOut.map((t) => ({ concept, id: t.id })));
    if (on === 'generality') out.train.push(...inOrder.flatMap((t) => t.generalityItems));
    else {
      const persons = new Set(inOrder.map((t) => t.id));
      out.train.push(...splits.textItems.forget.filter((item) => item.key === null && persons.has(item.personId)));
    }
    const items = heldOut.flatMap((t) => t.forgetItems);
    const chosen = new Set(rng.fork(`eval/${concept}`).sample([...items.keys()], Math.min(evalCap, items.length)));
    out.eval.push(...items.filter((_, i) => chosen.has(i)));
  }
  return out;
}

/** Whether an item shows or names a target: its image's person or event, or a text fact's person. */
export function itemTouches(item: SplitItem, target: TargetRef): boolean {
  if (item.key === null) return target.concept === 'person' && item.personId === target.id;
  return target.concept === 'person' ? item.key.personId === target.id : item.key.eventId === target.id;
}
