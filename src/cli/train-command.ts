// `pebench train`: trains PE-Tiny on the world with ORT-node and writes the model folder
// (transformers.js LLaVA layout + manifest) plus training.json (settings, time, tokens/s,
// validation history). Checkpoints go to DIR/.checkpoint/state.bin, written to a temporary file and
// renamed, so a crash or Ctrl-C at any moment leaves the previous checkpoint intact; running the
// same command again resumes from it. Not here: the training loop (src/training/trainer.ts).
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, commandHelp, parseFlags, requireParentFolder, type FlagSpec } from './args.ts';
import type { Command } from './commands.ts';
import { ProgressBar, formatSeconds } from './progress.ts';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../model/checkpoint.ts';
import { exportModel } from '../model/export.ts';
import { FolderFiles } from '../model/node-files.ts';
import { DEFAULT_TRAIN_SETTINGS, MODEL_SIZES, planTraining, type ModelSize, type TrainSettings } from '../model/train-plan.ts';
import { countParams } from '../model/params.ts';
import { openRuntime } from '../runtime/index.ts';
import { ResumeMismatchError, TrainingDivergedError, trainPlan, type ValidationResult } from '../training/trainer.ts';
import { DEFAULT_WORLD_CONFIG, requestProblem } from '../world/index.ts';
import { parseForgetSpec } from './forget-spec.ts';

const d = DEFAULT_TRAIN_SETTINGS;
const flags: Record<string, FlagSpec> = {
  out: { kind: 'string', help: 'model folder to write (required); resumes from DIR/.checkpoint if present' },
  'world-seed': { kind: 'int', help: 'world seed', default: DEFAULT_WORLD_CONFIG.seed },
  persons: { kind: 'int', help: 'persons in the world (small worlds for quick experiments)', default: DEFAULT_WORLD_CONFIG.persons },
  events: { kind: 'int', help: 'events in the world (1-40)', default: DEFAULT_WORLD_CONFIG.events },
  seed: { kind: 'int', help: 'training seed (init, shuffles, augmentation)', default: d.seed },
  'model-size': { kind: 'string', help: `model sizes: ${Object.keys(MODEL_SIZES).join(', ')}`, default: d.modelSize },
  epochs: { kind: 'int', help: 'passes over the training rows', default: d.epochs },
  batch: { kind: 'int', help: 'rows per step', default: d.batchSize },
  'seq-len': { kind: 'int', help: 'tokens per packed row', default: d.seqLen },
  lr: { kind: 'number', help: 'peak AdamW learning rate (linear warm-up, cosine decay)', default: d.lr },
  warmup: { kind: 'int', help: 'warm-up steps', default: d.warmupSteps },
  'text-repeat': { kind: 'int', help: 'copies of the text-only fact rows per epoch', default: d.textRepeat },
  'identity-wordings': { kind: 'int', help: 'trained identity wordings asked per image (default 2; more for tiny worlds)' },
  'event-wordings': { kind: 'int', help: 'trained event wordings asked per image (default 1; more for tiny worlds)' },
  augment: { kind: 'boolean', help: 'mirror/scale/shift/relight training images (--augment=false to turn off)', default: d.augment },
  'retain-only': { kind: 'string', help: 'train a Goal model without a forget request: persons | events | joint, or person:R | event:R | both:R,R' },
  'forget-seed': { kind: 'int', help: 'forget seed for --retain-only', default: 0 },
  threads: { kind: 'int', help: 'ORT-node intra-op threads', default: Math.max(1, availableParallelism?.() ?? cpus().length) },
  'checkpoint-every': { kind: 'int', help: 'steps between checkpoints (at most this many steps are lost to a crash)', default: 250 },
  'validate-every': { kind: 'int', help: 'steps between validations on fresh renders (0 = only at the end)', default: 500 },
  force: { kind: 'boolean', help: 'start over: discard a checkpoint or model already in --out', default: false },
  'keep-checkpoint': { kind: 'boolean', help: 'keep DIR/.checkpoint after training completes', default: false },
};

