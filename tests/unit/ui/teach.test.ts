// The lab's lessons, view hash, exports and compare rows, on reports computed from a small world:
// every lesson's preset is a valid lab link, its closing sentence fills only from a run's numbers
// and quotes them; the view keys round-trip beside the experiment; the exported report is the CLI's
// (same fields and values); the compare table marks what differs from the current run.
import { describe, expect, it } from 'vitest';
import { pebenchReport, type AnsweredItem, type PebenchReport } from '../../../src/eval/pebench-report.ts';
import { reportCsv, reportJson, reportMarkdown } from '../../../src/eval/report-format.ts';
import { defaultRunConfig, withMethod } from '../../../src/unlearning/run-config.ts';
import type { LabMetrics } from '../../../src/unlearning/live-metrics-items.ts';
import { createWorld, makeSplits, type ForgetRequest, type SplitItem } from '../../../src/world/index.ts';
import { fromHash, toHash } from '../../../src/ui/lab/lab-hash.ts';
import { LESSONS, lessonAt } from '../../../src/ui/lessons/lessons.ts';
import { namesNoExperiment, NO_VIEW, viewFromHash, withoutView, withView } from '../../../src/ui/lessons/lesson-view.ts';
import { curvesCsv, matrixSvg, reportFile, tradeOffPlotSvg } from '../../../src/ui/lab/export-files.ts';
import { compareRows, type CompareColumn } from '../../../src/ui/lab/compare-rows.ts';
import { GOAL_POINTS, labGoalPoint } from '../../../src/ui/lab/goal-points.ts';

const world = createWorld({ persons: 20, events: 20 });
const say = (items: readonly SplitItem[], right: boolean): AnsweredItem[] => items.map((item) => ({ item, answer: right ? item.qa.answer : 'no idea' }));
/** A report where the model still answers everything (`knows`) or nothing about the forget targets. */
function reportFor(request: ForgetRequest, knows: boolean): PebenchReport {
  const splits = makeSplits(world, request);
  return pebenchReport({
    world, splits,
    answers: {
      forget: splits.targets.flatMap((t) => say(t.forgetItems, knows)),
      generality: splits.targets.flatMap((t) => say(t.generalityItems, knows)),
      retain: say(splits.retainItems, true), scope: say(splits.scopeItems, true), utility: say(splits.utilityItems, true),
    },
  });
}
const cell = (known: number) => ({ known, n: 8 });
const metricsAt = (step: number, known: number): LabMetrics => ({
  step, forget: known, retain: 0.9, scope: 0.8, ms: 1,
  matrix: { forgetPerson: { identity: cell(known), event: cell(0.9) }, forgetEvent: { identity: cell(0.7), event: cell(known) }, neither: { identity: cell(0.9), event: cell(0.9) } },
});
const joint: ForgetRequest = { target: 'both', personRatio: 0.1, eventRatio: 0.1, forgetSeed: 0 };

describe('lessons', () => {
  it('are at least five, each a valid lab link with steps, one of them running the preset', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(5);
    for (const lesson of LESSONS) {
      expect(fromHash(lesson.hash).ignored).toEqual([]);
      expect(lesson.steps.filter((s) => s.action === 'run')).toHaveLength(1);
      expect(lesson.paper.length).toBeGreaterThan(40);
    }
    expect(fromHash(LESSONS[3].hash).experiment.bgd).toBe(true);
    expect(lessonAt(0)).toBeNull();
    expect(lessonAt(LESSONS.length + 1)).toBeNull();
  });

  it('fill the closing sentence from the run\'s numbers only', () => {
    const report = reportFor(joint, false);
    const finetune = reportFor(joint, true);
    const run = { report, finetune, metrics: [metricsAt(0, 1), metricsAt(40, 0.25)], steps: 40 };
    const first = LESSONS[0].measured(run)!;
    expect(first).toContain(`Efficacy ${report.person!.efficacy!.toFixed(1)} (Finetune ${finetune.person!.efficacy!.toFixed(1)})`);
    expect(first).toContain('40 GA steps');
    expect(LESSONS[2].measured(run)).toContain('70% at step 0 to 70% at step 40');
    expect(LESSONS[2].measured({ ...run, metrics: [metricsAt(0, 1)] })).toBeNull();
    expect(LESSONS[3].measured(run)).toContain(`event Efficacy ${report.event!.efficacy!.toFixed(2)}`);
    // A person-only report has no event column: the event lessons wait.
    expect(LESSONS[1].measured({ ...run, report: reportFor({ target: 'person', personRatio: 0.1, forgetSeed: 0 }, false) })).toBeNull();
  });
});

describe('the view in the hash', () => {
  it('round-trips lesson, step, presentation and pins beside the experiment', () => {
    const experiment = toHash(fromHash(LESSONS[1].hash).experiment);
    const view = { lesson: 2, lessonStep: 3, present: true, pins: ['target=persons&method=ga&steps=5'] };
    const hash = withView(experiment, view);
    expect(viewFromHash(hash)).toEqual({ view, ignored: [] });
    expect(fromHash(hash).ignored).toEqual([]);
    expect(withoutView(hash)).toBe(experiment);
    expect(withView(experiment, NO_VIEW)).toBe(experiment);
  });

  it('says which view keys it ignored, and tells a bare lesson link from an experiment', () => {
    const { view, ignored } = viewFromHash('#lesson=99&present=yes&pin=nonsense');
    expect(view).toEqual(NO_VIEW);
    expect(ignored).toEqual(['lesson=99', 'present=yes', 'pin=nonsense']);
    expect(viewFromHash(`#lesson=1&ls=${LESSONS[0].steps.length + 2}`).ignored).toHaveLength(1);
    expect(namesNoExperiment('#lesson=2&backend=wasm')).toBe(true);
    expect(namesNoExperiment('#lesson=2&method=ga')).toBe(false);
  });
});

