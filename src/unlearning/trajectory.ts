// A run's path of forgetting against keeping: the live metrics (live-metrics.ts: a fixed small
// sample per cell, teacher-forced, "known" = greedy decoding would say the reference answer's first
// tokens) taken at step 0 and every few steps, as Efficacy, Retain and Scope on the 0-100 scale, and
// the summaries that do not hang on one step count:
//   - Retain at matched Efficacy: the path's Retain where its Efficacy first reaches a level (linear
//     interpolation between the two points around the crossing; null when the path never reaches it);
//   - the area under the Efficacy-Retain frontier: for each Efficacy level e in [0, 100] the best
//     Retain at any point whose Efficacy is at least e, integrated over e and divided by 100 (0-100;
//     100 = every level of forgetting reached while keeping everything). Stopping at the right step
//     is what a user can choose, so the frontier, not the path's wiggles, is what is summarised.
// Pure. Not here: taking the points (experiment.ts), intervals over seeds (eval/intervals.ts).
import type { LabMetrics } from './live-metrics-items.ts';

export interface TrajectoryPoint {
  step: number;
  /** 100 x the share of forget items no longer known (null when the request has none). */
  efficacy: number | null;
  /** 100 x the share of items of neither forgotten concept still known. */
  retain: number | null;
  /** 100 x the share of the other concept's question on forgotten images still known. */
  scope: number | null;
}

export interface Trajectory {
  /** Points every `every` steps (and step 0) up to `until`. */
  every: number;
  until: number;
  /** Items per cell of the live-metrics sample each point is measured on, and the items behind each value. */
  perCell: number;
  n: { efficacy: number; retain: number; scope: number };
  points: TrajectoryPoint[];
  /** Step at which the run diverged, when it did (no points after it). */
  divergedAt?: number;
}

const pct = (share: number | null): number | null => (share === null ? null : 100 * share);

export function trajectoryPoint(m: LabMetrics): TrajectoryPoint {
  return { step: m.step, efficacy: m.forget === null ? null : 100 - 100 * m.forget, retain: pct(m.retain), scope: pct(m.scope) };
}

/** Items behind each value of a point of these metrics. */
export function trajectoryCounts(m: LabMetrics): Trajectory['n'] {
  const { matrix } = m;
  return {
    efficacy: matrix.forgetPerson.identity.n + matrix.forgetEvent.event.n,
    retain: matrix.neither.identity.n + matrix.neither.event.n,
    scope: matrix.forgetPerson.event.n + matrix.forgetEvent.identity.n,
  };
}

type Finite = { efficacy: number; retain: number };
const finite = (points: readonly TrajectoryPoint[], key: 'retain' | 'scope' = 'retain'): Finite[] =>
  points.flatMap((p) => (p.efficacy !== null && p[key] !== null ? [{ efficacy: p.efficacy, retain: p[key]! }] : []));

/**
 * The path's Retain (or Scope) where its Efficacy first reaches `at`, interpolated linearly between the
 * last point below and the first at or above; null when no point reaches it.
 */
export function valueAtEfficacy(points: readonly TrajectoryPoint[], at: number, key: 'retain' | 'scope' = 'retain'): number | null {
  const path = finite(points, key);
  for (let i = 0; i < path.length; i++) {
    const here = path[i];
    if (here.efficacy < at) continue;
    const before = path[i - 1];
    if (!before || here.efficacy === before.efficacy) return here.retain;
    const t = (at - before.efficacy) / (here.efficacy - before.efficacy);
    return before.retain + t * (here.retain - before.retain);
  }
  return null;
}

/** Area under the Efficacy-Retain frontier, 0-100 (see the header); 0 for an empty path. */
export function frontierArea(points: readonly TrajectoryPoint[]): number {
  const path = finite(points);
  if (path.length === 0) return 0;
  // The frontier is a step function: best(e) = max retain over points with efficacy >= e.
  const levels = [...new Set(path.map((p) => Math.min(100, Math.max(0, p.efficacy))))].sort((a, b) => a - b);
  let area = 0;
  let from = 0;
  for (const level of levels) {
    const best = Math.max(...path.filter((p) => p.efficacy >= level).map((p) => p.retain));
    area += (level - from) * best;
    from = level;
  }
  return area / 100;
}
