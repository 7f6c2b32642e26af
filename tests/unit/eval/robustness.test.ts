// Robustness values and verdicts (robustness.ts, robustness-format.ts): Efficacy under held-out
// wordings and on fresh renders is taken from exactly those generality items, text-only from the
// forgotten persons' facts; the verdict follows the stated rule against the Goal model's values
// (values computed by hand here), and tests without values are named as not run.
import { describe, expect, it } from 'vitest';
import { pebenchReport } from '../../../src/eval/pebench-report.ts';
import { robustnessMarkdown, robustnessSummary } from '../../../src/eval/robustness-format.ts';
import { meanEntries, robustnessVerdict, type RobustnessEntry } from '../../../src/eval/robustness.ts';
import { createWorld, makeSplits } from '../../../src/world/index.ts';

const world = createWorld({ persons: 20, events: 10 });
const splits = makeSplits(world, { target: 'person', personRatio: 0.1, forgetSeed: 0 });

describe('robustnessOf (through pebenchReport)', () => {
  it('scores held-out wordings, fresh renders and text-only facts apart', () => {
    const generality = splits.targets.flatMap((t) => t.generalityItems);
    // Held-out wordings answered with the full name (recalled), everything else with a refusal.
    const answers = generality.map((item) => ({
      item, answer: item.key!.variant === 0 && item.qa.heldOut ? world.persons[item.key!.personId].fullName : 'I do not know.',
    }));
    const facts = splits.textItems.forget;
    // Half the text facts answered exactly.
    const text = facts.map((item, i) => ({ item, answer: i % 2 === 0 ? item.qa.answer : 'no idea' }));
    const report = pebenchReport({ world, splits, answers: { forget: [], generality: answers, retain: [], scope: [], utility: [], text: { forget: text, retain: [] } } });
    const r = report.robustness.person!;
    const heldOut = generality.filter((i) => i.key!.variant === 0 && i.qa.heldOut).length;
    const fresh = generality.filter((i) => i.key!.variant >= 1).length;
    expect(heldOut).toBeGreaterThan(0);
    expect(fresh).toBeGreaterThan(0);
    expect(r.heldOutWordings).toEqual({ value: 0, n: heldOut });
    expect(r.freshRenders).toEqual({ value: 100, n: fresh });
    expect(r.textOnly.n).toBe(facts.length);
    expect(r.textOnly.value).toBeCloseTo(100 - (100 * Math.ceil(facts.length / 2)) / facts.length, 10);
    expect(report.robustness.event).toBeUndefined();
  });
});

const entry = (label: string, efficacy: number | null, values: Partial<RobustnessEntry['values']>): RobustnessEntry => ({
  label, concept: 'person', efficacy, values: { heldOutWordings: null, freshRenders: null, textOnly: null, relearned: null, ...values },
});
const goal = entry('Goal', 98, { heldOutWordings: 97, freshRenders: 99, textOnly: 95, relearned: 90 });

describe('robustnessVerdict', () => {
  it('not forgotten when plain Efficacy is more than 10 points below the Goal model', () => {
    expect(robustnessVerdict(entry('GA', 80, { heldOutWordings: 97 }), goal).verdict).toBe('not forgotten');
  });

  it('hidden when plain Efficacy is within the margin but a test shows the knowledge, naming the tests', () => {
    const v = robustnessVerdict(entry('NPO', 95, { heldOutWordings: 96, freshRenders: 98, textOnly: 94, relearned: 60 }), goal);
    expect(v.verdict).toBe('hidden');
    expect(v.line).toMatch(/shows after relearning$/);
    // 88 is exactly 10 below 98: not more than the margin, so not a leak.
    expect(robustnessVerdict(entry('X', 95, { relearned: 80, freshRenders: 89 }), goal).verdict).toBe('removed');
    expect(robustnessVerdict(entry('X', 95, { relearned: 79.9 }), goal).verdict).toBe('hidden');
  });

  it('removed when no test shows it, listing the tests that were not run', () => {
    const v = robustnessVerdict(entry('PO', 99, { heldOutWordings: 95, freshRenders: 98 }), goal);
    expect(v.verdict).toBe('removed');
    expect(v.line).toMatch(/not tested: text-only, after relearning/);
  });

  it('cannot tell without Goal values', () => {
    expect(robustnessVerdict(entry('GA', 99, {}), null).verdict).toBe('unknown');
    expect(robustnessVerdict(entry('GA', 99, { heldOutWordings: 99 }), entry('Goal', 99, {})).verdict).toBe('unknown');
  });

  it('uses 0.1 as the margin on the events\' 0-1 scale', () => {
    const g: RobustnessEntry = { ...goal, concept: 'event', efficacy: 0.9, values: { heldOutWordings: 0.9, freshRenders: 0.9, textOnly: null, relearned: 0.85 } };
    const e: RobustnessEntry = { ...g, label: 'GD', values: { ...g.values, relearned: 0.7 } };
    expect(robustnessVerdict(e, g).verdict).toBe('hidden');
    expect(robustnessVerdict({ ...e, values: { ...e.values, relearned: 0.8 } }, g).verdict).toBe('removed');
  });
});

describe('summary over seeds', () => {
  it('averages each value over the entries that have one, and gives the Goal row as the reference', () => {
    const rows = robustnessSummary(meanEntries([
      entry('GA', 90, { relearned: 50 }), entry('GA', 100, { relearned: null }), goal, goal,
    ]));
    const ga = rows.find((r) => r.label === 'GA')!;
    expect(ga.efficacy).toBe(95);
    expect(ga.values.relearned).toBe(50);
    expect(ga.verdict).toBe('hidden');
    expect(rows.find((r) => r.label === 'Goal')!.verdict).toBe('reference');
    const md = robustnessMarkdown(rows);
    expect(md).toContain('| GA | 95.00 | n/a | n/a | n/a | 50.00 | hidden |');
    expect(md).toContain('- GA (persons): hid it');
  });
});
