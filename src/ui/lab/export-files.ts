// What "Export" writes, as text: the PEBench report in the formats of `npx pebench unlearn`
// (report-format.ts: Markdown, long CSV, the --json object with the same field names; here its
// config is the lab's run record), the live curves as CSV (one row per measured step), and the
// interference matrix and the trade-off plots as standalone SVG. Pure: no DOM. Not here: PNG
// rasterising and the download itself (export-download.ts).
import { csvLine, reportCsv, reportJson, reportMarkdown } from '../../eval/report-format.ts';
import type { PebenchReport } from '../../eval/pebench-report.ts';
import { escapeXml, tradeOffSvg, type TradeOffLine } from '../../eval/trade-off-svg.ts';
import { getCard } from '../../unlearning/cards.ts';
import { runRecord, type RunConfig } from '../../unlearning/run-config.ts';
import { LIVE_QUESTIONS, LIVE_ROWS, type LabMetrics } from '../../unlearning/live-metrics-items.ts';
import type { UnlearnStep } from '../../unlearning/driver.ts';
import type { MetricShares } from '../../unlearning/goal-point.ts';

export type ReportFormat = 'md' | 'csv' | 'json';

export interface ExportedFile {
  name: string;
  mime: string;
  text: string;
}

/** The evaluation the page shows: the report at `step`, the Finetune report, and how long it took. */
export interface EvaluatedRun {
  config: RunConfig;
  backend: string;
  modelHash: string | null;
  step: number;
  report: PebenchReport;
  seconds: number;
}

/** "NPO on persons 5% (forget seed 0)", as the CLI's Markdown title. */
export function runTitle(config: RunConfig): string {
  const r = config.request;
  const pct = (x: number | undefined) => `${Math.round((x ?? 0) * 100)}%`;
  const what = r.target === 'person' ? `persons ${pct(r.personRatio)}` : r.target === 'event' ? `events ${pct(r.eventRatio)}`
    : `persons ${pct(r.personRatio)} + events ${pct(r.eventRatio)}`;
  return `${getCard(config.method).label}${config.bgd ? '+BGD' : ''} on ${what} (forget seed ${r.forgetSeed})`;
}

/** A file name stem for a run: method, request, step. */
export function fileStem(config: RunConfig, step: number): string {
  const r = config.request;
  return `pebench-lab-${config.method}${config.bgd ? '-bgd' : ''}-${r.target}-fs${r.forgetSeed}-step${step}`;
}

/** The report as the CLI writes it: `--json`'s object (config: the run record and the lab's), Markdown, or long CSV. */
export function reportFile(run: EvaluatedRun, format: ReportFormat): ExportedFile {
  const stem = `${fileStem(run.config, run.step)}-report`;
  if (format === 'md') return { name: `${stem}.md`, mime: 'text/markdown', text: `${reportMarkdown(run.report, runTitle(run.config))}\n` };
  if (format === 'csv') return { name: `${stem}.csv`, mime: 'text/csv', text: reportCsv(run.report) };
  const config = { ...runRecord(run.config), backend: run.backend, step: run.step, model: { modelHash: run.modelHash }, source: 'pebench lab' };
  const json = reportJson(run.report, { config, timing: { evalSeconds: run.seconds } });
  return { name: `${stem}.json`, mime: 'application/json', text: `${JSON.stringify(json, null, 2)}\n` };
}

/** The live curves: step, the three shares (0-1), every matrix cell with its n, and the step's loss. */
export function curvesCsv(metrics: readonly LabMetrics[], steps: readonly UnlearnStep[]): string {
  const cells = LIVE_ROWS.flatMap((row) => LIVE_QUESTIONS.map((q) => [row, q] as const));
  const header = ['step', 'forget', 'retain', 'scope', ...cells.flatMap(([r, q]) => [`${r}.${q}`, `${r}.${q}.n`]), 'loss'];
  const loss = new Map(steps.map((s) => [s.step, s.loss]));
  const lines = metrics.map((m) => csvLine([m.step, m.forget, m.retain, m.scope,
    ...cells.flatMap(([r, q]) => [m.matrix[r][q].known, m.matrix[r][q].n]), loss.get(m.step)]));
  return `${[csvLine(header), ...lines].join('\n')}\n`;
}

const ROW_LABELS = { forgetPerson: 'a forgotten person', forgetEvent: 'a forgotten event', neither: 'neither' } as const;
const QUESTION_LABELS = { identity: 'who is it?', event: 'which event?' } as const;

