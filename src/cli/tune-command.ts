// `pebench tune`: choose a method's settings for one kind of request on the tuning forget seed only
// (unlearning/protocol.ts; a test seed is refused), so the bench's numbers on the test seeds are not
// measured on the draw they were tuned on. It sweeps the learning rate and the method's main weight
// (λ or β; none for GA) as a cross through the current defaults (every learning rate at the default
// weight, every weight at the default learning rate; --grid for all pairs), each run going to twice
// the method's steps with live metrics every `--every` steps, so the step count is swept along each
// run's path for free. The rule:
//   among all (lr, weight, step) points whose Efficacy reaches 90, the highest Retain
//   (ties: fewer steps, then the smaller learning rate); when none reaches 90, the highest Efficacy
//   (ties: the higher Retain).
// The same rule for persons, events and joint requests: the tuning seed has no Goal model, so the
// Goal's event Efficacy (the bench's matched level for events) is not known there.
// Efficacy and Retain here are the live metrics (a fixed sample per cell; n printed), not the full
// report. Not here: running the bench (bench-command.ts), the registry's chosen values (cards.ts).
import { resolve } from 'node:path';
import { getCard, METHOD_IDS, methodParams, tuningKey, type MethodCard } from '../unlearning/cards.ts';
import { SWEEP_FACTOR, TRAJECTORY, TUNING_FORGET_SEED, tuningSeedProblem } from '../unlearning/protocol.ts';
import { getMethod } from '../unlearning/registry.ts';
import { FORGET_TARGETS, RunConfigError, checkRunConfig, requestFromFlags } from '../unlearning/run-config.ts';
import type { TrajectoryPoint } from '../unlearning/trajectory.ts';
import { openRuntime } from '../runtime/index.ts';
import { CliError, commandHelp, oneOf, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import type { Command } from './commands.ts';
import { modelWorld } from './eval-command.ts';
import { openExperiment } from './experiment-setup.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { checkOutputFile } from './output-check.ts';
import { ProgressBar } from './progress.ts';
import { writeResult } from './safe-write.ts';
import { checkedForCli } from './unlearn-command.ts';

/** The Efficacy a chosen setting must reach. */
export const TUNE_EFFICACY = 90;
/** Multiples of the current default swept for the learning rate and the main weight. */
const FACTORS = [0.5, 1, 2];

const flags = {
  method: { kind: 'string', help: `method to tune: ${METHOD_IDS.join(', ')}` },
  target: { kind: 'string', help: `kind of request: ${FORGET_TARGETS.join(', ')}`, default: 'person' },
  bgd: { kind: 'boolean', help: 'tune the BGD form (joint requests)', default: false },
  forget: { kind: 'string', help: 'forget ratio (both: R or R,R)', default: '0.05' },
  'forget-seed': { kind: 'int', help: `the tuning forget seed (never a test seed)`, default: TUNING_FORGET_SEED, min: 0 },
  lrs: { kind: 'string', help: 'comma-separated learning rates (default: 0.5, 1 and 2 x the current default)' },
  weights: { kind: 'string', help: 'comma-separated values of the main weight, λ or β (default: 0.5, 1 and 2 x the current default)' },
  grid: { kind: 'boolean', help: 'every learning rate with every weight (default: a cross through the defaults)', default: false },
  'lr-only': { kind: 'boolean', help: 'sweep the learning rate only (the main weight stays at its default)', default: false },
  every: { kind: 'int', help: 'live metrics every N steps along each run (to 2 x the default steps)', default: TRAJECTORY.every, min: 1, max: 1000 },
  items: { kind: 'int', help: 'items per cell of the live metrics', default: 24, min: 2, max: 64 },
  seed: { kind: 'int', help: 'seed of every run', default: 0, min: 0 },
  format: { kind: 'string', help: 'output format: md, json', default: 'md' },
  out: { kind: 'string', help: 'write the sweep to this file instead of stdout' },
  model: { kind: 'string', help: `Finetune ${MODEL_FLAG_HELP}` },
  threads: threadsFlag(),
} satisfies Record<string, FlagSpec>;

export interface SweepPoint extends TrajectoryPoint {
  lr: number;
  weight: number | null;
}

/** The method's main weight: β where it has one (DPO, NPO), else λ (GD, KL, PO); none for GA. */
export function mainWeight(card: MethodCard): string | null {
  const keys = card.params.map((p) => p.key);
  return keys.includes('beta') ? 'beta' : keys.includes('lambda') ? 'lambda' : null;
}

/** The rule of the header, over every point of every run. */
export function choose(points: readonly SweepPoint[]): { point: SweepPoint; reached: boolean } | null {
  const usable = points.filter((p) => p.step > 0 && p.efficacy !== null && p.retain !== null);
  if (usable.length === 0) return null;
  const reached = usable.filter((p) => p.efficacy! >= TUNE_EFFICACY);
  const pool = reached.length ? reached : usable;
  const better = (a: SweepPoint, b: SweepPoint): number => (reached.length
    ? b.retain! - a.retain! || a.step - b.step || a.lr - b.lr
    : b.efficacy! - a.efficacy! || b.retain! - a.retain! || a.step - b.step || a.lr - b.lr);
  return { point: [...pool].sort(better)[0], reached: reached.length > 0 };
}

const numbers = (flag: string, text: string): number[] => {
  const values = text.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0)) throw new CliError(`--${flag} must be comma-separated positive numbers, got "${text}"`);
  return values;
};

