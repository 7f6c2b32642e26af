// Forgotten or hidden: Efficacy under held-out wordings, on fresh renders, by text-only questions and
// after the relearning attack, next to the Goal model's. Rule (docs/robustness.md): a test shows the
// knowledge when Efficacy there is more than MARGIN below the Goal model's; "not forgotten" when plain
// Efficacy shows it, "hid it" when only some test does, "removed" when none does.
// Pure. Not here: running the attack (src/unlearning/relearn*.ts), formats (robustness-format.ts).
import type { ForgetConcept, SplitItem } from '../world/splits.ts';
import type { World } from '../world/types.ts';
import type { ReportInput } from './pebench-report.ts';
import { eventScore, exactWords, namePrecision } from './scorers.ts';

export type Unavailable = { unavailable: string };
export type ConceptValues = Partial<Record<ForgetConcept, number | null>>;

/** The relearning attack's result, as reports carry it (`relearn` in JSON). */
export interface RelearnReport {
  steps: number;
  /** 'generality' or 'text' (src/unlearning/relearn-set.ts). */
  on: string;
  /** Efficacy of the held-out targets' forget items before and after the attack, per concept (report scales). */
  efficacyBefore: ConceptValues;
  efficacyAfter: ConceptValues;
  n: Partial<Record<ForgetConcept, number>>;
  relearnTargets: { concept: ForgetConcept; id: number }[];
  heldOutTargets: { concept: ForgetConcept; id: number }[];
  /** Items in the relearn set. */
  relearnItems: number;
  /** NLL of a few held-out forget rows after 0 .. K - 1 steps (the curve climbing back). */
  forgetNll: number[];
  /** The same attack on the Goal model. */
  goal: { efficacyBefore: ConceptValues; efficacyAfter: ConceptValues; n: Partial<Record<ForgetConcept, number>> } | Unavailable;
  seconds: number;
}

export interface RobustnessCell {
  value: number | null;
  n: number;
}

/** Efficacy of a concept's targets under each test that needs only the report's answers. */
export interface ConceptRobustness {
  heldOutWordings: RobustnessCell;
  freshRenders: RobustnessCell;
  textOnly: RobustnessCell;
}

export type Robustness = Partial<Record<ForgetConcept, ConceptRobustness>>;

export const ROBUSTNESS_TESTS = ['heldOutWordings', 'freshRenders', 'textOnly', 'relearned'] as const;
export type RobustnessTest = (typeof ROBUSTNESS_TESTS)[number];
export const ROBUSTNESS_LABELS: Record<RobustnessTest, string> = {
  heldOutWordings: 'held-out wordings', freshRenders: 'fresh renders', textOnly: 'text-only', relearned: 'after relearning',
};
/** How far below the Goal model's Efficacy a value must be to show the knowledge, per scale. */
export const MARGIN: Record<ForgetConcept, number> = { person: 10, event: 0.1 };

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** `conceptOf`: the concept of the target a generality item belongs to. */
export function robustnessOf(input: ReportInput, conceptOf: (item: SplitItem) => ForgetConcept | undefined): Robustness {
  const { world, answers } = input;
  const out: Robustness = {};
  const concepts = new Set<ForgetConcept>(input.splits.targets.map((t) => t.concept));
  for (const concept of concepts) {
    const mine = answers.generality.filter(({ item }) => conceptOf(item) === concept);
    const cell = (given: typeof mine): RobustnessCell => ({ value: efficacy(world, concept, given), n: given.length });
    const text = concept === 'person' && answers.text ? answers.text.forget : [];
    const textAccuracy = mean(text.map(({ item, answer }) => exactWords(answer, item.qa.answer)));
    out[concept] = {
      heldOutWordings: cell(mine.filter(({ item }) => item.key?.variant === 0 && item.qa.heldOut)),
      freshRenders: cell(mine.filter(({ item }) => (item.key?.variant ?? 0) >= 1)),
      textOnly: { value: textAccuracy === null ? null : 100 - 100 * textAccuracy, n: text.length },
    };
  }
  return out;
}