/** The interference matrix at `current` (change since `start` in points) as a standalone SVG. */
export function matrixSvg(current: LabMetrics, start: LabMetrics | null, title: string): string {
  const W = 520, ROW_H = 54, TOP = 74, LEFT = 170, COL_W = 165;
  const h = TOP + ROW_H * LIVE_ROWS.length + 34;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" role="img" font-family="system-ui, sans-serif" font-size="13" fill="#1b2333">`,
    `<title>${escapeXml(title)}</title>`, `<rect width="${W}" height="${h}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="12" y="${TOP - 12}" fill="#5d6880">images of…</text>`];
  LIVE_QUESTIONS.forEach((q, j) => out.push(`<text x="${LEFT + j * COL_W + COL_W / 2}" y="${TOP - 12}" text-anchor="middle" fill="#5d6880">${QUESTION_LABELS[q]}</text>`));
  LIVE_ROWS.forEach((row, i) => {
    const y = TOP + i * ROW_H;
    out.push(`<text x="12" y="${y + ROW_H / 2 + 4}">${ROW_LABELS[row]}</text>`);
    LIVE_QUESTIONS.forEach((q, j) => {
      const cell = current.matrix[row][q];
      const then = start?.matrix[row][q].known;
      const x = LEFT + j * COL_W;
      const hue = cell.known === null ? null : 10 + cell.known * 120;
      const fill = hue === null ? '#f1f3f7' : `hsl(${hue.toFixed(0)}, 65%, ${(88 - cell.known! * 10).toFixed(0)}%)`;
      out.push(`<rect x="${x + 3}" y="${y + 3}" width="${COL_W - 6}" height="${ROW_H - 6}" rx="6" fill="${fill}"/>`);
      const label = cell.known === null ? 'n/a' : `${Math.round(cell.known * 100)}%`;
      const change = cell.known === null || then === null || then === undefined || current.step === 0 ? ''
        : ` (${Math.round((cell.known - then) * 100) >= 0 ? '+' : '−'}${Math.abs(Math.round((cell.known - then) * 100))} pts)`;
      out.push(`<text x="${x + COL_W / 2}" y="${y + ROW_H / 2 + 5}" text-anchor="middle" font-weight="600">${label}${change}<title>n = ${cell.n}</title></text>`);
    });
  });
  out.push(`<text x="12" y="${h - 12}" font-size="11" fill="#5d6880">Share of a fixed sample still answered exactly at step ${current.step}; change since step ${start?.step ?? 0}.</text>`, '</svg>');
  return out.join('\n');
}

/** One run's path for the trade-off plots: its label and live metrics from step 0. */
export interface TradeOffRun {
  label: string;
  metrics: readonly LabMetrics[];
}

/** The Goal model's label in the plots (its point is measured offline: unlearning/goal-point.ts). */
export const GOAL_LABEL = 'Goal model';

/**
 * "Still knows the forgotten" (x) against `y` ("the rest" or "other concept on the same images"), one
 * path per run; with `goal` (the Goal model's shares for this request) its point as a star.
 */
export function tradeOffPlotSvg(runs: readonly TradeOffRun[], y: 'retain' | 'scope', size?: { width: number; height: number }, goal?: MetricShares | null): string {
  const yLabel = y === 'retain' ? 'still knows the rest (%)' : 'other concept on the same images (%)';
  const lines: TradeOffLine[] = runs.map((run) => ({
    label: run.label,
    points: run.metrics.filter((m) => m.forget !== null && m[y] !== null).map((m) => ({ x: m.forget! * 100, y: m[y]! * 100, step: m.step })),
  }));
  const star = goal && goal.forget !== null && goal[y] !== null ? { x: goal.forget * 100, y: goal[y]! * 100, label: GOAL_LABEL } : null;
  return tradeOffSvg({
    title: `Forgotten vs ${y === 'retain' ? 'kept' : 'the other concept'}`,
    xLabel: 'still knows the forgotten (%)', yLabel, lines, goal: star,
    xName: 'forgotten', yName: y === 'retain' ? 'rest' : 'other concept',
    note: `One path per run from step 0; best is top left. ${star ? 'Goal model: never saw the forget set, measured offline on the same items.' : 'No Goal point for this request.'}`,
  }, size);
}
