// `pebench unlearn`: one forget request, one method, from the shipped Finetune model; prints the
// PEBench report (Markdown, or one JSON object with --json) and can save the unlearned model in the
// transformers.js layout. The method flags are generated from the registry (src/unlearning).
// Not here: the maths (src/unlearning), the metrics (src/eval), the full tables (`pebench bench`).
import { dirname, resolve } from 'node:path';
import { reportJson, reportMarkdown } from '../eval/report-format.ts';
import { exportModel } from '../model/export.ts';
import { FolderFiles } from '../model/node-files.ts';
import { openRuntime } from '../runtime/index.ts';
import { BGD_SMOOTHING } from '../unlearning/bgd.ts';
import type { RunReport } from '../unlearning/experiment.ts';
import { RUN_PARAMS, type MethodDef, type ParamSpec } from '../unlearning/method.ts';
import { METHODS, METHOD_IDS, MethodError, getMethod, methodParams, resolveSettings, type MethodSettings } from '../unlearning/registry.ts';
import { CliError, commandHelp, parseFlags, threadsFlag, type FlagSpec, type ParsedFlags } from './args.ts';
import { checkFreeSpace, checkNewFolder } from './output-check.ts';
import { errorCode, rescueFolder, writeFolderAtomic } from './safe-write.ts';
import type { Command } from './commands.ts';
import { TARGETS, openExperiment, requestFromFlags, type OpenedExperiment } from './experiment-setup.ts';
import { modelWorld } from './eval-command.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { ProgressBar } from './progress.ts';

/** Every method parameter any method takes, once (the union the CLI accepts). */
export function allParamSpecs(): ParamSpec[] {
  const seen = new Map<string, ParamSpec>();
  for (const spec of [...RUN_PARAMS, ...METHODS.flatMap((m) => m.params), BGD_SMOOTHING]) if (!seen.has(spec.key)) seen.set(spec.key, spec);
  return [...seen.values()];
}

/** Flags for method parameters (no defaults here: each method has its own). */
export function paramFlags(): Record<string, FlagSpec> {
  const out: Record<string, FlagSpec> = {};
  for (const spec of allParamSpecs()) {
    out[spec.flag] = { kind: spec.integer ? 'int' : 'number', help: `${spec.help} [${spec.min}-${spec.max}; default per method]` };
  }
  return out;
}

/** The method's settings from parsed flags; a flag the method does not take is an error naming its parameters. */
export function settingsFromFlags(method: MethodDef, f: ParsedFlags, bgd: boolean): MethodSettings {
  const own = new Set(methodParams(method, bgd).map((p) => p.key));
  const given: Record<string, number | undefined> = {};
  for (const spec of allParamSpecs()) {
    const value = f[spec.flag] as number | undefined;
    if (value === undefined) continue;
    if (!own.has(spec.key)) {
      throw new CliError(`--${spec.flag} is not a parameter of ${method.id}${spec.key === 'bgdSmoothing' ? ' without --bgd' : ''}; its parameters: ${methodParams(method, bgd).map((p) => `--${p.flag}`).join(', ')}`);
    }
    given[spec.key] = value;
  }
  try {
    return resolveSettings(method, given, bgd);
  } catch (error) {
    if (error instanceof MethodError) throw new CliError(error.message);
    throw error;
  }
}

const flags: Record<string, FlagSpec> = {
  method: { kind: 'string', help: `unlearning method: ${METHOD_IDS.join(', ')}` },
  target: { kind: 'string', help: `what to forget: ${TARGETS.join(', ')}`, default: 'person' },
  forget: { kind: 'string', help: 'forget ratio (persons 0.01, 0.05, 0.1; events 0.05, 0.1); both: R or R,R', default: '0.05' },
  'forget-seed': { kind: 'int', help: 'which persons/events are forgotten', default: 0 },
  bgd: { kind: 'boolean', help: 'balanced gradient difference (joint requests; gd, kl, npo)', default: false },
  ...paramFlags(),
  'last-blocks': { kind: 'int', help: 'train the last K decoder blocks instead of LoRA adapters (0 = LoRA)', default: 0 },
  seed: { kind: 'int', help: 'seed of batches, refusal choice and LoRA initialisation', default: 0 },
  'eval-seed': { kind: 'int', help: 'seed of the evaluation sample', default: 0 },
  json: { kind: 'boolean', help: 'print one JSON object', default: false },
  save: { kind: 'string', help: 'save the unlearned model (transformers.js layout) into this NEW folder' },
  model: { kind: 'string', help: `Finetune ${MODEL_FLAG_HELP}` },
  goal: { kind: 'string', help: 'Goal model folder (default: the one in models/ trained for this request, if any)' },
  threads: threadsFlag(),
};