/** Efficacy on the report's scale: person 100 - name precision %, event 1 - event score. */
function efficacy(world: World, concept: ForgetConcept, given: readonly { item: SplitItem; answer: string }[]): number | null {
  const scores = given.map(({ item, answer }) => {
    const key = item.key!;
    if (concept === 'person') return namePrecision(answer, world.persons[key.personId].fullName);
    return eventScore(answer, world.events[key.eventId], item.qa.answer).score;
  });
  const m = mean(scores);
  return m === null ? null : concept === 'person' ? 100 - 100 * m : 1 - m;
}

/** One row of the summary: a model's plain Efficacy and its Efficacy under each test, for one concept. */
export interface RobustnessEntry {
  label: string;
  concept: ForgetConcept;
  efficacy: number | null;
  values: Record<RobustnessTest, number | null>;
}

/** A report's entries (its robustness and, when given, the attack's result on it, or on the Goal model for `side` 'goal'). */
export function robustnessEntries(
  label: string, report: { person?: { efficacy: number | null }; event?: { efficacy: number | null }; robustness: Robustness },
  relearn?: RelearnReport | null, side: 'model' | 'goal' = 'model',
): RobustnessEntry[] {
  const attack = !relearn ? null : side === 'model' ? relearn : 'unavailable' in relearn.goal ? null : relearn.goal;
  return (['person', 'event'] as const).flatMap((concept) => {
    const r = report.robustness[concept];
    if (!r || !report[concept]) return [];
    return [{
      label, concept, efficacy: report[concept]!.efficacy,
      values: {
        heldOutWordings: r.heldOutWordings.value, freshRenders: r.freshRenders.value, textOnly: r.textOnly.value,
        relearned: attack?.efficacyAfter[concept] ?? null,
      },
    }];
  });
}

/** Field-wise means of entries with the same label and concept (the bench's seeds); null where no entry has a value. */
export function meanEntries(entries: readonly RobustnessEntry[]): RobustnessEntry[] {
  const groups = new Map<string, RobustnessEntry[]>();
  for (const e of entries) groups.set(`${e.label}\u0000${e.concept}`, [...(groups.get(`${e.label}\u0000${e.concept}`) ?? []), e]);
  const avg = (xs: (number | null)[]) => mean(xs.filter((x): x is number => x !== null));
  return [...groups.values()].map((g) => ({
    label: g[0].label, concept: g[0].concept, efficacy: avg(g.map((e) => e.efficacy)),
    values: Object.fromEntries(ROBUSTNESS_TESTS.map((t) => [t, avg(g.map((e) => e.values[t]))])) as RobustnessEntry['values'],
  }));
}

export type Verdict = 'removed' | 'hidden' | 'not forgotten' | 'unknown';

/** The rule of the header, as a verdict and one line that says why. */
export function robustnessVerdict(entry: RobustnessEntry, goal: RobustnessEntry | null): { verdict: Verdict; line: string } {
  if (!goal) return { verdict: 'unknown', line: 'cannot tell without the Goal model\'s values (a Goal model, and the relearning attack to evaluate it)' };
  const margin = MARGIN[entry.concept];
  const shows = (model: number | null, reference: number | null) => model !== null && reference !== null && model < reference - margin;
  if (entry.efficacy === null || goal.efficacy === null) return { verdict: 'unknown', line: 'cannot tell: no plain Efficacy to compare' };
  if (shows(entry.efficacy, goal.efficacy)) return { verdict: 'not forgotten', line: `not forgotten: Efficacy is more than ${margin} below the Goal model's` };
  const tested = ROBUSTNESS_TESTS.filter((t) => entry.values[t] !== null && goal.values[t] !== null);
  const untested = ROBUSTNESS_TESTS.filter((t) => !tested.includes(t)).map((t) => ROBUSTNESS_LABELS[t]);
  const leaks = tested.filter((t) => shows(entry.values[t], goal.values[t])).map((t) => ROBUSTNESS_LABELS[t]);
  const notRun = untested.length ? ` (not tested: ${untested.join(', ')})` : '';
  if (tested.length === 0) return { verdict: 'unknown', line: `cannot tell: no test has values for both this model and the Goal model${notRun}` };
  if (leaks.length) return { verdict: 'hidden', line: `hid it: forgotten on the forget items, but the knowledge shows ${leaks.join(', ')}${notRun}` };
  return { verdict: 'removed', line: `removed it by these tests: every test within ${margin} of the Goal model${notRun}` };
}