export const tuneCommand: Command = {
  name: 'tune',
  summary: "choose a method's settings on the tuning forget seed (never a test seed): a sweep and a written rule",
  help: commandHelp([
    'Usage: npx pebench tune --method M [--target person|event|both] [--bgd] [--lrs a,b,c] [--weights a,b,c] [--format md|json] [--out FILE]',
    '',
    `Sweeps the learning rate and the method's main weight (λ or β) on forget seed ${TUNING_FORGET_SEED} (a cross through the`,
    'defaults; --grid for every pair); each run goes to twice the',
    'method\'s steps with live metrics every --every steps, so the step count is swept too. Rule: among',
    `all points whose Efficacy reaches ${TUNE_EFFICACY}, the highest Retain (ties: fewer steps, then the smaller learning`,
    `rate); if none reaches ${TUNE_EFFICACY}, the highest Efficacy. Efficacy and Retain are the live metrics on a fixed`,
    'sample (n printed). Prints the chosen setting and the whole sweep; the registry\'s defaults are',
    'chosen this way (docs/tuning.md).',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    if (f.method === undefined) throw new CliError(`--method is required. Valid methods: ${METHOD_IDS.join(', ')}`);
    const card = getCard(oneOf('method', f.method, METHOD_IDS, (bad) => `unknown method "${bad}". Valid methods: ${METHOD_IDS.join(', ')}`));
    const format = oneOf('format', f.format, ['md', 'json'] as const);
    const seedProblem = tuningSeedProblem(f['forget-seed']);
    if (seedProblem) throw new CliError(`--forget-seed: ${seedProblem}`);
    const target = oneOf('target', f.target, FORGET_TARGETS);
    const weightKey = mainWeight(card);
    if (f.weights !== undefined && !weightKey) throw new CliError(`${card.id} has no main weight (λ or β): leave out --weights`);
    if (f.weights !== undefined && f['lr-only']) throw new CliError('--weights and --lr-only contradict each other: give one of them');
    if (f.out) checkOutputFile('--out', resolve(f.out), 64 * 1024);

    const finetune = await openModelDir(f.model);
    const { world } = modelWorld(finetune);
    const limits = { world, decoderLayers: finetune.cfg.decoder.layers };
    const problems: string[] = [];
    const request = requestFromFlags(target, f.forget, f['forget-seed'], world, problems);
    if (!request) throw new CliError(new RunConfigError(problems).message);
    const base = checkedForCli(() => checkRunConfig({ request, method: card.id, bgd: f.bgd, seed: f.seed }, limits));
    const defaults = new Map(methodParams(card, base.bgd, target).map((p) => [p.key, p]));
    const lrs = f.lrs !== undefined ? numbers('lrs', f.lrs) : FACTORS.map((x) => x * defaults.get('lr')!.default);
    const weightSpec = weightKey ? defaults.get(weightKey)! : null;
    const weights: (number | null)[] = weightSpec && f['lr-only'] ? [weightSpec.default]
      : weightSpec
      ? (f.weights !== undefined ? numbers('weights', f.weights) : FACTORS.map((x) => Math.min(weightSpec.max, Math.max(weightSpec.min, x * weightSpec.default))))
      : [null];
    const until = SWEEP_FACTOR * base.settings.steps;
    const settingsOf = (lr: number, weight: number | null) => ({ ...base.settings, lr, ...(weightKey && weight !== null ? { [weightKey]: weight } : {}) });
    // A cross, not a grid: every learning rate at the default weight, every other weight at the default
    // learning rate (5 runs instead of 9); --grid for every pair.
    const lrDefault = base.settings.lr;
    const wDefault = weightKey ? base.settings[weightKey] : null;
    const combos: [number, number | null][] = f.grid
      ? lrs.flatMap((lr) => weights.map((w): [number, number | null] => [lr, w]))
      : [...lrs.map((lr): [number, number | null] => [lr, weights.includes(wDefault) ? wDefault : weights[0]]),
        ...weights.filter((w) => w !== wDefault).map((w): [number, number | null] => [lrs.includes(lrDefault) ? lrDefault : lrs[0], w])];
    // Every combination is checked before the first run.
    for (const [lr, w] of combos) checkedForCli(() => checkRunConfig({ ...base, settings: settingsOf(lr, w) }, limits));

    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads });
    const started = performance.now();
    const points: SweepPoint[] = [];
    const diverged: string[] = [];
    let n: { efficacy: number; retain: number; scope: number } | null = null;
    const bar = new ProgressBar(`tune ${card.id}`, combos.length, 'runs');
    try {
      const opened = await openExperiment(runtime, finetune, request, {});
      try {
        let done = 0;
        for (const [lr, weight] of combos) {
          bar.update(done, `lr ${lr}${weightKey ? ` ${weightKey} ${weight}` : ''}`);
          const result = await opened.experiment.run(getMethod(card.id), settingsOf(lr, weight), {
            bgd: base.bgd, seed: base.seed, trajectory: { every: f.every, until, perCell: f.items },
          });
          const path = result.trajectory!;
          n ??= path.n;
          points.push(...path.points.map((p) => ({ ...p, lr, weight })));
          if (path.divergedAt !== undefined) diverged.push(`lr ${lr}${weightKey ? `, ${weightKey} ${weight}` : ''}: diverged at step ${path.divergedAt}`);
          bar.update(++done, `lr ${lr}${weightKey ? ` ${weightKey} ${weight}` : ''}`);
        }
      } finally {
        await opened.experiment.dispose();
      }
    } finally {
      await runtime.dispose();
    }
    const chosen = choose(points);
    const seconds = (performance.now() - started) / 1000;
    const key = tuningKey(target, base.bgd);
    const setting = chosen ? { lr: chosen.point.lr, steps: chosen.point.step, ...(weightKey ? { [weightKey]: chosen.point.weight } : {}) } : null;
    const text = format === 'json'
      ? `${JSON.stringify({ method: card.id, kind: key, forgetSeed: f['forget-seed'], rule: { efficacy: TUNE_EFFICACY }, n, chosen: chosen && { ...setting, reached: chosen.reached, point: chosen.point }, diverged, sweep: points, seconds }, null, 2)}\n`
      : sweepMarkdown(card, key, f['forget-seed'], weightKey, points, chosen, n, diverged, seconds);
    if (f.out) writeResult('--out', resolve(f.out), text, { what: `tune-${card.id}-${key}` });
    else process.stdout.write(text);
    return chosen ? 0 : 1;
  },
};

