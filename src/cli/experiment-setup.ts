// What `pebench unlearn` and `pebench bench` share: reading a forget request from --target/--forget/
// --forget-seed, opening the Finetune model and the Goal model trained for exactly that request (found
// in models/ by its manifest), and opening the Experiment. A missing Goal model is not an error: its
// metrics are reported unavailable with the reason and the command that would train one.
// Not here: running methods or printing reports (the commands).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Unavailable } from '../eval/pebench-report.ts';
import { readManifest } from '../model/manifest.ts';
import { FolderFiles } from '../model/node-files.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { Experiment } from '../unlearning/experiment.ts';
import { makeSplits, requestProblem, type ForgetRequest, type World } from '../world/index.ts';
import { CliError, oneOf } from './args.ts';
import { modelWorld } from './eval-command.ts';
import { PROJECT_ROOT, openModelDir, type OpenedModel } from './model-dir.ts';

export const TARGETS = ['person', 'event', 'both'] as const;
export type TargetName = (typeof TARGETS)[number];

/** --forget R (R,R for both) and --forget-seed S as a request; errors list the valid forms. */
export function requestFromFlags(targetFlag: string, forget: string, forgetSeed: number, world: World): ForgetRequest {
  const target = oneOf('target', targetFlag, TARGETS);
  const ratios = forget.split(',').map((r) => r.trim());
  const ratio = (text: string): number => {
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) throw new CliError(`--forget "${forget}" is not a ratio: write e.g. --forget 0.05 (both: --forget 0.05 or 0.05,0.1)`);
    return value;
  };
  if (target !== 'both' && ratios.length !== 1) throw new CliError(`--forget takes one ratio for --target ${target}, got "${forget}"`);
  if (ratios.length > 2) throw new CliError(`--forget takes at most two ratios (persons,events), got "${forget}"`);
  const request: ForgetRequest = target === 'person' ? { target: 'person', personRatio: ratio(ratios[0]), forgetSeed }
    : target === 'event' ? { target: 'event', eventRatio: ratio(ratios[0]), forgetSeed }
    : { target: 'both', personRatio: ratio(ratios[0]), eventRatio: ratio(ratios[ratios.length - 1]), forgetSeed };
  const problem = requestProblem(world, request);
  if (problem) throw new CliError(`cannot make this forget request: ${problem}`);
  return request;
}

const sameRequest = (a: ForgetRequest | null | undefined, b: ForgetRequest): boolean =>
  !!a && a.target === b.target && a.personRatio === b.personRatio && a.eventRatio === b.eventRatio && a.forgetSeed === b.forgetSeed;

/** How to train the Goal model of a request (for messages). */
export function goalTrainCommand(request: ForgetRequest): string {
  const spec = request.target === 'person' ? `person:${request.personRatio}` : request.target === 'event' ? `event:${request.eventRatio}` : `both:${request.personRatio},${request.eventRatio}`;
  return `npx pebench train --out models/pebench-tiny-goal-<name> --retain-only ${spec} --forget-seed ${request.forgetSeed}`;
}

/** The Goal model for `request` on `world`: `dir` if given, else the model folder in models/ whose manifest says it was trained for it. */
export async function findGoalModel(request: ForgetRequest, finetune: OpenedModel, dir?: string): Promise<OpenedModel | Unavailable> {
  const worldOf = (meta: Record<string, unknown> | undefined) => JSON.stringify(meta?.world ?? null);
  const finetuneWorld = worldOf(finetune.manifest.meta);
  if (dir) {
    const goal = await openModelDir(dir);
    const meta = goal.manifest.meta as { kind?: string; retainOnly?: ForgetRequest | null };
    if (meta.kind !== 'goal' || !sameRequest(meta.retainOnly, request)) {
      throw new CliError(`--goal ${goal.dir} was not trained for this request (its manifest: kind ${meta.kind ?? '?'}, retainOnly ${JSON.stringify(meta.retainOnly ?? null)}); train one with: ${goalTrainCommand(request)}`);
    }
    if (worldOf(goal.manifest.meta) !== finetuneWorld) throw new CliError(`--goal ${goal.dir} was trained on a different world than the Finetune model`);
    return goal;
  }
  const models = resolve(PROJECT_ROOT, 'models');
  let entries: string[] = [];
  try {
    entries = readdirSync(models);
  } catch {
    // No models folder: no Goal model.
  }
  for (const name of entries.sort()) {
    let meta: { kind?: string; retainOnly?: ForgetRequest | null; world?: unknown };
    try {
      // Through FolderFiles and readManifest: a pipe, a link out of the folder or a malformed manifest is skipped, never hangs.
      meta = (await readManifest(new FolderFiles(join(models, name)))).meta;
    } catch {
      continue;
    }
    if (meta.kind === 'goal' && sameRequest(meta.retainOnly, request) && JSON.stringify(meta.world ?? null) === finetuneWorld) {
      return openModelDir(join(models, name));
    }
  }
  return { unavailable: `no Goal model for this request in ${models} (train one with: ${goalTrainCommand(request)})` };
}

export interface OpenedExperiment {
  experiment: Experiment;
  finetune: OpenedModel;
  goal: OpenedModel | Unavailable;
  request: ForgetRequest;
}

export async function openExperiment(
  runtime: Runtime, finetune: OpenedModel, request: ForgetRequest, options: { goalDir?: string; evalSeed?: number } = {},
): Promise<OpenedExperiment> {
  const { world } = modelWorld(finetune);
  const splits = makeSplits(world, request);
  const goal = await findGoalModel(request, finetune, options.goalDir);
  const experiment = await Experiment.open(runtime, { world, splits, finetune, goal, evalSeed: options.evalSeed });
  return { experiment, finetune, goal, request };
}
