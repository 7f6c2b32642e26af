// `pebench train`: trains PE-Tiny on the world with ORT-node and writes the model folder
// (transformers.js LLaVA layout + manifest) plus training.json (settings, time, tokens/s,
// validation history). Checkpoints (verified before resuming) go to DIR/.checkpoint/state.bin through
// a temporary file, so a crash or Ctrl-C at any moment leaves the previous checkpoint intact; running
// the same command again resumes from it. Not here: the training loop (src/training/trainer.ts), the
// output folder and checkpoint files (train-output.ts).
import { rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError, commandHelp, oneOf, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import type { Command } from './commands.ts';
import { SIGNAL_EXIT_CODES, setGracefulStop, signalName, type StopSignal } from './interrupt.ts';
import { ProgressBar, formatSeconds } from './progress.ts';
import { writeFileAtomic } from './safe-write.ts';
import { prepareTrainOutput, writeCheckpoint, writeFinalModel } from './train-output.ts';
import { exportModel } from '../model/export.ts';
import { FolderFiles } from '../model/node-files.ts';
import { DEFAULT_TRAIN_SETTINGS, MODEL_SIZES, planTraining, type ModelSize, type TrainSettings } from '../model/train-plan.ts';
import { countParams } from '../model/params.ts';
import { openRuntime } from '../runtime/index.ts';
import { ResumeMismatchError, TrainingDivergedError, trainPlan, type ValidationResult } from '../training/trainer.ts';
import { DEFAULT_WORLD_CONFIG, requestProblem } from '../world/index.ts';
import { parseForgetSpec } from './forget-spec.ts';

const d = DEFAULT_TRAIN_SETTINGS;
/** --model-size's choices; a name outside them gets the message planTraining gave before the flag was checked here. */
const MODEL_SIZE_NAMES = Object.keys(MODEL_SIZES) as ModelSize[];
const modelSizeProblem = (value: string) => `modelSize must be one of ${MODEL_SIZE_NAMES.join(', ')}, got ${value}`;
const flags = {
  out: { kind: 'string', help: 'model folder to write (required); resumes from DIR/.checkpoint if present' },
  'world-seed': { kind: 'int', help: 'world seed', default: DEFAULT_WORLD_CONFIG.seed },
  persons: { kind: 'int', help: 'persons in the world (small worlds for quick experiments)', default: DEFAULT_WORLD_CONFIG.persons },
  events: { kind: 'int', help: 'events in the world (1-40)', default: DEFAULT_WORLD_CONFIG.events },
  seed: { kind: 'int', help: 'training seed (init, shuffles, augmentation)', default: d.seed },
  'model-size': { kind: 'string', help: `model sizes: ${MODEL_SIZE_NAMES.join(', ')}`, default: d.modelSize },
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
  threads: threadsFlag(),
  'checkpoint-every': { kind: 'int', help: 'steps between checkpoints (at most this many steps are lost to a crash)', default: 250, min: 1 },
  'validate-every': { kind: 'int', help: 'steps between validations on fresh renders (0 = only at the end)', default: 500, min: 0 },
  force: { kind: 'boolean', bare: true, help: 'start over: discard the checkpoint or model in --out (only a folder pebench wrote)', default: false },
  'keep-checkpoint': { kind: 'boolean', help: 'keep DIR/.checkpoint after training completes', default: false },
} satisfies Record<string, FlagSpec>;

export const trainCommand: Command = {
  name: 'train',
  summary: 'train PE-Tiny (Finetune, or a Goal model with --retain-only) and export it',
  help: commandHelp([
    'Usage: npx pebench train --out DIR [--world-seed S --seed S --epochs N --retain-only SPEC ...]',
    '',
    'Trains on ORT-node (progress: step, loss, tokens/s, ETA), validates on fresh renders every',
    '--validate-every steps, checkpoints every --checkpoint-every steps and on Ctrl-C, and writes the',
    'model folder (transformers.js LLaVA layout, manifest.json) and training.json to DIR.',
    'Interrupted? Run the same command again: it resumes from DIR/.checkpoint (checked: format version',
    'and sha256 of every part; a damaged one is refused, never resumed).',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    if (typeof f.out !== 'string' || f.out === '') throw new CliError('--out DIR is required (the model folder to write).');
    const out = f.out;
    const retainOnly = f['retain-only'] === undefined ? null : parseForgetSpec(f['retain-only'], f['forget-seed']);
    const settings: TrainSettings = {
      ...d,
      world: { seed: f['world-seed'], persons: f.persons, events: f.events },
      seed: f.seed, modelSize: oneOf('model-size', f['model-size'], MODEL_SIZE_NAMES, modelSizeProblem), epochs: f.epochs, batchSize: f.batch,
      seqLen: f['seq-len'], lr: f.lr, warmupSteps: f.warmup, textRepeat: f['text-repeat'],
      augment: f.augment, retainOnly,
      // only when given, so a default run's settings (and its checkpoints) stay as they were
      ...(f['identity-wordings'] === undefined ? {} : { identityWordings: f['identity-wordings'] }),
      ...(f['event-wordings'] === undefined ? {} : { eventWordings: f['event-wordings'] }),
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
    const params = countParams(plan.cfg);
    // Model files (~4 bytes a parameter) plus the checkpoint (weights and two moments) twice while it is replaced.
    const output = prepareTrainOutput(resolve(out), f.force, params.total * 4 * 7);
    const { resume, checkpointPath } = output;

    console.error(
      `PE-Tiny (${settings.modelSize}, ${(params.total / 1e6).toFixed(2)} M params) on ${plan.world.persons.length} persons x ${plan.world.events.length} events` +
      `${retainOnly ? ` (Goal: without ${plan.splits!.forgetPersons.length} persons, ${plan.splits!.forgetEvents.length} events)` : ''}: ` +
      `${plan.rows.length} rows/epoch, ${plan.stepsPerEpoch} steps/epoch, ${plan.totalSteps} steps` +
      (resume ? `; resuming at step ${resume.step}` : ''),
    );
    let stopRequested: StopSignal | null = null;
    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads });
    setGracefulStop((signal) => {
      stopRequested = signal;
      console.error(`\n${signalName(signal)}: stopping after this step; saving a checkpoint (press Ctrl-C again to quit without it)`);
    });
    const bar = new ProgressBar('train', plan.totalSteps, 'steps');
    let lossEma: number | null = null;
    let tokenRate: number | null = null;
    const validations: ValidationResult[] = [];
    try {
      const result = await trainPlan(runtime, plan, {
        resume,
        hooks: {
          checkpointEvery: f['checkpoint-every'],
          validateEvery: f['validate-every'],
          shouldStop: () => stopRequested !== null,
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
            writeCheckpoint(output, checkpoint);
          },
        },
      });
      if (result.stopped) {
        console.error(`stopped at step ${result.step}/${plan.totalSteps}; checkpoint saved in ${checkpointPath}. Run the same command again to resume.`);
        return SIGNAL_EXIT_CODES[stopRequested ?? 'SIGINT'];
      }
      const summary = {
        settings, steps: result.step, stepsThisRun: result.stepsRun, seconds: result.seconds, tokensPerSecond: result.tokens / result.seconds,
        resumedFrom: resume?.step ?? null, machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${f.threads} threads`,
        validations: validations.map((v) => ({ step: v.step, fresh: v.report.fresh, textOnly: v.report.textOnly, seconds: v.seconds })),
      };
      await writeFinalModel(output, async (folder) => {
        await exportModel(new FolderFiles(folder), plan.cfg, result.params, plan.tokenizer, {
          kind: retainOnly ? 'goal' : 'finetune', seed: settings.seed, world: plan.world.config, steps: result.step, retainOnly,
        });
        writeFileAtomic(join(folder, 'training.json'), JSON.stringify(summary, null, 2) + '\n');
      });
      if (!f['keep-checkpoint']) rmSync(output.checkpointDir, { recursive: true, force: true });
      console.error(`trained ${result.stepsRun} steps in ${formatSeconds(result.seconds)} (${Math.round(summary.tokensPerSecond)} tokens/s); model written to ${out}`);
      return 0;
    } catch (error) {
      if (error instanceof ResumeMismatchError) throw new CliError(`${checkpointPath}: ${error.message}\nRun with the checkpoint's settings to resume, or pass --force to start over.`);
      if (error instanceof TrainingDivergedError) throw new CliError(error.message, 3);
      throw error;
    } finally {
      setGracefulStop(null);
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
