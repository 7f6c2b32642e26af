// What `pebench unlearn` and `pebench bench` share: the Goal model trained for exactly a request (found
// in models/ by its manifest; unlearning/model-fit.ts decides the fit, as in the lab), and opening
// the Experiment on the Finetune model's world. A missing Goal model is not an error: its
// metrics are reported unavailable with the reason and the command that would train one.
// Not here: running methods or printing reports (the commands).
import { readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Unavailable } from '../eval/pebench-report.ts';
import { readManifest } from '../model/manifest.ts';
import { FolderFiles } from '../model/node-files.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { Experiment } from '../unlearning/experiment.ts';
import { goalProblem } from '../unlearning/model-fit.ts';
import { makeSplits, type ForgetRequest } from '../world/index.ts';
import { CliError } from './args.ts';
import { modelWorld } from './eval-command.ts';
import { PROJECT_ROOT, openModelDir, type OpenedModel } from './model-dir.ts';

/** How to train the Goal model of a request (for messages). */
export function goalTrainCommand(request: ForgetRequest): string {
  const spec = request.target === 'person' ? `person:${request.personRatio}` : request.target === 'event' ? `event:${request.eventRatio}` : `both:${request.personRatio},${request.eventRatio}`;
  return `npx pebench train --out models/pebench-tiny-goal-<name> --retain-only ${spec} --forget-seed ${request.forgetSeed}`;
}

/** The Goal model for `request` on `world`: `dir` if given, else the model folder in models/ whose manifest says it was trained for it. */
export async function findGoalModel(request: ForgetRequest, finetune: OpenedModel, dir?: string): Promise<OpenedModel | Unavailable> {
  const { world } = modelWorld(finetune);
  if (dir) {
    const goal = await openModelDir(dir);
    const problem = goalProblem(goal.manifest.meta, request, world);
    if (problem) throw new CliError(`--goal ${goal.dir} does not fit: ${problem}; train one with: ${goalTrainCommand(request)}`);
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
    let meta: unknown;
    try {
      // Through FolderFiles and readManifest: a pipe, a link out of the folder or a malformed manifest is skipped, never hangs.
      meta = (await readManifest(new FolderFiles(join(models, name)))).meta;
    } catch {
      continue;
    }
    if (!goalProblem(meta, request, world)) return openModelDir(join(models, name));
  }
  const shown = relative(process.cwd(), models);
  const where = shown === '' ? '.' : shown.startsWith('..') || isAbsolute(shown) ? models : shown;
  return { unavailable: `no Goal model for this request in ${where} (train one with: ${goalTrainCommand(request)})` };
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