const CHECKPOINT_DIR = '.checkpoint';
const CHECKPOINT_FILE = 'state.bin';

export const trainCommand: Command = {
  name: 'train',
  summary: 'train PE-Tiny (Finetune, or a Goal model with --retain-only) and export it',
  help: commandHelp([
    'Usage: npx pebench train --out DIR [--world-seed S --seed S --epochs N --retain-only SPEC ...]',
    '',
    'Trains on ORT-node (progress: step, loss, tokens/s, ETA), validates on fresh renders every',
    '--validate-every steps, checkpoints every --checkpoint-every steps and on Ctrl-C, and writes the',
    'model folder (transformers.js LLaVA layout, manifest.json) and training.json to DIR.',
    'Interrupted? Run the same command again: it resumes from DIR/.checkpoint.',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    if (typeof f.out !== 'string' || f.out === '') throw new CliError('--out DIR is required (the model folder to write).');
    const out = f.out;
    const retainOnly = f['retain-only'] === undefined ? null : parseForgetSpec(String(f['retain-only']), f['forget-seed'] as number);
    const settings: TrainSettings = {
      ...d,
      world: { seed: f['world-seed'] as number, persons: f.persons as number, events: f.events as number },
      seed: f.seed as number, modelSize: f['model-size'] as ModelSize, epochs: f.epochs as number, batchSize: f.batch as number,
      seqLen: f['seq-len'] as number, lr: f.lr as number, warmupSteps: f.warmup as number, textRepeat: f['text-repeat'] as number,
      augment: f.augment === true, retainOnly,
      // only when given, so a default run's settings (and its checkpoints) stay as they were
      ...(f['identity-wordings'] === undefined ? {} : { identityWordings: f['identity-wordings'] as number }),
      ...(f['event-wordings'] === undefined ? {} : { eventWordings: f['event-wordings'] as number }),
    };
    let plan;
    try {
      plan = planTraining(settings);
    } catch (error) {
      if (error instanceof RangeError) throw new CliError(error.message);
      throw error;
    }
    if (retainOnly) {
      const problem = requestProblem(plan.world, retainOnly);
      if (problem) throw new CliError(`--retain-only: ${problem}`);
    }
    const checkpointDir = join(out, CHECKPOINT_DIR);
    const checkpointPath = join(checkpointDir, CHECKPOINT_FILE);
    let resume: Checkpoint | undefined;
    if (f.force === true) {
      await rm(checkpointDir, { recursive: true, force: true });
    } else if (existsSync(checkpointPath)) {
      try {
        resume = decodeCheckpoint(new Uint8Array(await readFile(checkpointPath)), checkpointPath);
      } catch (error) {
        if (error instanceof CheckpointError) throw new CliError(`${error.message} (or pass --force).`);
        throw error;
      }
    } else if (existsSync(join(out, 'manifest.json'))) {
      throw new CliError(`${out} already holds a trained model (manifest.json); pass --force to train over it, or choose another --out.`);
    }
    // Non-recursive on purpose: a recursive mkdir under /proc or similar never returns.
    requireParentFolder('--out', resolve(out));
    for (const folder of [out, checkpointDir]) {
      if (existsSync(folder)) continue;
      await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
        throw new CliError(`cannot create ${folder}: ${error.code ?? error.message}. Choose a writable --out.`);
      });
    }

    const params = countParams(plan.cfg);
    console.error(
      `PE-Tiny (${settings.modelSize}, ${(params.total / 1e6).toFixed(2)} M params) on ${plan.world.persons.length} persons x ${plan.world.events.length} events` +
      `${retainOnly ? ` (Goal: without ${plan.splits!.forgetPersons.length} persons, ${plan.splits!.forgetEvents.length} events)` : ''}: ` +
      `${plan.rows.length} rows/epoch, ${plan.stepsPerEpoch} steps/epoch, ${plan.totalSteps} steps` +
      (resume ? `; resuming at step ${resume.step}` : ''),
    );
    let stopRequested = false;
    const onSignal = () => {
      if (stopRequested) process.exit(130); // second Ctrl-C: quit now, the last checkpoint stays
      stopRequested = true;
      console.error('\nstopping after this step; saving a checkpoint (Ctrl-C again to quit without it)');
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads as number });
    const bar = new ProgressBar('train', plan.totalSteps, 'steps');
    let lossEma: number | null = null;
    let tokenRate: number | null = null;
    const validations: ValidationResult[] = [];
    try {
      const result = await trainPlan(runtime, plan, {
        resume,
        hooks: {
          checkpointEvery: f['checkpoint-every'] as number,
          validateEvery: f['validate-every'] as number,
          shouldStop: () => stopRequested,
          onStep(info) {
            if (info.finite) lossEma = lossEma === null ? info.loss : 0.98 * lossEma + 0.02 * info.loss;
            const rate = info.tokens / (info.stepMs / 1000);
            tokenRate = tokenRate === null ? rate : 0.95 * tokenRate + 0.05 * rate;
            bar.update(info.step, `loss ${lossEma?.toFixed(3) ?? 'nan'} ${Math.round(tokenRate)} tok/s lr ${info.lr.toExponential(1)} epoch ${info.epoch + 1}`);
          },
          onValidate(v) {
            validations.push(v);
            console.error(`\n[step ${v.step}] validation: ${validationLine(v)} (${v.seconds.toFixed(1)} s)`);
          },
          async saveCheckpoint(checkpoint) {
            const tmp = `${checkpointPath}.tmp`;
            await writeFile(tmp, encodeCheckpoint(checkpoint));
            await rename(tmp, checkpointPath);
          },
        },
      });
      if (result.stopped) {
        console.error(`stopped at step ${result.step}/${plan.totalSteps}; checkpoint saved in ${checkpointPath}. Run the same command again to resume.`);
        return 130;
      }
      const summary = {
        settings, steps: result.step, stepsThisRun: result.stepsRun, seconds: result.seconds, tokensPerSecond: result.tokens / result.seconds,
        resumedFrom: resume?.step ?? null, machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${f.threads} threads`,
        validations: validations.map((v) => ({ step: v.step, fresh: v.report.fresh, textOnly: v.report.textOnly, seconds: v.seconds })),
      };
      await exportModel(new FolderFiles(out), plan.cfg, result.params, plan.tokenizer, {
        kind: retainOnly ? 'goal' : 'finetune', seed: settings.seed, world: plan.world.config, steps: result.step, retainOnly,
      });
      await writeFile(join(out, 'training.json'), JSON.stringify(summary, null, 2) + '\n');
      if (f['keep-checkpoint'] !== true) await rm(checkpointDir, { recursive: true, force: true });
      console.error(`trained ${result.stepsRun} steps in ${formatSeconds(result.seconds)} (${Math.round(summary.tokensPerSecond)} tokens/s); model written to ${out}`);
      return 0;
    } catch (error) {
      if (error instanceof ResumeMismatchError) throw new CliError(`${checkpointPath}: ${error.message}\nRun with the checkpoint's settings to resume, or pass --force to start over.`);
      if (error instanceof TrainingDivergedError) throw new CliError(error.message, 3);
      throw error;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await runtime.dispose();
    }
  },
};

function validationLine(v: ValidationResult): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const fresh = v.report.fresh;
  return `fresh identity ${pct(fresh.identity)}, event name ${pct(fresh.eventName)}, event score ${fresh.eventScore?.toFixed(3) ?? 'n/a'}, ` +
    `attributes ${pct(fresh.attributes)}, objects ${pct(fresh.objects)}, text ${pct(v.report.textOnly)}`;
}
