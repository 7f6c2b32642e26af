// The Goal model's point for the trade-off view, measured offline: the lab never loads a Goal model
// (too heavy for the page), so `npm run record:goal-points` measures each shipped Goal model's live
// metrics (live-metrics.ts, the same items per cell as the lab) and writes them to a JSON file the
// page bundles. Here: that file's shape and which of its points fits the lab's current request. Pure.
// Not here: measuring (cli/goal-points.ts), drawing (ui/lab/TradeOff.svelte).
import type { LabMetrics } from './live-metrics-items.ts';
import { sameRequest } from './model-fit.ts';
import type { Trajectory } from './trajectory.ts';
import type { ForgetRequest } from '../world/index.ts';

/** Known shares 0-1 (LabMetrics' summary): forget, retain, scope. */
export type MetricShares = Pick<LabMetrics, 'forget' | 'retain' | 'scope'>;

export interface GoalPoint {
  /** The Goal model's folder, relative to the project root (e.g. models/pebench-tiny-goal-persons). */
  goalDir: string;
  /** The request it was trained for (its manifest's meta.retainOnly). */
  request: ForgetRequest;
  goalHash: string;
  /** The Finetune model whose world and items were used (the lab's model must be this one). */
  finetuneHash: string;
  /** Items per cell of the live-metrics sample. */
  perCell: number;
  /** Items behind each value (as a trajectory's n). */
  n: Trajectory['n'];
  /** The Goal model's live metrics. */
  goal: MetricShares;
  /** The Finetune model's on the same items: every run's step 0, a check that the page measures alike. */
  finetune: MetricShares;
}

export interface GoalPointsFile {
  /** When and where it was measured, on which backend. */
  recorded: { date: string; machine: string; node: string; backend: string };
  points: GoalPoint[];
}

/** What the lab knows of its own live metrics at step 0. */
export interface LabSample {
  request: ForgetRequest;
  finetuneHash: string;
  /** Items behind each value of the lab's step-0 metrics. */
  n: Trajectory['n'];
}

const sameCounts = (a: Trajectory['n'], b: Trajectory['n']): boolean => a.efficacy === b.efficacy && a.retain === b.retain && a.scope === b.scope;

/** The recorded point for the lab's request, model and item sample, or why there is none (one plain sentence). */
export function goalPointFor(points: readonly GoalPoint[], lab: LabSample): { point: GoalPoint } | { none: string } {
  const forRequest = points.filter((p) => sameRequest(p.request, lab.request));
  if (forRequest.length === 0) return { none: 'No Goal model was trained for this request, so there is no Goal point.' };
  const sameModel = forRequest.filter((p) => p.finetuneHash === lab.finetuneHash);
  if (sameModel.length === 0) return { none: 'The Goal point of this request was measured against another Finetune model, so it is not shown.' };
  const point = sameModel.find((p) => sameCounts(p.n, lab.n));
  return point ? { point } : { none: 'The Goal point of this request was measured on another item sample, so it is not shown.' };
}