function sweepMarkdown(
  card: MethodCard, key: string, forgetSeed: number, weightKey: string | null, points: readonly SweepPoint[],
  chosen: ReturnType<typeof choose>, n: { efficacy: number; retain: number; scope: number } | null, diverged: readonly string[], seconds: number,
): string {
  const f1 = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  const lines = [`### ${card.label}, ${key} request (forget seed ${forgetSeed})`, ''];
  if (chosen) {
    const p = chosen.point;
    lines.push(`Chosen: lr ${p.lr}${weightKey ? `, ${weightKey} ${p.weight}` : ''}, ${p.step} steps: Efficacy ${f1(p.efficacy)}, Retain ${f1(p.retain)}, Scope ${f1(p.scope)}`
      + (chosen.reached ? '' : ` (no point reached Efficacy ${TUNE_EFFICACY}: the highest Efficacy)`) + '.', '');
  } else {
    lines.push('No setting gave a usable point.', '');
  }
  lines.push(`| lr | ${weightKey ?? 'weight'} | step | Efficacy | Retain | Scope |`, '| --- | --- | --- | --- | --- | --- |');
  for (const p of points) lines.push(`| ${p.lr} | ${p.weight ?? '-'} | ${p.step} | ${f1(p.efficacy)} | ${f1(p.retain)} | ${f1(p.scope)} |`);
  lines.push('', `Live metrics, n per point: forget ${n?.efficacy ?? '?'}, retain ${n?.retain ?? '?'}, scope ${n?.scope ?? '?'} items. ${points.length} points in ${seconds.toFixed(0)} s.`);
  for (const d of diverged) lines.push(`- ${d}`);
  return `${lines.join('\n')}\n`;
}
