// `pebench bench`: the paper's tables on our world. For each kind of request (persons 5%, events 5%,
// joint 5% + 5% by default) it reports Finetune, every method with its default settings (joint: GD,
// KL and NPO, each without and with BGD) and the Goal model, in the paper's layout, with a progress
// bar, the time of every run and the machine it ran on. --out and --details are checked before the
// first row runs and written through a temporary name; if that still fails, the tables are printed
// and saved elsewhere (safe-write.ts). Not here: one run with chosen settings (`pebench unlearn`), the metrics (src/eval).
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { benchExtrasMarkdown, benchTables, reportJson, type BenchRow } from '../eval/report-format.ts';
import { openRuntime } from '../runtime/index.ts';
import type { RunTiming } from '../unlearning/experiment.ts';
import { METHOD_IDS, getCard } from '../unlearning/cards.ts';
import { getMethod } from '../unlearning/registry.ts';
import { FORGET_TARGETS, RunConfigError, checkRunConfig, requestFromFlags, type RunLimits } from '../unlearning/run-config.ts';
import type { ForgetRequest } from '../world/index.ts';
import { CliError, commandHelp, oneOf, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import { checkOutputFile } from './output-check.ts';
import { writeResult } from './safe-write.ts';
import type { Command } from './commands.ts';
import { modelWorld } from './eval-command.ts';
import { openExperiment } from './experiment-setup.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { ProgressBar } from './progress.ts';
import { describeRequest, runReportConfig } from './unlearn-command.ts';

const FORMATS = ['md', 'json', 'csv'] as const;
/** Methods of the joint table by default (the paper's joint line), each also run with BGD. */
export const JOINT_METHODS = ['gd', 'kl', 'npo'];

const flags = {
  methods: { kind: 'string', help: `comma-separated methods (default: all for person and event: ${METHOD_IDS.join(',')}; joint: ${JOINT_METHODS.join(',')})` },
  targets: { kind: 'string', help: `comma-separated: ${FORGET_TARGETS.join(',')}`, default: FORGET_TARGETS.join(',') },
  forget: { kind: 'string', help: 'forget ratio of every request (both: R or R,R)', default: '0.05' },
  'forget-seed': { kind: 'int', help: 'which persons/events are forgotten', default: 0 },
  seed: { kind: 'int', help: 'seed of every run', default: 0 },
  'eval-seed': { kind: 'int', help: 'seed of the evaluation sample', default: 0 },
  format: { kind: 'string', help: `output format: ${FORMATS.join(', ')}`, default: 'md' },
  out: { kind: 'string', help: 'write the tables to this file instead of stdout' },
  details: { kind: 'string', help: 'also write every row\'s full report (JSON: columns, n, extras, config, timing) to this file' },
  model: { kind: 'string', help: `Finetune ${MODEL_FLAG_HELP}` },
  threads: threadsFlag(),
} satisfies Record<string, FlagSpec>;

interface Planned {
  target: ForgetRequest['target'];
  label: string;
  kind: 'finetune' | 'goal' | 'method';
  method?: string;
  bgd?: boolean;
}

/** The rows of the bench in table order. */
export function benchPlan(targets: readonly ForgetRequest['target'][], methods: readonly string[] | null): Planned[] {
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

export const benchCommand: Command = {
  name: 'bench',
  summary: "the paper's tables: every method on persons, events and joint requests, Finetune first, Goal last",
  help: commandHelp([
    'Usage: npx pebench bench [--methods ga,gd,...] [--targets person,event,both] [--format md|json|csv] [--out FILE]',
    '',
    'Runs every method with its default settings from the shipped Finetune model on each request and',
    'prints the paper\'s layout: person table, event table, joint table (person/event Efficacy and',
    'Retain). A method that diverges is listed with its reason and left out of the tables.',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    const format = oneOf('format', f.format, FORMATS);
    const list = (text: string) => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
    const badTargetMessage = (t: string) => `unknown target "${t}" in --targets. Valid targets: ${FORGET_TARGETS.join(', ')}`;
    const targets = list(f.targets).map((t) => oneOf('targets', t, FORGET_TARGETS, badTargetMessage));
    if (targets.length === 0) throw new CliError(badTargetMessage(''));
    const methods = f.methods !== undefined ? list(f.methods).map((m) => oneOf('methods', m, METHOD_IDS, (bad) => `unknown method "${bad}" in --methods. Valid methods: ${METHOD_IDS.join(', ')}`)) : null;
    if (methods && methods.length === 0) throw new CliError(`--methods is empty. Valid methods: ${METHOD_IDS.join(', ')}`);
    // A bench runs for many minutes: where it writes is checked now, not after the last row.
    for (const name of ['out', 'details'] as const) {
      const file = f[name];
      if (file) checkOutputFile(`--${name}`, resolve(file), 64 * 1024);
    }
    if (f.out && f.details && resolve(f.out) === resolve(f.details)) throw new CliError('--out and --details name the same file: give two different files.');
    const plan = benchPlan(targets, methods);

    const finetune = await openModelDir(f.model);
    const { world } = modelWorld(finetune);
    const limits: RunLimits = { world, decoderLayers: finetune.cfg.decoder.layers };
    const requestProblems: string[] = [];
    const requests = new Map<ForgetRequest['target'], ForgetRequest>();
    for (const t of targets) {
      const request = requestFromFlags(t, f.forget, f['forget-seed'], world, requestProblems);
      if (request) requests.set(t, request);
    }
    if (requestProblems.length) throw new CliError(new RunConfigError(requestProblems).message);
    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads });
    const started = performance.now();
    const rows: BenchRow[] = [];
    const details: unknown[] = [];
    const timings: { target: string; label: string; timing: Partial<RunTiming> & { evalSeconds: number } }[] = [];
    const problems: string[] = [];
    const bar = new ProgressBar('bench', plan.length, 'rows');
    let done = 0;
    try {
      for (const [target, request] of requests) {
        const opened = await openExperiment(runtime, finetune, request, { evalSeed: f['eval-seed'] });
        try {
          for (const item of plan.filter((p) => p.target === target)) {
            bar.update(done, `${describeRequest(request)}: ${item.label}`);
            if (item.kind === 'finetune') {
              const r = await opened.experiment.reportFor(finetune.params);
              rows.push({ label: item.label, target, report: r.report });
              details.push({ target, label: item.label, ...reportJson(r.report, { config: { model: finetune.dir, request }, timing: { evalSeconds: r.seconds } }) });
              timings.push({ target, label: item.label, timing: { evalSeconds: r.seconds } });
            } else if (item.kind === 'goal') {
              const r = await opened.experiment.goalReport();
              if ('unavailable' in r) {
                problems.push(`${target} Goal: ${r.unavailable}`);
              } else {
                rows.push({ label: item.label, target, report: r.report });
                details.push({ target, label: item.label, ...reportJson(r.report, { config: { request, goal: 'dir' in opened.goal ? opened.goal.dir : null }, timing: { evalSeconds: r.seconds } }) });
                timings.push({ target, label: item.label, timing: { evalSeconds: r.seconds } });
              }
            } else {
              const run = checkRunConfig({ request, method: item.method, bgd: item.bgd, seed: f.seed }, limits);
              const result = await opened.experiment.run(getMethod(run.method), run.settings, { bgd: run.bgd, seed: run.seed });
              timings.push({ target, label: item.label, timing: result.timing });
              const config = runReportConfig(opened, run, f['eval-seed']);
              if (!result.report) {
                problems.push(`${target} ${item.label}: diverged at step ${result.outcome.step} (${result.outcome.reason})`);
              } else {
                rows.push({ label: item.label, target, report: result.report });
                details.push({ target, label: item.label, ...reportJson(result.report, { config, timing: result.timing }) });
              }
            }
            bar.update(++done, `${describeRequest(request)}: ${item.label}`);
          }
        } finally {
          await opened.experiment.dispose();
        }
      }
    } finally {
      await runtime.dispose();
    }
    const seconds = (performance.now() - started) / 1000;
    const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.versions.node}, onnxruntime-node (cpu)`;
    let text = benchTables(rows, format);
    if (format === 'md') {
      const titles: Record<string, string> = { person: 'Person unlearning', event: 'Event unlearning', both: 'Joint person + event unlearning' };
      for (const target of targets) {
        const mine = rows.filter((r) => r.target === target);
        if (mine.length) text += `\n${benchExtrasMarkdown(mine, titles[target])}`;
      }
    }
    if (format === 'md') text += `\n${timingTable(timings)}\n${problems.map((p) => `- ${p}`).join('\n')}${problems.length ? '\n' : ''}\nTotal ${formatMinutes(seconds)} on ${machine}.\n`;
    if (format === 'json') text = `${JSON.stringify({ tables: JSON.parse(text), timings, problems, seconds, machine }, null, 2)}\n`;
    // Both outputs are attempted even if the first fails; each failure leaves a rescued copy.
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
    if (detailsFile) attempt(() => writeResult('--details', resolve(detailsFile), `${JSON.stringify({ machine, seconds, rows: details }, null, 2)}\n`, { what: 'bench-details' }));
    if (format !== 'md') for (const p of problems) console.error(`pebench bench: ${p}`);
    if (failures.length) throw new CliError(failures.join(' '), 1);
    console.error(`pebench bench: ${plan.length} rows in ${formatMinutes(seconds)} on ${machine}${out ? `; tables written to ${resolve(out)}` : ''}`);
    return 0;
  },
};

function formatMinutes(seconds: number): string {
  return `${Math.floor(seconds / 60)} min ${(seconds % 60).toFixed(0)} s`;
}

function timingTable(timings: { target: string; label: string; timing: Partial<RunTiming> & { evalSeconds: number } }[]): string {
  const lines = ['### Timing', '', '| request | row | steps | median step (ms) | steps (s) | evaluation (s) |', '| --- | --- | --- | --- | --- | --- |'];
  for (const { target, label, timing: t } of timings) {
    lines.push(`| ${target} | ${label} | ${t.steps ?? '-'} | ${t.medianStepMs?.toFixed(0) ?? '-'} | ${t.stepsSeconds?.toFixed(1) ?? '-'} | ${t.evalSeconds.toFixed(1)} |`);
  }
  return lines.join('\n');
}
