// `pebench unlearn`: one forget request, one method, from the shipped Finetune model; prints the
// PEBench report (Markdown, or one JSON object with --json) and can save the unlearned model in the
// transformers.js layout. The method flags are generated from the registry (src/unlearning).
// Not here: the maths (src/unlearning), the metrics (src/eval), the full tables (`pebench bench`).
import { dirname, resolve } from 'node:path';
import { reportJson, reportMarkdown } from '../eval/report-format.ts';
import { exportModel } from '../model/export.ts';
import { FolderFiles } from '../model/node-files.ts';
import { openRuntime } from '../runtime/index.ts';
import { METHOD_CARDS, methodParams } from '../unlearning/cards.ts';
import type { RunReport } from '../unlearning/experiment.ts';
import { getMethod } from '../unlearning/registry.ts';
import { FORGET_TARGETS, RunConfigError, configFromFlags, runConfigFlags, runRecord, type RunConfig, type RunLimits } from '../unlearning/run-config.ts';
import { CliError, commandHelp, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import { checkFreeSpace, checkNewFolder } from './output-check.ts';
import { errorCode, rescueFolder, writeFolderAtomic } from './safe-write.ts';
import type { Command } from './commands.ts';
import { openExperiment, type OpenedExperiment } from './experiment-setup.ts';
import { modelWorld } from './eval-command.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { ProgressBar } from './progress.ts';
import { openAttack, relearnFlags, relearnFromFlags, relearnSections, robustnessJson, robustnessRows } from './relearn-flags.ts';

const flags = {
  ...runConfigFlags(),
  ...relearnFlags,
  'eval-seed': { kind: 'int', help: 'seed of the evaluation sample', default: 0 },
  json: { kind: 'boolean', help: 'print one JSON object', default: false },
  save: { kind: 'string', help: 'save the unlearned model (transformers.js layout) into this NEW folder' },
  model: { kind: 'string', help: `Finetune ${MODEL_FLAG_HELP}` },
  goal: { kind: 'string', help: 'Goal model folder (default: the one in models/ trained for this request, if any)' },
  threads: threadsFlag(),
} satisfies Record<string, FlagSpec>;

/** `check`'s result; a RunConfigError (every problem of a run config) becomes one CliError (exit 2). */
export function checkedForCli<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof RunConfigError) throw new CliError(error.message);
    throw error;
  }
}

/** The run config the flags name, checked against the model (every problem in one CliError). */
export const configFromCli = (values: Readonly<Record<string, unknown>>, limits: RunLimits | null): RunConfig =>
  checkedForCli(() => configFromFlags(values, limits));

