import { describe, expect, it } from 'vitest';
import { pebenchReport, type AnsweredItem, type ItemTokenScores, type PebenchReport } from '../../../src/eval/pebench-report.ts';
import {
  benchTables, csvField, formatValue, reportCsv, reportJson, reportMarkdown, type BenchRow,
} from '../../../src/eval/report-format.ts';
import { createWorld, makeSplits, type ForgetRequest, type SplitItem, type Splits } from '../../../src/world/index.ts';

const world = createWorld({ persons: 20, events: 20 });
const say = (items: readonly SplitItem[], answer: (item: SplitItem, i: number) => string): AnsweredItem[] =>
  items.map((item, i) => ({ item, answer: answer(item, i) }));

/** `knows` of every 4 forget items answered right (reference answer), the rest empty; no scope answers. */
function reportFor(request: ForgetRequest, knows: number, withScores = false): PebenchReport {
  const splits: Splits = makeSplits(world, request);
  const right = (item: SplitItem, i: number) => (i % 4 < knows ? item.qa.answer : '');
  const scoreOf = (item: SplitItem, lp: number): ItemTokenScores => ({ item, truth: { logProbs: [lp] }, perturbed: [{ logProbs: [lp - 1] }] });
  const forget = splits.targets[0].forgetItems.slice(0, 5);
  const unseen = splits.targets[0].generalityItems.filter((i) => i.key!.variant > 0).slice(0, 4);
  return pebenchReport({
    world, splits,
    answers: {
      forget: splits.targets.flatMap((t) => say(t.forgetItems, right)),
      generality: splits.targets.flatMap((t) => say(t.generalityItems, right)),
      retain: say(splits.retainItems, (item) => item.qa.answer),
      scope: [],
      utility: say(splits.utilityItems, (item) => item.qa.answer),
    },
    ...(withScores ? {
      scores: { forget: forget.map((i) => scoreOf(i, -0.5)), unseen: unseen.map((i) => scoreOf(i, -3)) },
      goal: { scores: { forget: forget.map((i) => scoreOf(i, -2)), unseen: unseen.map((i) => scoreOf(i, -2)) } },
    } : {}),
  });
}

/** Efficacy (0-100) of reportFor(request, knows): of each target's forget items, i % 4 < knows are named. */
function efficacyOf(request: ForgetRequest, knows: number): number {
  const counts = makeSplits(world, request).targets.map((t) => t.forgetItems.length);
  const named = counts.reduce((sum, n) => sum + Math.floor(n / 4) * knows + Math.min(n % 4, knows), 0);
  return 100 * (1 - named / counts.reduce((a, b) => a + b, 0));
}

const personRequest: ForgetRequest = { target: 'person', personRatio: 0.1, forgetSeed: 0 };
const eventRequest: ForgetRequest = { target: 'event', eventRatio: 0.1, forgetSeed: 0 };
const jointRequest: ForgetRequest = { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 };

describe('formatValue and CSV fields', () => {
  it('uses 2 decimals on 0-100, 3 on 0-1, n/a for null', () => {
    expect(formatValue(100, 'percent')).toBe('100.00');
    expect(formatValue(2.245, 'percent')).toBe('2.25');
    expect(formatValue(0.5, 'unit')).toBe('0.500');
    expect(formatValue(null, 'unit')).toBe('n/a');
  });
  it('quotes CSV fields that need it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
  });
});

