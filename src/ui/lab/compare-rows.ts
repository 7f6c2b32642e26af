// The rows of the Compare table, one column per pinned run plus the current run: settings, the live
// metrics at the run's last point, every PEBench report column (as the report table shows them,
// 0-100 %), and the probe's question with each run's answer. A cell is marked when it differs from the current run's.
// Pure. Not here: the pins themselves (compare.svelte.ts), drawing (ComparePanel.svelte).
import { COLUMN_LABELS } from '../../eval/report-format.ts';
import { COLUMN_SCALES, PEBENCH_COLUMNS, type PebenchReport } from '../../eval/pebench-report.ts';
import type { LabMetrics } from '../../unlearning/live-metrics-items.ts';
import type { RunConfig } from '../../unlearning/run-config.ts';
import { LIVE_METRICS, percentText, reportPercentText } from './metric-labels.ts';
import type { PinnedProbe } from './pin-store.ts';

/** One column's probe cells: the question and picture, and the answer with its verdict (or why there is none). */
export interface CompareProbe {
  question: string;
  image: string;
  answer: string;
}

export interface CompareColumn {
  label: string;
  config: RunConfig;
  step: number;
  metrics: readonly LabMetrics[];
  report: PebenchReport | null;
  probe: CompareProbe | null;
}

/** A kept answer's cells. */
export const probeCells = (p: PinnedProbe): CompareProbe => ({ question: p.question, image: p.image, answer: `${p.current} [${p.verdict}]` });

export interface CompareRow {
  /** Stable key, e.g. 'person.efficacy', 'live.forget', 'setting.method'. */
  key: string;
  label: string;
  group: 'settings' | 'live metrics' | 'person report' | 'event report' | 'probe';
  cells: string[];
  /** Per cell: differs from the last (current) column's. */
  differs: boolean[];
}

const KIND = { person: 'persons', event: 'events', both: 'persons + events' } as const;

export function compareRows(columns: readonly CompareColumn[]): CompareRow[] {
  const rows: Omit<CompareRow, 'differs'>[] = [];
  const add = (key: string, label: string, group: CompareRow['group'], cell: (c: CompareColumn) => string) =>
    rows.push({ key, label, group, cells: columns.map(cell) });
  add('setting.method', 'method', 'settings', (c) => `${c.config.method.toUpperCase()}${c.config.bgd ? '+BGD' : ''}`);
  add('setting.target', 'forget', 'settings', (c) => `${KIND[c.config.request.target]} (seed ${c.config.request.forgetSeed})`);
  add('setting.step', 'step', 'settings', (c) => String(c.step));
  add('setting.lr', 'learning rate', 'settings', (c) => String(c.config.settings.lr ?? ''));
  for (const m of LIVE_METRICS) add(`live.${m.key}`, m.name, 'live metrics', (c) => percentText(c.metrics.at(-1)?.[m.key]));
  for (const concept of ['person', 'event'] as const) {
    if (!columns.some((c) => c.report?.[concept])) continue;
    for (const k of PEBENCH_COLUMNS) {
      add(`${concept}.${k}`, `${concept === 'person' ? 'Person' : 'Event'} ${COLUMN_LABELS[k]}`, `${concept} report`,
        (c) => (!c.report ? 'no report' : c.report[concept] ? reportPercentText(c.report[concept]![k], COLUMN_SCALES[concept][k]) : '–'));
    }
  }
  if (columns.some((c) => c.probe)) {
    add('probe.question', 'probe question', 'probe', (c) => (c.probe ? `${c.probe.question} (${c.probe.image})` : '–'));
    add('probe.answer', "each run's answer", 'probe', (c) => c.probe?.answer ?? '–');
  }
  return rows.map((r) => ({ ...r, differs: r.cells.map((cell) => cell !== r.cells.at(-1)) }));
}