export const unlearnCommand: Command = {
  name: 'unlearn',
  summary: 'unlearn persons, events or both with one method and print the PEBench report',
  help: commandHelp([
    'Usage: npx pebench unlearn --method M [--target person|event|both --forget R [--forget-seed S]] [--bgd]',
    '                           [--steps N --lr X --lambda L --beta B --batch B --lora-rank R] [--json] [--save DIR]',
    '',
    'Starts from the Finetune model, runs the method on the forget items, then evaluates: Efficacy,',
    'Generality, Retain, Scope, Real, World Fact per concept (docs/paper.md section 4; person columns 0-100,',
    'event columns 0-1 as in the paper), the cross-concept matrix, and the extras (answer probability,',
    'truth ratio, forget quality and PrivLeak against the Goal model when one exists).',
    '',
    'Methods:',
    ...METHODS.map((m) => `  ${m.id.padEnd(4)} ${m.label}: ${m.summary}\n       ${m.objective}   [${m.citation}]\n` +
      `       defaults: ${methodParams(m).map((p) => `--${p.flag} ${p.default}`).join(' ')}`),
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    if (!f.method) throw new CliError(`--method is required. Valid methods: ${METHOD_IDS.join(', ')}`);
    let method: MethodDef;
    try {
      method = getMethod(f.method as string);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    if (!(TARGETS as readonly string[]).includes(f.target as string)) throw new CliError(`unknown --target "${f.target}". Valid targets: ${TARGETS.join(', ')}`);
    const bgd = f.bgd as boolean;
    if (bgd && f.target !== 'both') throw new CliError('--bgd balances person and event forgetting: use it with --target both');
    const settings = settingsFromFlags(method, f, bgd);
    const lastBlocks = f['last-blocks'] as number;
    if (lastBlocks < 0) throw new CliError(`--last-blocks must be >= 0, got ${lastBlocks}`);
    const save = f.save ? resolve(f.save as string) : null;
    if (save) checkNewFolder('--save', save);

    const finetune = await openModelDir(f.model as string | undefined);
    // The saved model is about as large as the Finetune model's files.
    if (save) checkFreeSpace('--save', dirname(save), finetune.manifest.files.reduce((sum, file) => sum + file.bytes, 0));
    if (lastBlocks > finetune.cfg.decoder.layers) throw new CliError(`--last-blocks must be at most ${finetune.cfg.decoder.layers} (the decoder's blocks), got ${lastBlocks}`);
    const { world } = modelWorld(finetune);
    const request = requestFromFlags(f.target as string, f.forget as string, f['forget-seed'] as number, world);
    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads as number });
    let opened: OpenedExperiment | null = null;
    try {
      opened = await openExperiment(runtime, finetune, request, { goalDir: f.goal as string | undefined, evalSeed: f['eval-seed'] as number });
      const bar = f.json ? null : new ProgressBar(method.id, settings.steps, 'steps');
      const result = await opened.experiment.run(method, settings, {
        bgd, seed: f.seed as number, lastBlocks: lastBlocks || undefined,
        onStep: bar ? (s) => bar.update(s.step, `loss ${s.loss.toFixed(3)} forget NLL ${s.forgetNll.toFixed(2)} retain NLL ${s.retainNll.toFixed(2)}`) : undefined,
      });
      const config = runConfig(opened, method, settings, { bgd, seed: f.seed as number, evalSeed: f['eval-seed'] as number, lastBlocks });
      if (!result.report) {
        const why = `the run diverged at step ${result.outcome.step}: ${result.outcome.reason}. The starting (Finetune) weights are untouched${save ? '; nothing was saved' : ''}.`;
        if (f.json) console.log(JSON.stringify({ diverged: { step: result.outcome.step, reason: result.outcome.reason }, config, timing: result.timing }));
        console.error(`pebench unlearn: ${why}`);
        return 1;
      }
      // A failed --save must not lose the run: the report is printed anyway, the model saved elsewhere.
      const saveFailure = save ? await saveModel(save, opened, result, config) : null;
      const saved = save && !saveFailure ? save : null;
      if (f.json) {
        console.log(JSON.stringify({ ...reportJson(result.report, { config, timing: result.timing }), ...(saved ? { saved } : {}) }));
      } else {
        console.log(reportMarkdown(result.report, `${method.label} on ${describeRequest(request)}`));
        console.log(timingLine(result));
        if (saved) console.log(`saved the unlearned model to ${saved}`);
      }
      if (saveFailure) throw saveFailure;
      return 0;
    } finally {
      await opened?.experiment.dispose();
      await runtime.dispose();
    }
  },
};

