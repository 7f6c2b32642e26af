// The bench's trade-off curves as plots: for each kind of request, Efficacy against Retain and
// Efficacy against Scope, one line per method (the mean over forget seeds of each step's point, with
// the 95 % interval over seeds of the y value as a band), the Goal model as a point and the matched
// Efficacy as a reference line. Pure: returns file names and SVG text.
// Not here: the numbers (bench-seeds.ts), drawing (trade-off-svg.ts), writing files (the CLI).
import type { SeedTables } from './bench-seeds.ts';
import { seedSummary } from './intervals.ts';
import { tradeOffSvg, type TradeOffLine, type TradeOffPlot } from './trade-off-svg.ts';

const TITLES: Record<string, string> = { person: 'Person unlearning', event: 'Event unlearning', joint: 'Joint person + event unlearning' };
const Y: Record<'retain' | 'scope', string> = {
  retain: 'Retain (% of items of neither forgotten concept still known)',
  scope: 'Scope (% of the other concept still known on forgotten images)',
};
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

/** One line per method row: the mean point of each step over the seeds that reached that step. */
function linesOf(table: SeedTables['tables'][number], y: 'retain' | 'scope'): TradeOffLine[] {
  return table.rows.filter((r) => r.kind === 'method').map((r) => {
    const steps = [...new Set(r.trajectory.flatMap((t) => t.points.map((p) => p.step)))].sort((a, b) => a - b);
    const points = steps.flatMap((step) => {
      const at = r.trajectory.flatMap((t) => t.points.filter((p) => p.step === step && p.efficacy !== null && p[y] !== null));
      if (at.length === 0) return [];
      const ys = seedSummary(at.map((p) => p[y]));
      return [{ step, x: mean(at.map((p) => p.efficacy!)), y: ys.mean!, ...(ys.ci95 ? { yLow: ys.ci95[0], yHigh: ys.ci95[1] } : {}) }];
    });
    return { label: r.label, points };
  });
}

export function benchPlots(tables: SeedTables): { file: string; svg: string }[] {
  const k = tables.forgetSeeds.length;
  return tables.tables.flatMap((t) => {
    const method = t.rows.find((r) => r.trajectory.length);
    if (!method) return [];
    const first = method.trajectory[0];
    const last = Math.max(...t.rows.flatMap((r) => r.trajectory.map((p) => p.until)));
    return (['retain', 'scope'] as const).map((y) => {
      const plot: TradeOffPlot = {
        title: `${TITLES[t.name] ?? t.name}: forgetting against ${y === 'retain' ? 'what is kept' : 'the other concept'}`,
        xLabel: 'Efficacy (% of forget items no longer known)',
        yLabel: Y[y],
        lines: linesOf(t, y),
        goal: goalOf(tables, t.name, y),
        xReference: y === 'retain' ? { x: t.match.at, label: `matched: ${t.match.at.toFixed(0)}` } : null,
        note: `Points every ${first.every} steps to the end of each run's path (the longest: step ${last}); n per point: forget ${first.n.efficacy}, ${y} ${first.n[y]} items; bands: 95 % t-interval over ${k} forget seed${k > 1 ? 's' : ''}.`,
      };
      return { file: `${t.name}-${y}.svg`, svg: tradeOffSvg(plot) };
    });
  });
}

/** The Goal model's point (mean over the seeds that have one), or null. */
function goalOf(tables: SeedTables, name: string, y: 'retain' | 'scope'): TradeOffPlot['goal'] {
  const table = tables.tables.find((t) => t.name === name)!;
  const points = table.goalPoints.filter((p) => p.efficacy !== null && p[y] !== null);
  if (points.length === 0) return null;
  return { x: mean(points.map((p) => p.efficacy!)), y: mean(points.map((p) => p[y]!)), label: `Goal (${points.length} seed${points.length > 1 ? 's' : ''})` };
}
