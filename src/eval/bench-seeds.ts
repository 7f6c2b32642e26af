// The bench over several forget seeds: each row (Finetune, a method, Goal) of each kind of request
// holds one report and one trajectory per seed; this turns them into cells of mean ± a 95 % interval
// over seeds with the per-seed values (intervals.ts), the trade-off summaries of the trajectories
// (Retain at matched Efficacy, how many seeds reached it, the area under the Efficacy-Retain frontier;
// unlearning/trajectory.ts), and prints them as Markdown, JSON or long CSV.
// Matched Efficacy: persons and joint requests at 90; events at the Goal model's own Efficacy on the
// same live-metrics sample (the mean over the seeds that have a Goal model), 90 when none has one.
// Not here: running anything (cli/bench-command.ts), the single-run formats (report-format.ts).
import type { MethodId } from '../unlearning/cards.ts';
import { frontierArea, valueAtEfficacy, type Trajectory, type TrajectoryPoint } from '../unlearning/trajectory.ts';
import type { ForgetConcept } from '../world/splits.ts';
import { halfWidth, seedSummary, type SeedSummary } from './intervals.ts';
import type { PebenchReport } from './pebench-report.ts';
import { BENCH_TABLES, csvLine, reportCell, row, rule, type BenchColumn } from './report-format.ts';
import { COLUMN_SCALES } from './pebench-report.ts';

export type BenchTarget = ForgetConcept | 'both';

export interface SeedResult {
  forgetSeed: number;
  /** Null when the row has no value on this seed (a diverged run, no Goal model). */
  report: PebenchReport | null;
  /** Method rows: the run's path. */
  trajectory?: Trajectory | null;
  /** Finetune and Goal rows: the model's own live-metrics point (the Goal point of the plots). */
  point?: TrajectoryPoint | null;
  /** Why the report is null. */
  problem?: string;
}

export interface SeedRow {
  target: BenchTarget;
  label: string;
  kind: 'finetune' | 'goal' | 'method';
  method?: MethodId;
  bgd?: boolean;
  seeds: SeedResult[];
}

export interface ColumnSummary extends SeedSummary {
  /** Items behind each seed's value. */
  n: number[];
}

export interface RowSummary {
  label: string;
  kind: SeedRow['kind'];
  method: MethodId | null;
  bgd: boolean;
  columns: Record<string, ColumnSummary>;
  trajectory: ({ forgetSeed: number } & Trajectory)[];
  matched: { at: number; retain: SeedSummary; reached: number } | null;
  area: SeedSummary | null;
  problems: string[];
}

const MATCH_DEFAULT = 90;

/** The Efficacy at which Retain is compared for a kind of request (see the header). */
export function matchLevel(target: BenchTarget, rows: readonly SeedRow[]): { at: number; basis: string } {
  if (target !== 'event') return { at: MATCH_DEFAULT, basis: `Efficacy ${MATCH_DEFAULT}` };
  const goal = rows.find((r) => r.target === 'event' && r.kind === 'goal');
  const levels = (goal?.seeds ?? []).map((s) => s.point?.efficacy).filter((e): e is number => typeof e === 'number');
  if (levels.length === 0) return { at: MATCH_DEFAULT, basis: `Efficacy ${MATCH_DEFAULT} (no Goal model on these seeds)` };
  const at = levels.reduce((a, b) => a + b, 0) / levels.length;
  return { at, basis: `the Goal model's Efficacy, ${at.toFixed(1)} (mean of ${levels.length} seed${levels.length > 1 ? 's' : ''})` };
}

export function summarizeRow(r: SeedRow, columns: readonly BenchColumn[], at: number): RowSummary {
  const cells = Object.fromEntries(columns.map((c) => {
    const values = r.seeds.map((s) => (s.report ? reportCell(s.report, c) : null));
    return [c.key, { ...seedSummary(values.map((v) => v?.value ?? null)), n: values.map((v) => v?.n ?? 0) }];
  }));
  const paths = r.seeds.flatMap((s) => (s.trajectory ? [{ forgetSeed: s.forgetSeed, ...s.trajectory }] : []));
  const matchedPerSeed = r.seeds.map((s) => (s.trajectory ? valueAtEfficacy(s.trajectory.points, at) : null));
  return {
    label: r.label, kind: r.kind, method: r.method ?? null, bgd: r.bgd ?? false, columns: cells, trajectory: paths,
    matched: paths.length ? { at, retain: seedSummary(matchedPerSeed), reached: matchedPerSeed.filter((v) => v !== null).length } : null,
    area: paths.length ? seedSummary(r.seeds.map((s) => (s.trajectory ? frontierArea(s.trajectory.points) : null))) : null,
    problems: r.seeds.flatMap((s) => (s.problem ? [`forget seed ${s.forgetSeed}: ${s.problem}`] : [])),
  };
}

export interface SeedTables {
  forgetSeeds: number[];
  tables: {
    name: string; target: BenchTarget; match: { at: number; basis: string }; rows: RowSummary[];
    /** The Goal model's live-metrics point on each seed that has one (the plots' Goal point). */
    goalPoints: TrajectoryPoint[];
  }[];
}