export function describeRequest(request: OpenedExperiment['request']): string {
  const pct = (r: number | undefined) => `${Math.round((r ?? 0) * 100)}%`;
  const what = request.target === 'person' ? `persons ${pct(request.personRatio)}` : request.target === 'event' ? `events ${pct(request.eventRatio)}`
    : `persons ${pct(request.personRatio)} + events ${pct(request.eventRatio)}`;
  return `${what} (forget seed ${request.forgetSeed})`;
}

export function timingLine(result: RunReport): string {
  const t = result.timing;
  return `timing (${result.backend}): prepare ${t.prepareSeconds.toFixed(1)} s, ${t.steps} steps ${t.stepsSeconds.toFixed(1)} s ` +
    `(median ${t.medianStepMs?.toFixed(0) ?? '-'} ms/step), evaluation ${t.evalSeconds.toFixed(1)} s`;
}

/** Everything needed to replay a run. */
export function runConfig(opened: OpenedExperiment, method: MethodDef, settings: MethodSettings, extra: { bgd: boolean; seed: number; evalSeed: number; lastBlocks: number }) {
  const goal = 'unavailable' in opened.goal ? { unavailable: opened.goal.unavailable } : { dir: opened.goal.dir, modelHash: opened.goal.manifest.modelHash };
  return {
    method: method.id, bgd: extra.bgd, settings, request: opened.request, seed: extra.seed, evalSeed: extra.evalSeed,
    trainable: extra.lastBlocks ? { kind: 'lastBlocks', count: extra.lastBlocks } : { kind: 'lora', rank: settings.loraRank },
    world: opened.experiment.world.config,
    model: { dir: opened.finetune.dir, modelHash: opened.finetune.manifest.modelHash }, goal,
    evalSample: Object.fromEntries(Object.entries(opened.experiment.plan).map(([k, v]) => [k, Array.isArray(v) ? v.length : Object.fromEntries(Object.entries(v).map(([a, b]) => [a, (b as unknown[]).length]))])),
  };
}

/** Writes the unlearned model to the new folder `dir` (whole or not at all); on failure saves it elsewhere and returns the error to report. */
async function saveModel(dir: string, opened: OpenedExperiment, result: RunReport, config: ReturnType<typeof runConfig>): Promise<CliError | null> {
  const { cfg, tokenizer } = opened.finetune;
  const write = async (folder: string) => {
    await exportModel(new FolderFiles(folder), cfg, result.params, tokenizer, {
      kind: 'unlearned', world: opened.experiment.world.config, from: opened.finetune.manifest.modelHash, unlearning: config,
    });
  };
  try {
    await writeFolderAtomic(dir, 'unlearn', write);
    return null;
  } catch (error) {
    const rescued = await rescueFolder('unlearned-model', 'unlearn', write);
    return new CliError(
      `could not save --save ${dir} (${errorCode(error)}); nothing was left there. The report is printed above` +
        `${rescued ? ` and the unlearned model was saved to ${rescued}` : ', but the model could not be saved elsewhere either'}: free some space or choose another --save.`,
      1,
    );
  }
}
