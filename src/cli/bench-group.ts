// One group of the bench: every row (Finetune, each method, Goal) on one request and forget seed, run
// on one runtime, in table order. `pebench bench` runs the groups one after another in its own process
// or spreads them over worker threads (bench-worker.ts); a group's output is plain data either way and
// the command merges the outputs in table order, so the tables do not depend on how it ran.
// Not here: flags, merging and formats (bench-command.ts), the metrics (src/eval).
import type { SeedResult } from '../eval/bench-seeds.ts';
import { reportJson, type BenchRow } from '../eval/report-format.ts';
import type { RobustnessEntry } from '../eval/robustness.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { METHOD_IDS, getCard, type MethodId } from '../unlearning/cards.ts';
import type { RunTiming } from '../unlearning/experiment.ts';
import { trajectoryUntil } from '../unlearning/protocol.ts';
import { getMethod } from '../unlearning/registry.ts';
import type { RelearnSettings } from '../unlearning/relearn-set.ts';
import { checkRunConfig } from '../unlearning/run-config.ts';
import type { ForgetRequest } from '../world/index.ts';
import { BenchRobustness } from './bench-robustness.ts';
import { modelWorld } from './eval-command.ts';
import { openExperiment } from './experiment-setup.ts';
import type { OpenedModel } from './model-dir.ts';
import { describeRequest, runReportConfig } from './unlearn-command.ts';

type Target = ForgetRequest['target'];

/** Methods of the joint table by default (the paper's joint line), each also run with BGD. */
export const JOINT_METHODS: readonly MethodId[] = ['gd', 'kl', 'npo'];

export interface Planned {
  target: Target;
  label: string;
  kind: 'finetune' | 'goal' | 'method';
  method?: MethodId;
  bgd?: boolean;
}

/** The rows of the bench in table order. */
export function benchPlan(targets: readonly Target[], methods: readonly MethodId[] | null): Planned[] {
  const out: Planned[] = [];
  for (const target of targets) {
    out.push({ target, label: 'Finetune', kind: 'finetune' });
    const chosen = methods ?? (target === 'both' ? JOINT_METHODS : METHOD_IDS);
    for (const id of chosen) {
      const method = getCard(id);
      out.push({ target, label: method.id.toUpperCase(), kind: 'method', method: id, bgd: false });
      if (target === 'both' && method.bgd) out.push({ target, label: `${method.id.toUpperCase()}+BGD`, kind: 'method', method: id, bgd: true });
    }
    out.push({ target, label: 'Goal', kind: 'goal' });
  }
  return out;
}

export type Timing = Partial<RunTiming> & { evalSeconds: number };
export interface TimingRow { target: string; label: string; forgetSeed: number; timing: Timing }

/** One request and forget seed of the bench. */
export interface GroupSpec {
  target: Target;
  forgetSeed: number;
  request: ForgetRequest;
}

/** What every group shares: the rows to run and the run settings. */
export interface GroupOptions {
  plan: Planned[];
  seed: number;
  evalSeed: number;
  trajectory: { every: number; perCell: number } | null;
  relearn: RelearnSettings | null;
}

export interface GroupOutput {
  target: Target;
  forgetSeed: number;
  /** Each row's result on this seed, in table order. */
  results: { label: string; result: SeedResult }[];
  details: unknown[];
  timings: TimingRow[];
  extras: BenchRow[];
  robustness: RobustnessEntry[];
}

const pointOrNull = <T extends object>(p: T | { unavailable: string }): T | null => ('unavailable' in p ? null : p);

