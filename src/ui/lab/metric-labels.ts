// The lab's metrics in plain language, and how the page writes numbers: the three live metrics'
// names and which way is better, one line per PEBench report column, and one scale for the whole page
// (0-100 %). Display only: the data and the exported report keep their own scales (0-1 fractions,
// the paper's mix of 0-1 and 0-100). Not here: computing any metric (worker/, eval/).
import type { ColumnScale, PebenchColumn } from '../../eval/pebench-report.ts';
import type { LabMetrics } from '../../worker/lab-protocol.ts';
import type { ForgetConcept } from '../../world/splits.ts';

export type LiveMetric = 'forget' | 'retain' | 'scope';

export interface LiveMetricLabel {
  key: LiveMetric;
  name: string;
  better: 'lower' | 'higher';
  /** What it counts, for a title or a legend. */
  counts: string;
  colour: string;
}

export const LIVE_METRICS: readonly LiveMetricLabel[] = [
  { key: 'forget', name: 'still knows the forgotten', better: 'lower', colour: '#c2410c',
    counts: "the forgotten persons' and events' own questions on their images" },
  { key: 'retain', name: 'still knows the rest', better: 'higher', colour: '#15803d',
    counts: 'who is shown and which event, on images of neither' },
  { key: 'scope', name: 'other concept on the same images', better: 'higher', colour: '#2563eb',
    counts: 'the event on a forgotten person\'s images, the person on a forgotten event\'s' },
];

/** A 0-1 share as "63%"; null as "n/a". */
export const percentText = (share: number | null | undefined): string =>
  share === null || share === undefined || Number.isNaN(share) ? 'n/a' : `${Math.round(share * 100)}%`;

/** The change of a 0-1 share since step 0, in percentage points: "−35 pts since step 0", "at the start". */
export function changeText(now: LabMetrics | null, start: LabMetrics | null, key: LiveMetric): string {
  if (!now) return '';
  if (now.step === 0) return 'at the start';
  if (!start || start.step === now.step) return '';
  const a = now[key];
  const b = start[key];
  if (a === null || b === null) return '';
  const points = Math.round((a - b) * 100);
  const since = `since step ${start.step}`;
  return points === 0 ? `no change ${since}` : `${points > 0 ? '+' : '−'}${Math.abs(points)} pts ${since}`;
}

/** A report value on its paper scale shown as 0-100 % with one decimal; null as "n/a". */
export function reportPercentText(value: number | null | undefined, scale: ColumnScale): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  return `${(scale === 'unit' ? value * 100 : value).toFixed(1)}%`;
}

/** One line per report column and forgotten concept: what a high value means. */
export const COLUMN_HELP: Record<ForgetConcept, Record<PebenchColumn, string>> = {
  person: {
    efficacy: 'Share of forget questions where it no longer names the forgotten person (100 − name precision).',
    generality: 'The same on fresh renders and new wordings it never trained on.',
    retain: 'How well it still names the other persons (name precision on their images).',
    scope: "How well it still tells the event on the forgotten persons' images (event score).",
    real: 'General attribute questions about the images (exact answers): its utility.',
    worldFact: 'Yes/no questions about objects in the images (exact answers): its utility.',
  },
  event: {
    efficacy: 'Share of forget questions where it no longer describes the forgotten event (1 − event score).',
    generality: 'The same on fresh renders and new wordings it never trained on.',
    retain: 'How well it still describes the other events (event score on their images).',
    scope: "How well it still names the person on the forgotten events' images (name precision).",
    real: 'General attribute questions about the images (exact answers): its utility.',
    worldFact: 'Yes/no questions about objects in the images (exact answers): its utility.',
  },
};
