// `pebench bench`: the paper's tables on our world, over several forget seeds. For each kind of
// request (persons 5%, events 5%, joint 5% + 5% by default) and each forget seed (the test seeds by
// default, never the tuning seed's draw) it reports Finetune, every method with its default settings
// (joint: GD, KL and NPO, each without and with BGD) and the Goal model where one exists for that
// seed; every method run also goes on to 1.5 x its steps taking live metrics every few steps (its
// trajectory). Cells print as mean ± a 95 % interval over seeds (eval/bench-seeds.ts), with Retain at
// matched Efficacy and the frontier area; --plots writes the trade-off curves as SVG. --out,
// --details and --plots are checked before the first row runs and written through a temporary name;
// if that still fails, the tables are printed and saved elsewhere (safe-write.ts).
// Not here: one run with chosen settings (`pebench unlearn`), the metrics (src/eval).
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { benchPlots } from '../eval/bench-plots.ts';
import { seedTablesCsv, seedTablesJson, seedTablesMarkdown, summarizeSeeds, type SeedRow } from '../eval/bench-seeds.ts';
import { benchExtrasMarkdown } from '../eval/report-format.ts';
import { median } from '../eval/stats.ts';
import { openRuntime } from '../runtime/index.ts';
import { METHOD_IDS } from '../unlearning/cards.ts';
import { TEST_FORGET_SEEDS, TRAJECTORY, TUNING_FORGET_SEED } from '../unlearning/protocol.ts';
import { FORGET_TARGETS, RunConfigError, requestFromFlags, type RunLimits } from '../unlearning/run-config.ts';
import { makeSplits, type ForgetRequest } from '../world/index.ts';
import { relearnSplitProblem } from '../unlearning/relearn-set.ts';
import { BenchRobustness } from './bench-robustness.ts';
import { JOINT_METHODS, balanceGroups, benchPlan, runGroup, type GroupOptions, type GroupOutput, type GroupSpec, type Timing, type TimingRow } from './bench-group.ts';
import type { BenchShard } from './bench-worker.ts';
import { WorkerError, runShards } from './pool.ts';
import { relearnFlags, relearnFromFlags } from './relearn-flags.ts';
import { CliError, commandHelp, oneOf, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import { checkNewFolder, checkOutputFile } from './output-check.ts';
import { writeResult } from './safe-write.ts';
import type { Command } from './commands.ts';
import { modelWorld } from './eval-command.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { ProgressBar } from './progress.ts';
import { describeRequest } from './unlearn-command.ts';

export { JOINT_METHODS, benchPlan };

const FORMATS = ['md', 'json', 'csv'] as const;
type Target = ForgetRequest['target'];

const flags = {
  methods: { kind: 'string', help: `comma-separated methods (default: all for person and event: ${METHOD_IDS.join(',')}; joint: ${JOINT_METHODS.join(',')})` },
  targets: { kind: 'string', help: `comma-separated: ${FORGET_TARGETS.join(',')}`, default: FORGET_TARGETS.join(',') },
  forget: { kind: 'string', help: 'forget ratio of every request (both: R or R,R)', default: '0.05' },
  'forget-seeds': { kind: 'string', help: `comma-separated forget seeds, each a different draw of targets (the tuning seed ${TUNING_FORGET_SEED} is allowed but its numbers are the tuned ones)`, default: TEST_FORGET_SEEDS.join(',') },
  seed: { kind: 'int', help: 'seed of every run', default: 0, min: 0 },
  'eval-seed': { kind: 'int', help: 'seed of the evaluation sample', default: 0, min: 0 },
  'trajectory-every': { kind: 'int', help: `live metrics every N steps, up to ${TRAJECTORY.factor} x each run's steps (0 = no trajectories)`, default: TRAJECTORY.every, min: 0, max: 1000 },
  'trajectory-items': { kind: 'int', help: 'items per cell of each trajectory point', default: TRAJECTORY.perCell, min: 2, max: 64 },
  format: { kind: 'string', help: `output format: ${FORMATS.join(', ')}`, default: 'md' },
  out: { kind: 'string', help: 'write the tables to this file instead of stdout' },
  json: { kind: 'string', help: 'also write the tables as JSON (what --format json prints) to this file, so one run gives both the Markdown and the JSON' },
  details: { kind: 'string', help: 'also write every run\'s full report (JSON: columns, n, extras, config, timing, trajectory) to this file' },
  plots: { kind: 'string', help: 'write the trade-off curves as SVG into this folder (<table>-retain.svg, <table>-scope.svg)' },
  relearn: { kind: 'boolean', help: 'run the relearning attack on every row (the Goal row: its baseline) for the robustness summary', default: false },
  ...relearnFlags,
  model: { kind: 'string', help: `Finetune ${MODEL_FLAG_HELP}` },
  workers: { kind: 'int', help: 'worker threads, each running whole requests (a request and forget seed) with its own runtime; 1 = in this process', default: Math.min(2, availableParallelism()), min: 1, max: 8 },
  threads: threadsFlag('ORT-node intra-op threads (with --workers above 1: per worker, default 1)'),
} satisfies Record<string, FlagSpec>;

/** --forget-seeds as distinct non-negative integers, in the order given. */
export function parseForgetSeeds(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const seeds = parts.map((p) => (/^\d+$/.test(p) && Number(p) <= 0xffffffff ? Number(p) : Number.NaN));
  if (seeds.length === 0 || seeds.some(Number.isNaN)) throw new CliError(`--forget-seeds must be comma-separated integers from 0 to 4294967295, e.g. ${TEST_FORGET_SEEDS.join(',')}; got "${text}"`);
  if (new Set(seeds).size !== seeds.length) throw new CliError(`--forget-seeds names a seed twice: "${text}"`);
  return seeds;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: "the paper's tables over several forget seeds: every method on persons, events and joint requests, with intervals and trade-off curves",
  help: commandHelp([
    'Usage: npx pebench bench [--methods ga,gd,...] [--targets person,event,both] [--forget-seeds 0,1,2]',
    '                         [--format md|json|csv] [--out FILE] [--json FILE] [--details FILE] [--plots DIR]',
    '                         [--relearn [--relearn-steps K] [--relearn-on generality|text]]',
    '',
    'Runs every method with its default settings from the shipped Finetune model on each request and',
    `each forget seed (default: the test seeds ${TEST_FORGET_SEEDS.join(', ')}; the defaults were tuned on seed ${TUNING_FORGET_SEED},`,
    'see `pebench tune`), and prints the paper\'s layout (person, event and joint tables) with every',
    `cell as mean ± half-width of a 95 % t-interval over the seeds. Each run also goes on to ${TRAJECTORY.factor} x its`,
    'steps with live metrics every --trajectory-every steps: Retain at matched Efficacy (persons and',
    'joint: 90; events: the Goal model\'s) and the area under the Efficacy-Retain frontier summarise',
    'the trade-off without hanging on one step count. A method that diverges on a seed is listed with',
    'its reason and left out of that seed\'s values. A robustness summary follows: each row\'s Efficacy',
    'under held-out wordings, fresh renders, text-only questions and (with --relearn) after the relearning',
    'attack, next to the Goal model\'s, with a verdict per method (docs/robustness.md).',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    const threadsGiven = argv.some((a) => a === '--threads' || a.startsWith('--threads='));
    const format = oneOf('format', f.format, FORMATS);
    const list = (text: string) => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
    const badTargetMessage = (t: string) => `unknown target "${t}" in --targets. Valid targets: ${FORGET_TARGETS.join(', ')}`;
    const targets = list(f.targets).map((t) => oneOf('targets', t, FORGET_TARGETS, badTargetMessage));
    if (targets.length === 0) throw new CliError(badTargetMessage(''));
    const methods = f.methods !== undefined ? list(f.methods).map((m) => oneOf('methods', m, METHOD_IDS, (bad) => `unknown method "${bad}" in --methods. Valid methods: ${METHOD_IDS.join(', ')}`)) : null;
    if (methods && methods.length === 0) throw new CliError(`--methods is empty. Valid methods: ${METHOD_IDS.join(', ')}`);
    const seeds = parseForgetSeeds(f['forget-seeds']);
    if (!f.relearn && (f['relearn-steps'] !== undefined || f['relearn-on'] !== undefined)) {
      throw new CliError('--relearn-steps and --relearn-on need --relearn (the relearning attack on every row): add --relearn, or leave them out.');
    }
    const relearn = f.relearn ? relearnFromFlags(f, targets.map((target) => ({ target, forgetSeed: 0 })), true) : null;
    const plan = benchPlan(targets, methods);
    // A bench runs for many minutes: where it writes is checked now, not after the last row.
    const files = (['out', 'json', 'details'] as const).filter((name) => f[name]).map((name) => ({ flag: `--${name}`, path: resolve(f[name]!) }));
    for (const { flag, path } of files) checkOutputFile(flag, path, 64 * 1024);
    const clash = files.find((a, i) => files.some((b, j) => j > i && a.path === b.path));
    if (clash) throw new CliError(`${files.filter((b) => b.path === clash.path).map((b) => b.flag).join(' and ')} name the same file: give different files.`);
    const plotsDir = f.plots ? resolve(f.plots) : null;
    // An existing --plots folder gets (only) our files replaced; a new one is made at the end, where its parent is writable.
    if (plotsDir && existsSync(plotsDir)) for (const t of targets) for (const y of ['retain', 'scope']) checkOutputFile('--plots', join(plotsDir, `${t === 'both' ? 'joint' : t}-${y}.svg`), 64 * 1024);
    else if (plotsDir) checkNewFolder('--plots', plotsDir);

    const finetune = await openModelDir(f.model);
    const { world } = modelWorld(finetune);
    const limits: RunLimits = { world, decoderLayers: finetune.cfg.decoder.layers };
    const requestProblems: string[] = [];
    const requests = new Map<string, ForgetRequest>();
    for (const t of targets) {
      for (const seed of seeds) {
        const request = requestFromFlags(t, f.forget, seed, world, requestProblems);
        if (request) requests.set(`${t}/${seed}`, request);
        const problem = request && relearn ? relearnSplitProblem(makeSplits(world, request), relearn.on) : null;
        if (problem) requestProblems.push(`--relearn on ${describeRequest(request!)}: ${problem}`);
      }
    }
    if (requestProblems.length) throw new CliError(new RunConfigError([...new Set(requestProblems)]).message);
    const trajectory = f['trajectory-every'] > 0 ? { every: f['trajectory-every'], perCell: f['trajectory-items'] } : null;
    const groups: GroupSpec[] = targets.flatMap((target) => seeds.map((forgetSeed) => ({ target, forgetSeed, request: requests.get(`${target}/${forgetSeed}`)! })));
    const options: GroupOptions = { plan, seed: f.seed, evalSeed: f['eval-seed'], trajectory, relearn };
    const workers = Math.min(f.workers, groups.length);
    const started = performance.now();
    const bar = new ProgressBar('bench', plan.length * seeds.length, 'runs');
    let outputs: GroupOutput[];
    if (workers <= 1) {
      const runtime = await openRuntime({ backend: 'cpu', threads: f.threads });
      outputs = [];
      let done = 0;
      try {
        for (const group of groups) outputs.push(await runGroup(runtime, finetune, group, options, (what) => bar.update(++done, what)));
      } finally {
        await runtime.dispose();
      }
    } else {
      // One ORT thread per worker unless --threads says otherwise: two one-thread workers answer about
      // 1.6 x as many questions per second as one two-thread process on 2 cores (README, bench figures).
      const threads = threadsGiven ? f.threads : 1;
      const shards = balanceGroups(groups, plan, workers, limits).map((mine): BenchShard => ({ modelDir: finetune.dir, threads, groups: mine, options }));
      try {
        outputs = (await runShards<BenchShard, GroupOutput[]>(new URL('./bench-worker.ts', import.meta.url), shards, (done) => bar.update(done, `${workers} workers`))).flat();
      } catch (error) {
        // A worker's clear refusal (e.g. a Goal model of other renders) reads as it would without workers.
        if (error instanceof WorkerError && error.cli) throw new CliError(error.cli.message, error.cli.exitCode);
        throw error;
      }
    }
    // Table order, whatever order the groups ran in.
    const order = (o: GroupOutput) => groups.findIndex((g) => g.target === o.target && g.forgetSeed === o.forgetSeed);
    outputs.sort((a, b) => order(a) - order(b));
    const rows = new Map<string, SeedRow>(plan.map((p) => [`${p.target}/${p.label}`, { target: p.target, label: p.label, kind: p.kind, method: p.method, bgd: p.bgd, seeds: [] }]));
    const details: unknown[] = outputs.flatMap((o) => o.details);
    const timings: TimingRow[] = outputs.flatMap((o) => o.timings);
    const extras = outputs.map((o) => ({ target: o.target, forgetSeed: o.forgetSeed, rows: o.extras }));
    const robust = new BenchRobustness(relearn, f.seed);
    for (const o of outputs) {
      for (const { label, result } of o.results) rows.get(`${o.target}/${label}`)!.seeds.push(result);
      robust.absorb(o.target, o.robustness);
    }
    const seconds = (performance.now() - started) / 1000;
    const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.versions.node}, onnxruntime-node (cpu)`;
    const summary = summarizeSeeds([...rows.values()], seeds);
    const problems = [...rows.values()].flatMap((r) => r.seeds.flatMap((s) => (s.problem ? [`${r.target} ${r.label}, forget seed ${s.forgetSeed}: ${s.problem}`] : [])));
    const config = {
      forgetSeeds: seeds, tuningSeed: TUNING_FORGET_SEED, seed: f.seed, evalSeed: f['eval-seed'], forget: f.forget,
      trajectory: trajectory ? { ...trajectory, factor: TRAJECTORY.factor } : null, relearn,
    };
    const titles: Record<Target, string> = { person: 'Person unlearning', event: 'Event unlearning', both: 'Joint person + event unlearning' };
    const render = (as: (typeof FORMATS)[number]): string => {
      if (as === 'json') return `${JSON.stringify({ config, tables: seedTablesJson(summary), robustness: robust.json(), timings, problems, seconds, machine }, null, 2)}\n`;
      if (as === 'csv') return seedTablesCsv(summary) + robust.csvLines();
      let md = `${seedTablesMarkdown(summary)}\n${robust.markdown(titles)}`;
      for (const e of extras) if (e.rows.length) md += `\n${benchExtrasMarkdown(e.rows, `${titles[e.target]}, forget seed ${e.forgetSeed}`)}`;
      return `${md}\n${timingTable(timings, workers)}\n${problems.map((p) => `- ${p}`).join('\n')}${problems.length ? '\n' : ''}\nTotal ${formatMinutes(seconds)} on ${machine}.\n`;
    };
    const text = render(format);
    // Every output is attempted even if one fails; each failure leaves a rescued copy.
    const failures: string[] = [];
    const attempt = (write: () => void) => {
      try {
        write();
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        failures.push(error.message);
      }
    };
    const { out, details: detailsFile } = f;
    attempt(() => (out ? writeResult('--out', resolve(out), text, { what: 'bench-tables' }) : void process.stdout.write(text)));
    if (f.json) attempt(() => writeResult('--json', resolve(f.json!), render('json'), { what: 'bench-tables-json' }));
    if (detailsFile) attempt(() => writeResult('--details', resolve(detailsFile), `${JSON.stringify({ config, machine, seconds, runs: details }, null, 2)}\n`, { what: 'bench-details' }));
    if (plotsDir) attempt(() => void mkdirSync(plotsDir, { recursive: true }));
    if (plotsDir) for (const plot of benchPlots(summary)) attempt(() => writeResult('--plots', join(plotsDir, plot.file), plot.svg, { what: `bench-plot-${plot.file.replace(/\.svg$/, '')}` }));
    if (format !== 'md') for (const p of problems) console.error(`pebench bench: ${p}`);
    if (failures.length) throw new CliError(failures.join(' '), 1);
    console.error(`pebench bench: ${plan.length} rows x ${seeds.length} forget seed${seeds.length > 1 ? 's' : ''} in ${formatMinutes(seconds)} on ${machine}${out ? `; tables written to ${resolve(out)}` : ''}${plotsDir ? `; plots in ${plotsDir}` : ''}`);
    return 0;
  },
};

function formatMinutes(seconds: number): string {
  return `${Math.floor(seconds / 60)} min ${(seconds % 60).toFixed(0)} s`;
}

/** Per row, summed over seeds; then where the time went. */
function timingTable(timings: readonly TimingRow[], workers: number): string {
  const lines = ['### Timing', '', '| request | row | seeds | median step (ms) | steps (s) | steps past the run (s) | trajectory points (s) | generation (s) | scoring (s) | trajectory adds |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'];
  const sum = (xs: readonly (number | undefined)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
  const keys = [...new Set(timings.map((t) => `${t.target}\u0000${t.label}`))];
  for (const key of keys) {
    const mine = timings.filter((t) => `${t.target}\u0000${t.label}` === key).map((t) => t.timing);
    const [target, label] = key.split('\u0000');
    const medians = mine.map((t) => t.medianStepMs).filter((m): m is number => typeof m === 'number');
    const cost = trajectoryCost(mine);
    lines.push(`| ${target} | ${label} | ${mine.length} | ${medians.length ? (sum(medians) / medians.length).toFixed(0) : '-'} | ${sum(mine.map((t) => t.stepsSeconds)).toFixed(1)} | ${sum(mine.map((t) => t.extraStepsSeconds)).toFixed(1)} | ${sum(mine.map((t) => t.trajectorySeconds)).toFixed(1)} | ${sum(mine.map((t) => t.evalParts?.answers)).toFixed(1)} | ${sum(mine.map((t) => t.evalParts?.scores)).toFixed(1)} | ${cost ? `${pct(cost.all)} (points ${pct(cost.points)})` : '-'} |`);
  }
  const all = timings.map((t) => t.timing);
  const costs = timings.map((t) => trajectoryCost([t.timing])).filter((c) => c !== null);
  if (costs.length) {
    lines.push('', `A run's trajectory (its steps past the run plus the live metrics of its points) adds, over the run's own time (preparation, steps, evaluation), a median of ${pct(median(costs.map((c) => c.all)))} (${pct(Math.min(...costs.map((c) => c.all)))}-${pct(Math.max(...costs.map((c) => c.all)))}); its points alone ${pct(median(costs.map((c) => c.points)))} (${pct(Math.min(...costs.map((c) => c.points)))}-${pct(Math.max(...costs.map((c) => c.points)))}), over ${costs.length} runs.`);
  }
  const side = workers > 1 ? ` (summed over the ${workers} workers, which ran side by side)` : '';
  lines.push('', `Where the time went${side}: unlearning steps ${sum(all.map((t) => t.stepsSeconds)).toFixed(0)} s, steps past each run for its trajectory ${sum(all.map((t) => t.extraStepsSeconds)).toFixed(0)} s, trajectory points ${sum(all.map((t) => t.trajectorySeconds)).toFixed(0)} s, generation ${sum(all.map((t) => t.evalParts?.answers)).toFixed(0)} s, scoring ${sum(all.map((t) => t.evalParts?.scores)).toFixed(0)} s (the rest: opening each request's experiment, preparing runs).`);
  return lines.join('\n');
}

const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/** What a method run's trajectory adds to its own time (null for rows without one). */
function trajectoryCost(timings: readonly Timing[]): { all: number; points: number } | null {
  const runs = timings.filter((t) => t.trajectorySeconds !== undefined && t.stepsSeconds !== undefined);
  if (!runs.length) return null;
  const own = runs.reduce((a, t) => a + (t.prepareSeconds ?? 0) + t.stepsSeconds! + t.evalSeconds, 0);
  const points = runs.reduce((a, t) => a + t.trajectorySeconds!, 0);
  const extra = runs.reduce((a, t) => a + (t.extraStepsSeconds ?? 0), 0);
  return own > 0 ? { all: (points + extra) / own, points: points / own } : null;
}