export function summarizeSeeds(rows: readonly SeedRow[], forgetSeeds: readonly number[]): SeedTables {
  const tables = BENCH_TABLES.flatMap((t) => {
    const mine = rows.filter((r) => r.target === t.target);
    if (mine.length === 0) return [];
    const match = matchLevel(t.target, mine);
    const goalPoints = mine.filter((r) => r.kind === 'goal').flatMap((r) => r.seeds.flatMap((s) => (s.point ? [s.point] : [])));
    return [{ name: t.name, target: t.target, match, rows: mine.map((r) => summarizeRow(r, t.columns, match.at)), goalPoints }];
  });
  return { forgetSeeds: [...forgetSeeds], tables };
}

/** `mean ± half-width` in the column's scale (0-100 with 2 decimals as 12.34 ± 5.67; 0-1 with 3); the mean alone with one seed. */
export function formatSummary(s: SeedSummary, scale: 'percent' | 'unit'): string {
  if (s.mean === null) return 'n/a';
  const digits = scale === 'percent' ? 1 : 3;
  const hw = halfWidth(s);
  return hw === null ? s.mean.toFixed(digits) : `${s.mean.toFixed(digits)} ± ${hw.toFixed(digits)}`;
}

const columnsOf = (name: string): BenchColumn[] => BENCH_TABLES.find((t) => t.name === name)!.columns;

export function seedTablesMarkdown(s: SeedTables): string {
  const k = s.forgetSeeds.length;
  const lines: string[] = [];
  for (const t of s.tables) {
    const table = BENCH_TABLES.find((b) => b.name === t.name)!;
    const columns = columnsOf(t.name);
    lines.push(`### ${table.title}`, '', row(['method', ...columns.map((c) => c.label)]), rule(columns.length + 1));
    for (const r of t.rows) lines.push(row([r.label, ...columns.map((c) => formatSummary(r.columns[c.key], COLUMN_SCALES[c.concept][c.column]))]));
    lines.push('', `${table.note} Each cell: mean ± half-width of the 95 % t-interval over ${k} forget seed${k > 1 ? 's' : ''} (${s.forgetSeeds.join(', ')}); per-seed values in the JSON and CSV output.`);
    const nOf = (r: RowSummary) => columns.map((c) => `${c.label} ${r.columns[c.key].n.join('/')}`).join(', ');
    lines.push(`Sample sizes per seed (n): ${nOf(t.rows[0])}.`);
    for (const r of t.rows) for (const p of r.problems) lines.push(`- ${r.label}, ${p}`);
    const traded = t.rows.filter((r) => r.matched);
    if (traded.length) {
      const first = traded[0].trajectory[0];
      const last = Math.max(...traded.flatMap((r) => r.trajectory.map((p) => p.until)));
      lines.push('', `Trade-off over each run's path (live metrics every ${first.every} steps to the end of each run's path, the longest at step ${last}; n per point: forget ${first.n.efficacy}, retain ${first.n.retain}, scope ${first.n.scope} items):`, '',
        row(['method', `Retain at ${t.match.basis}`, 'seeds that reached it', 'area under the Efficacy-Retain frontier']), rule(4));
      for (const r of traded) lines.push(row([r.label, formatSummary(r.matched!.retain, 'percent'), `${r.matched!.reached}/${k}`, formatSummary(r.area!, 'percent')]));
      const goal = t.rows.find((r) => r.kind === 'goal');
      lines.push('', 'Retain at matched Efficacy: linear interpolation where the path first reaches the level; a seed that never reaches it counts as not reached and is left out of the mean. Area: 0-100, the best Retain kept at each level of Efficacy.'
        + (goal ? '' : ' No Goal row on these seeds.'));
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function seedTablesJson(s: SeedTables): Record<string, unknown> {
  return Object.fromEntries(s.tables.map((t) => [t.name, { match: t.match, goalPoints: t.goalPoints, rows: t.rows }]));
}

/** Long CSV: table,label,column,stat,value,n; stat is mean, ci95_low, ci95_high or seed:S (n with each seed's value). */
export function seedTablesCsv(s: SeedTables): string {
  const lines = [csvLine(['table', 'label', 'column', 'stat', 'value', 'n'])];
  const emit = (table: string, label: string, column: string, summary: SeedSummary, n?: number[]) => {
    lines.push(csvLine([table, label, column, 'mean', summary.mean, '']));
    lines.push(csvLine([table, label, column, 'ci95_low', summary.ci95?.[0] ?? null, '']));
    lines.push(csvLine([table, label, column, 'ci95_high', summary.ci95?.[1] ?? null, '']));
    summary.perSeed.forEach((v, i) => lines.push(csvLine([table, label, column, `seed:${s.forgetSeeds[i]}`, v, n?.[i] ?? ''])));
  };
  for (const t of s.tables) {
    for (const r of t.rows) {
      for (const c of columnsOf(t.name)) emit(t.name, r.label, c.key, r.columns[c.key], r.columns[c.key].n);
      if (r.matched) emit(t.name, r.label, `retainAtEfficacy${r.matched.at.toFixed(1)}`, r.matched.retain);
      if (r.area) emit(t.name, r.label, 'frontierArea', r.area);
    }
  }
  return `${lines.join('\n')}\n`;
}

