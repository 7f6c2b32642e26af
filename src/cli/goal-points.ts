// Measures the Goal points of the lab's trade-off view (unlearning/goal-point.ts): for a Goal model
// folder, the request its manifest names (meta.retainOnly), then the live metrics of the Goal model
// and of Finetune on that request's sample through Experiment.metricsOf, the code `pebench bench`
// takes its Goal point with. Also which folders of models/ hold a Goal model (a folder without a
// manifest.json, e.g. one still training, is skipped and said so). Not here: writing the file
// (scripts/record-goal-points.ts), deciding which point the page shows (goal-point.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { readManifest } from '../model/manifest.ts';
import { FolderFiles } from '../model/node-files.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { Experiment } from '../unlearning/experiment.ts';
import type { GoalPoint, MetricShares } from '../unlearning/goal-point.ts';
import type { LabMetrics } from '../unlearning/live-metrics-items.ts';
import { goalProblem, modelWorldOf } from '../unlearning/model-fit.ts';
import { trajectoryCounts } from '../unlearning/trajectory.ts';
import { makeSplits } from '../world/index.ts';
import { CliError } from './args.ts';
import { modelWorld } from './eval-command.ts';
import { PROJECT_ROOT, openModelDir, type OpenedModel } from './model-dir.ts';

/** The Goal model folders under `modelsDir` (sorted), and the folders skipped with why. */
export async function goalFolders(modelsDir: string): Promise<{ goals: string[]; skipped: { dir: string; why: string }[] }> {
  const goals: string[] = [];
  const skipped: { dir: string; why: string }[] = [];
  for (const name of readdirSync(modelsDir).sort()) {
    const dir = join(modelsDir, name);
    if (!statSync(dir).isDirectory()) continue;
    if (!existsSync(join(dir, 'manifest.json'))) {
      skipped.push({ dir, why: 'no manifest.json (a model still training has none yet)' });
      continue;
    }
    const meta = (await readManifest(new FolderFiles(dir))).meta;
    if (meta.kind === 'goal') goals.push(dir);
  }
  return { goals, skipped };
}

const shares = (m: LabMetrics): MetricShares => ({ forget: m.forget, retain: m.retain, scope: m.scope });

/** The Goal point of the Goal model in `goalDir`, on the world and items of `finetune`. */
export async function measureGoalPoint(runtime: Runtime, finetune: OpenedModel, goalDir: string, perCell: number): Promise<GoalPoint> {
  const goal = await openModelDir(goalDir);
  const { world } = modelWorld(finetune);
  const request = modelWorldOf(goal.manifest.meta, goal.tokenizer.vocab).retainOnly;
  if (!request) throw new CliError(`${goal.dir}/manifest.json: a Goal model must name its request in meta.retainOnly; retrain it with \`pebench train --retain-only\``);
  const problem = goalProblem(goal.manifest.meta, request, world);
  if (problem) throw new CliError(`${goal.dir} is not the Goal model of its own request on ${finetune.dir}'s world: ${problem}`);
  const experiment = await Experiment.open(runtime, { world, splits: makeSplits(world, request), finetune, goal });
  try {
    const atZero = await experiment.metricsOf('finetune', perCell);
    const ofGoal = await experiment.metricsOf('goal', perCell);
    if ('unavailable' in atZero || 'unavailable' in ofGoal) throw new Error('metricsOf: a model given to the experiment was reported unavailable');
    const n = trajectoryCounts(atZero);
    if (JSON.stringify(trajectoryCounts(ofGoal)) !== JSON.stringify(n)) throw new Error(`${goal.dir}: the Goal and Finetune samples differ in size`);
    return {
      goalDir: relative(PROJECT_ROOT, goal.dir), request, goalHash: goal.manifest.modelHash, finetuneHash: finetune.manifest.modelHash,
      perCell, n, goal: shares(ofGoal), finetune: shares(atZero),
    };
  } finally {
    await experiment.dispose();
  }
}