export const unlearnCommand: Command = {
  name: 'unlearn',
  summary: 'unlearn persons, events or both with one method and print the PEBench report',
  help: commandHelp([
    'Usage: npx pebench unlearn --method M [--target person|event|both --forget R [--forget-seed S]] [--bgd]',
    '                           [--steps N --lr X --lambda L --beta B --batch B --lora-rank R] [--json] [--save DIR]',
    '                           [--relearn-steps K] [--relearn-on generality|text]',
    '',
    'Starts from the Finetune model, runs the method on the forget items, then evaluates: Efficacy,',
    'Generality, Retain, Scope, Real, World Fact per concept (docs/paper.md section 4; person columns 0-100,',
    'event columns 0-1 as in the paper), the cross-concept matrix, and the extras (answer probability,',
    'truth ratio, forget quality and PrivLeak against the Goal model when one exists).',
    '',
    'Methods:',
    ...METHOD_CARDS.map((m) => `  ${m.id.padEnd(4)} ${m.label}: ${m.summary}\n       ${m.objective}   [${m.citation}]\n` +
      FORGET_TARGETS.map((t) => `       defaults (${t}): ${methodParams(m, false, t).map((p) => `--${p.flag} ${p.default}`).join(' ')}`).join('\n')),
    '',
    'Defaults were chosen per kind of request by `pebench tune` on the tuning forget seed (docs/tuning.md).',
    '',
    'With --relearn-steps (or --relearn-on) the unlearned model then faces the relearning attack, and so',
    'does the Goal model, and the report adds a robustness summary: Efficacy under held-out wordings, fresh',
    'renders, text-only questions and after the attack, next to the Goal model\'s (docs/robustness.md).',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    const early = configFromCli(f, null); // what can be checked before the model is opened: refused before any work
    const relearn = relearnFromFlags(f, [early.request]);
    const save = f.save ? resolve(f.save) : null;
    if (save) checkNewFolder('--save', save);

    const finetune = await openModelDir(f.model);
    // The saved model is about as large as the Finetune model's files.
    if (save) checkFreeSpace('--save', dirname(save), finetune.manifest.files.reduce((sum, file) => sum + file.bytes, 0));
    const { world } = modelWorld(finetune);
    const config = configFromCli(f, { world, decoderLayers: finetune.cfg.decoder.layers });
    const method = getMethod(config.method);
    const { request, settings, bgd, seed, lastBlocks } = config;
    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads });
    let opened: OpenedExperiment | null = null;
    try {
      opened = await openExperiment(runtime, finetune, request, { goalDir: f.goal, evalSeed: f['eval-seed'] });
      const attack = relearn ? openAttack(opened.experiment, relearn, seed) : null;
      const bar = f.json ? null : new ProgressBar(method.id, settings.steps, 'steps');
      const result = await opened.experiment.run(method, settings, {
        bgd, seed, lastBlocks: lastBlocks || undefined,
        onStep: bar ? (s) => bar.update(s.step, `loss ${s.loss.toFixed(3)} forget NLL ${s.forgetNll.toFixed(2)} retain NLL ${s.retainNll.toFixed(2)}`) : undefined,
      });
      const record = runReportConfig(opened, config, f['eval-seed']);
      if (!result.report) {
        const why = `the run diverged at step ${result.outcome.step}: ${result.outcome.reason}. The starting (Finetune) weights are untouched${save ? '; nothing was saved' : ''}.`;
        if (f.json) console.log(JSON.stringify({ diverged: { step: result.outcome.step, reason: result.outcome.reason }, config: record, timing: result.timing }));
        console.error(`pebench unlearn: ${why}`);
        return 1;
      }
      // A failed --save must not lose the run: the report is printed anyway, the model saved elsewhere.
      const saveFailure = save ? await saveModel(save, opened, result, record) : null;
      const saved = save && !saveFailure ? save : null;
      const relearnReport = attack ? await attack.report(result.params, settings.loraRank) : null;
      const goalReport = attack ? await opened.experiment.goalReport() : null;
      const rows = robustnessRows(method.id.toUpperCase(), result.report, relearnReport, goalReport && !('unavailable' in goalReport) ? goalReport.report : null);
      if (f.json) {
        console.log(JSON.stringify({
          ...reportJson(result.report, { config: record, timing: result.timing }), robustness: robustnessJson(rows),
          ...(relearnReport ? { relearn: relearnReport } : {}), ...(saved ? { saved } : {}),
        }));
      } else {
        console.log(reportMarkdown(result.report, `${method.label} on ${describeRequest(request)}`));
        console.log(relearnSections(method.id.toUpperCase(), rows, relearnReport));
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

/** The run's record (run-config.ts) and what it ran on: everything needed to replay it. */
export function runReportConfig(opened: OpenedExperiment, config: RunConfig, evalSeed: number) {
  const goal = 'unavailable' in opened.goal ? { unavailable: opened.goal.unavailable } : { dir: opened.goal.dir, modelHash: opened.goal.manifest.modelHash };
  return {
    ...runRecord(config), evalSeed,
    world: opened.experiment.world.config,
    model: { dir: opened.finetune.dir, modelHash: opened.finetune.manifest.modelHash }, goal,
    evalSample: Object.fromEntries(Object.entries(opened.experiment.plan).map(([k, v]) => [k, Array.isArray(v) ? v.length : Object.fromEntries(Object.entries(v).map(([a, b]) => [a, (b as unknown[]).length]))])),
  };
}

/** Writes the unlearned model to the new folder `dir` (whole or not at all); on failure saves it elsewhere and returns the error to report. */
async function saveModel(dir: string, opened: OpenedExperiment, result: RunReport, config: ReturnType<typeof runReportConfig>): Promise<CliError | null> {
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
