// The Goal point the trade-off view shows: the points recorded offline (goal-points.json, written by
// `npm run record:goal-points`) matched to the lab's current request, its Finetune model and the
// sample its step-0 metrics were measured on. Pure over the session's fields. Not here: measuring
// (cli/goal-points.ts) or the matching rule itself (unlearning/goal-point.ts).
import { goalPointFor, type GoalPoint, type GoalPointsFile } from '../../unlearning/goal-point.ts';
import type { LabMetrics } from '../../unlearning/live-metrics-items.ts';
import type { ForgetRequest } from '../../world/index.ts';
import { trajectoryCounts } from '../../unlearning/trajectory.ts';
import recorded from './goal-points.json';

export const GOAL_POINTS = recorded as GoalPointsFile;

/** What the session knows (LabSession has these fields). */
export interface GoalPointInputs {
  loaded: { modelHash: string } | null;
  configured: { config: { request: ForgetRequest } } | null;
  metrics: readonly LabMetrics[];
}

/** The recorded point for the current run, why there is none, or null until step 0 is measured. */
export function labGoalPoint(s: GoalPointInputs, points: readonly GoalPoint[] = GOAL_POINTS.points): { point: GoalPoint } | { none: string } | null {
  const atZero = s.metrics.find((m) => m.step === 0);
  if (!s.loaded || !s.configured || !atZero) return null;
  return goalPointFor(points, { request: s.configured.config.request, finetuneHash: s.loaded.modelHash, n: trajectoryCounts(atZero) });
}