/** Runs every row of `spec`'s request; `onRow` after each (label of the row done). */
export async function runGroup(
  runtime: Runtime, finetune: OpenedModel, spec: GroupSpec, options: GroupOptions, onRow: (label: string) => void,
): Promise<GroupOutput> {
  const { target, forgetSeed, request } = spec;
  const { trajectory } = options;
  const out: GroupOutput = { target, forgetSeed, results: [], details: [], timings: [], extras: [], robustness: [] };
  const limits = { world: modelWorld(finetune).world, decoderLayers: finetune.cfg.decoder.layers };
  const opened = await openExperiment(runtime, finetune, request, { evalSeed: options.evalSeed });
  const robust = new BenchRobustness(options.relearn, options.seed);
  robust.open(opened.experiment);
  try {
    for (const item of options.plan.filter((p) => p.target === target)) {
      const result: SeedResult = { forgetSeed, report: null };
      const base = { target, label: item.label, forgetSeed };
      if (item.kind === 'finetune') {
        const r = await opened.experiment.reportFor(finetune.params);
        result.report = r.report;
        if (trajectory) result.point = pointOrNull(await opened.experiment.pointOf('finetune', trajectory.perCell));
        const relearnt = await robust.add(target, item.label, r.report, finetune.params);
        out.details.push({ ...base, ...reportJson(r.report, { config: { model: finetune.dir, request }, timing: { evalSeconds: r.seconds } }), ...(relearnt ? { relearn: relearnt } : {}) });
        out.timings.push({ ...base, timing: { evalSeconds: r.seconds, evalParts: r.result.seconds } });
      } else if (item.kind === 'goal') {
        const r = await opened.experiment.goalReport();
        if ('unavailable' in r) {
          result.problem = r.unavailable;
        } else {
          result.report = r.report;
          if (trajectory) result.point = pointOrNull(await opened.experiment.pointOf('goal', trajectory.perCell));
          const relearnt = await robust.add(target, item.label, r.report, 'goal');
          out.details.push({ ...base, ...reportJson(r.report, { config: { request, goal: 'dir' in opened.goal ? opened.goal.dir : null }, timing: { evalSeconds: r.seconds } }), ...(relearnt ? { relearn: relearnt } : {}) });
          out.timings.push({ ...base, timing: { evalSeconds: r.seconds, evalParts: r.result.seconds } });
        }
      } else {
        const run = checkRunConfig({ request, method: item.method, bgd: item.bgd, seed: options.seed }, limits);
        const ran = await opened.experiment.run(getMethod(run.method), run.settings, {
          bgd: run.bgd, seed: run.seed,
          trajectory: trajectory ? { ...trajectory, until: trajectoryUntil(run.settings.steps, trajectory.every) } : undefined,
        });
        out.timings.push({ ...base, timing: ran.timing });
        result.trajectory = ran.trajectory ?? null;
        const config = runReportConfig(opened, run, options.evalSeed);
        if (!ran.report) {
          result.problem = `diverged at step ${ran.outcome.step} (${ran.outcome.reason})`;
        } else {
          result.report = ran.report;
          const relearnt = await robust.add(target, item.label, ran.report, ran.params, run.settings.loraRank);
          out.details.push({ ...base, ...reportJson(ran.report, { config, timing: ran.timing }), trajectory: ran.trajectory ?? null, ...(relearnt ? { relearn: relearnt } : {}) });
        }
      }
      out.results.push({ label: item.label, result });
      if (result.report) out.extras.push({ label: item.label, target, report: result.report });
      onRow(`${describeRequest(request)}: ${item.label}`);
    }
  } finally {
    await opened.experiment.dispose();
  }
  out.robustness = robust.entriesOf(target);
  return out;
}

/**
 * Splits the groups over `workers` so each gets about the same work: longest first, each to the
 * least loaded worker. A group's cost is estimated by its rows' default steps (with the trajectory's
 * steps past them) plus a fixed cost per evaluated row.
 */
export function balanceGroups(groups: readonly GroupSpec[], plan: readonly Planned[], workers: number, limits: Parameters<typeof checkRunConfig>[1]): GroupSpec[][] {
  const EVAL_STEPS = 40; // an evaluation costs about as much as 40 unlearning steps
  const cost = (g: GroupSpec) => plan.filter((p) => p.target === g.target).reduce((sum, p) => {
    if (p.kind !== 'method') return sum + EVAL_STEPS;
    const steps = checkRunConfig({ request: g.request, method: p.method, bgd: p.bgd, seed: 0 }, limits).settings.steps;
    return sum + EVAL_STEPS + trajectoryUntil(steps, 10);
  }, 0);
  const shards = Array.from({ length: Math.max(1, Math.min(workers, groups.length)) }, () => ({ load: 0, groups: [] as GroupSpec[] }));
  for (const g of [...groups].map((g) => ({ g, c: cost(g) })).sort((a, b) => b.c - a.c)) {
    const least = shards.reduce((a, b) => (b.load < a.load ? b : a));
    least.groups.push(g.g);
    least.load += g.c;
  }
  return shards.map((s) => s.groups);
}