describe('exports', () => {
  const config = withMethod(defaultRunConfig(), 'ga');
  const report = reportFor(config.request, false);
  const run = { config, backend: 'wasm', modelHash: 'abc', step: 30, report, seconds: 4.5 };

  it('write the report in the CLI\'s formats, the JSON with its fields and values', () => {
    const json = JSON.parse(reportFile(run, 'json').text);
    const cli = JSON.parse(JSON.stringify(reportJson(report, { config: {}, timing: {} })));
    expect(Object.keys(json).sort()).toEqual(Object.keys(cli).sort());
    expect(json.person).toEqual(cli.person);
    expect(json.extra).toEqual(cli.extra);
    expect(json.config).toMatchObject({ method: 'ga', step: 30, backend: 'wasm', trainable: { kind: 'lora' } });
    expect(reportFile(run, 'md').text).toBe(`${reportMarkdown(report, 'GA (gradient ascent) on persons 5% (forget seed 0)')}\n`);
    expect(reportFile(run, 'csv').text).toBe(reportCsv(report));
    expect(reportFile(run, 'csv').name).toBe('pebench-lab-ga-person-fs0-step30-report.csv');
  });

  it('write the curves one row per measured step, and the matrix and trade-off as SVG', () => {
    const metrics = [metricsAt(0, 1), metricsAt(10, 0.5)];
    const csv = curvesCsv(metrics, [{ step: 10, loss: 2.5 } as never]).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toBe('step,forget,retain,scope,forgetPerson.identity,forgetPerson.identity.n,forgetPerson.event,forgetPerson.event.n,forgetEvent.identity,forgetEvent.identity.n,forgetEvent.event,forgetEvent.event.n,neither.identity,neither.identity.n,neither.event,neither.event.n,loss');
    expect(csv[2]).toMatch(/^10,0\.5,0\.9,0\.8,0\.5,8,.*,2\.5$/);
    const matrix = matrixSvg(metrics[1], metrics[0], 'M');
    expect(matrix).toMatch(/^<svg /);
    expect(matrix).toContain('50% (−50 pts)');
    const plot = tradeOffPlotSvg([{ label: 'pin 1', metrics }, { label: 'current run', metrics: [metrics[0]] }], 'retain');
    expect(plot.match(/class="legend-entry"/g)).toHaveLength(2);
    expect(plot).toContain('data-label="pin 1"');
    expect(plot).not.toContain('class="goal"');
    expect(plot).toContain('No Goal point for this request.');
    // With the Goal model's shares: a star at (forget 10 %, rest 90 %), in the legend too.
    const withGoal = tradeOffPlotSvg([{ label: 'current run', metrics }], 'retain', undefined, { forget: 0.1, retain: 0.9, scope: 0.5 });
    expect(withGoal).toContain('Goal model: forgotten 10, rest 90');
    expect(withGoal.match(/class="legend-entry"/g)).toHaveLength(2);
    expect(tradeOffPlotSvg([{ label: 'current run', metrics }], 'scope', undefined, { forget: 0.1, retain: 0.9, scope: 0.5 })).toContain('Goal model: forgotten 10, other concept 50');
  });
});

describe('compare rows', () => {
  it('put each run in a column and mark what differs from the current (last) one', () => {
    const config = defaultRunConfig();
    const column = (method: 'ga' | 'npo', knows: boolean): CompareColumn => ({
      label: method, config: withMethod(config, method), step: 10, metrics: [metricsAt(10, knows ? 1 : 0)], report: reportFor(config.request, knows), probe: null,
    });
    const rows = compareRows([column('ga', false), column('npo', true)]);
    const method = rows.find((r) => r.key === 'setting.method')!;
    expect(method.cells).toEqual(['GA', 'NPO']);
    expect(method.differs).toEqual([true, false]);
    const efficacy = rows.find((r) => r.key === 'person.efficacy')!;
    expect(efficacy.cells[0]).not.toBe(efficacy.cells[1]);
    expect(rows.find((r) => r.key === 'live.retain')!.differs).toEqual([false, false]);
    expect(rows.some((r) => r.key.startsWith('event.'))).toBe(false);
  });
});

describe('the Goal point of the trade-off view', () => {
  const persons = GOAL_POINTS.points.find((p) => p.goalDir.endsWith('pebench-tiny-goal-persons'))!;
  const cellOf = (n: number) => ({ known: 1, n });
  const stepZero: LabMetrics = {
    ...metricsAt(0, 1),
    matrix: {
      forgetPerson: { identity: cellOf(persons.n.efficacy), event: cellOf(persons.n.scope) }, forgetEvent: { identity: cellOf(0), event: cellOf(0) },
      neither: { identity: cellOf(persons.n.retain / 2), event: cellOf(persons.n.retain / 2) },
    },
  };
  const session = { loaded: { modelHash: persons.finetuneHash }, configured: { config: defaultRunConfig() }, metrics: [stepZero] };

  it("waits for step 0, then gives the recorded point of the lab's default request", () => {
    expect(labGoalPoint({ ...session, metrics: [] })).toBeNull();
    expect(labGoalPoint(session)).toEqual({ point: persons });
  });

  it('says there is none for a request without a Goal model', () => {
    const config = { ...defaultRunConfig(), request: { target: 'person' as const, personRatio: 0.1, forgetSeed: 0 } };
    expect(labGoalPoint({ ...session, configured: { config } })).toEqual({ none: expect.stringMatching(/^No Goal model was trained for this request/) });
  });
});