describe('one report', () => {
  const person = reportFor(personRequest, 1, true);

  it('Markdown has the paper\'s columns, the numbers, sample sizes and reasons for n/a', () => {
    const md = reportMarkdown(person);
    expect(md).toContain('|  | Efficacy | Generality | Retain | Scope | Real | World Fact |');
    // about 1 of 4 named -> efficacy about 75; retain and Real answered right -> 100.00; no scope answers -> n/a
    const efficacy = efficacyOf(personRequest, 1);
    expect(efficacy).toBeGreaterThan(70);
    expect(person.person!.efficacy).toBeCloseTo(efficacy, 10);
    expect(md).toMatch(new RegExp(`\\| score \\| ${efficacy.toFixed(2)} \\| \\d+\\.\\d\\d \\| 100\\.00 \\| n/a \\| 100\\.00 \\| 100\\.00 \\|`));
    const n = person.person!.n;
    expect(md).toContain(`| n | ${n.efficacy} | ${n.generality} | ${n.retain} | 0 | ${n.real} | ${n.worldFact} |`);
    expect(md).toMatch(/Scope n\/a: no scope item/);
    expect(md).not.toContain('Event unlearning');
    const t0 = person.crossConcept[0];
    const n0 = makeSplits(world, personRequest).targets[0].forgetItems.length;
    const known0 = (100 * (Math.floor(n0 / 4) + Math.min(n0 % 4, 1))) / n0; // about a quarter still named
    expect(md).toContain(`| person ${t0.id} | ${t0.name} | ${known0.toFixed(2)} | ${t0.ownN} | n/a | 0 |`);
    expect(md).toContain('membership AUC, LOSS / Min-K% / Min-K%++ (forget vs unseen) | 1.000 / 1.000 / n/a | 5 vs 4 |');
    expect(md).toContain('PrivLeak vs Goal, LOSS / Min-K% / Min-K%++ | +100.00% / +100.00% / n/a');
  });

  it('JSON is one plain object with person, n, extra and the caller\'s config and timing', () => {
    const json = reportJson(person, { config: { method: 'GD', steps: 3 }, timing: { totalMs: 12 } });
    expect(Object.keys(json).sort()).toEqual(['config', 'extra', 'n', 'person', 'timing', 'unavailable']);
    expect(json.person).toEqual({
      efficacy: person.person!.efficacy, generality: person.person!.generality, retain: 100, scope: null, real: 100, worldFact: 100,
    });
    expect(json.n.person).toEqual(person.person!.n);
    expect(json.unavailable.person!.scope).toMatch(/no scope item/);
    expect(json.extra.membership).toEqual(person.extra.membership);
    expect(json.extra.crossConcept).toEqual(person.crossConcept);
    expect(json.config).toEqual({ method: 'GD', steps: 3 });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('CSV has one row per concept x column and every extra', () => {
    const csv = reportCsv(person).trim().split('\n');
    expect(csv[0]).toBe('section,concept,target,metric,value,n,note');
    const columns = csv.filter((l) => l.startsWith('column,'));
    expect(columns).toHaveLength(6);
    expect(columns[0]).toBe(`column,person,,efficacy,${person.person!.efficacy},${person.person!.n.efficacy},percent`);
    expect(columns.find((l) => l.includes(',scope,'))).toMatch(/^column,person,,scope,,0,no scope item/);
    expect(csv).toContain('extra,,,membershipAuc.loss,1,5;4,');
    expect(csv).toContain('extra,,,privLeak.loss,100,,');
    const robust = csv.filter((l) => l.startsWith('robustness,'));
    expect(robust).toHaveLength(3);
    const fresh = person.robustness.person!.freshRenders;
    expect(robust).toContain(`robustness,person,,freshRenders,${fresh.value ?? ''},${fresh.n},percent`);
  });

  it('event and joint reports show their own tables; output is the same for the same input', () => {
    const event = reportFor(eventRequest, 2);
    const md = reportMarkdown(event);
    expect(md).toContain('### Event unlearning');
    expect(md).not.toContain('### Person unlearning');
    expect(md).toMatch(/answer probability \| n\/a \(no token scores/);
    const joint = reportFor(jointRequest, 0);
    const both = reportMarkdown(joint);
    expect(both).toContain('### Person unlearning');
    expect(both).toContain('### Event unlearning');
    expect(reportMarkdown(reportFor(jointRequest, 0))).toBe(both);
    expect(reportCsv(reportFor(jointRequest, 0))).toBe(reportCsv(joint));
  });
});

describe('benchTables', () => {
  const rows: BenchRow[] = [
    { label: 'Finetune', target: 'person', report: reportFor(personRequest, 4) },
    { label: 'GD', target: 'person', report: reportFor(personRequest, 1) },
    { label: 'Goal', target: 'person', report: reportFor(personRequest, 0) },
    { label: 'Finetune', target: 'event', report: reportFor(eventRequest, 4) },
    { label: 'GD', target: 'both', report: reportFor(jointRequest, 2) },
  ];

  it('Markdown: the person, event and joint tables with rows in the given order', () => {
    const md = benchTables(rows, 'md');
    const personTable = md.slice(md.indexOf('### Person unlearning'), md.indexOf('### Event unlearning'));
    expect(personTable).toContain('| method | Efficacy | Generality | Retain | Scope | Real | World Fact |');
    const order = ['| Finetune | 0.00 |', `| GD | ${efficacyOf(personRequest, 1).toFixed(2)} |`, '| Goal | 100.00 |'].map((r) => personTable.indexOf(r));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('| Finetune | 0.000 |'); // event efficacy 1 - 1 on 0-1
    const joint = md.slice(md.indexOf('### Joint'));
    // joint: of each target's forget items, i % 4 < 2 named
    const jointEfficacy = efficacyOf(jointRequest, 2);
    expect(rows[4].report.person!.efficacy).toBeCloseTo(jointEfficacy, 10);
    expect(joint).toContain('| method | Person Efficacy | Person Retain | Event Efficacy | Event Retain |');
    expect(joint).toContain(`| GD | ${jointEfficacy.toFixed(2)} | 100.00 | ${(jointEfficacy / 100).toFixed(3)} | 1.000 |`);
    expect(md).toMatch(/Sample sizes \(n\): Efficacy \d+/);
    expect(md).toMatch(/GD Scope n\/a: no scope item/);
  });

  it('JSON and CSV hold the same values', () => {
    const json = JSON.parse(benchTables(rows, 'json'));
    expect(json.person.map((r: { label: string }) => r.label)).toEqual(['Finetune', 'GD', 'Goal']);
    expect(json.person[1].efficacy).toBeCloseTo(efficacyOf(personRequest, 1), 10);
    expect(json.person[1].scope).toBeNull();
    expect(json.joint[0]).toMatchObject({ label: 'GD', personEfficacy: expect.closeTo(efficacyOf(jointRequest, 2), 10), personRetain: 100, eventEfficacy: expect.closeTo(efficacyOf(jointRequest, 2) / 100, 10), eventRetain: 1 });
    expect(json.joint[0].n.personEfficacy).toBe(rows[4].report.person!.n.efficacy);
    const csv = benchTables(rows, 'csv').trim().split('\n');
    expect(csv).toHaveLength(1 + 3 * 6 + 1 * 6 + 1 * 4);
    expect(csv).toContain(`joint,GD,eventEfficacy,${rows[4].report.event!.efficacy},${rows[4].report.event!.n.efficacy}`);
    expect(() => benchTables(rows, 'xml' as never)).toThrow(/md, json or csv/);
  });
});
