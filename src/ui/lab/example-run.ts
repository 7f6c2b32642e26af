// The recorded example run shown before the model is ready (a useful first paint): a real run of the
// lab's default experiment, recorded in Node by scripts/record-example-run.ts and stored as JSON next
// to this file; loaded as its own chunk so it never delays the page. Always shown in its own labelled
// panel (ExamplePanel.svelte), never in the live metrics.
import type { PebenchReport } from '../../eval/pebench-report.ts';
import type { LabMetrics, LabResult } from '../../worker/lab-protocol.ts';

export interface ExampleRun {
  /** The label the page shows: what was run, where and when. */
  label: string;
  totalSteps: number;
  steps: { step: number; loss: number }[];
  metrics: LabMetrics[];
  evaluation: LabResult<'evaluate'> | null;
}

interface RecordedFile {
  recorded: { date: string; machine: string; node?: string; backend: string };
  config: { method: string; request: { target: string; personRatio?: number; eventRatio?: number } };
  totalSteps: number;
  steps: { step: number; loss: number }[];
  metrics: LabMetrics[];
  evaluation?: { report: PebenchReport; finetune: PebenchReport; step: number; seconds: number } | null;
}

export async function loadExampleRun(): Promise<ExampleRun> {
  const file = (await import('./example-run.json')).default as unknown as RecordedFile;
  const { recorded, config } = file;
  const what = `${config.method.toUpperCase()} forgetting ${config.request.target === 'both' ? 'persons and events' : `${config.request.target}s`}`;
  return {
    label: `${what}, recorded ${recorded.date.slice(0, 10)} on ${recorded.machine}, ${recorded.backend}.`,
    totalSteps: file.totalSteps,
    steps: file.steps,
    metrics: file.metrics,
    evaluation: file.evaluation ?? null,
  };
}
