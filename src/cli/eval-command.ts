// `pebench eval`: how well a model folder knows its world, per question type, on training renders,
// fresh renders and held-out paraphrases, plus text-only facts (src/eval/model-eval.ts). The world
// and, for a Goal model, the forget request come from the model's manifest. Prints a table, or with
// --json one object. Not here: PEBench's forget/retain columns (`pebench unlearn`, `pebench bench`).
import { CliError, commandHelp, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import type { Command } from './commands.ts';
import { MODEL_FLAG_HELP, openModelDir, type OpenedModel } from './model-dir.ts';
import { ProgressBar } from './progress.ts';
import { evaluateModel, type ModelEvalReport, type SetScores } from '../eval/model-eval.ts';
import { Answerer, openRuntime } from '../runtime/index.ts';
import { RESTORE_HINT } from '../model/manifest.ts';
import { ModelFitError, modelWorldOf } from '../unlearning/model-fit.ts';
import { makeSplits, type ForgetRequest, type World } from '../world/index.ts';

const flags = {
  model: { kind: 'string', help: MODEL_FLAG_HELP },
  images: { kind: 'int', help: 'person-event pairs sampled per image set', default: 200, min: 1 },
  persons: { kind: 'int', help: 'persons whose text facts are asked', default: 200, min: 1 },
  seed: { kind: 'int', help: 'sampling seed', default: 0 },
  batch: { kind: 'int', help: 'questions per generation batch', default: 32, min: 1, max: 1024 },
  threads: threadsFlag(),
  json: { kind: 'boolean', help: 'print one JSON object instead of a table', default: false },
} satisfies Record<string, FlagSpec>;

export const evalCommand: Command = {
  name: 'eval',
  summary: "score a model's answers per question type (train, fresh renders, held-out paraphrases, text facts)",
  help: commandHelp([
    'Usage: npx pebench eval [--model DIR] [--json] [--images N --persons N --seed S]',
    '',
    'Identity = name precision (the answer contains the full name); event score = mean of ROUGE-L and',
    'keyword recall (src/eval/scorers.ts); attributes, objects (POPE yes/no) and text facts = exact',
    'answer words. Scores are 0-1, each with its item count. With --json:',
    '{"train": {...}, "fresh": {...}, "heldOutParaphrase": {...}, "textOnly": x, ...} where each inner',
    'object has identity, eventName, eventScore, attributes, objects and n.',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    const model = await openModelDir(f.model);
    const { world, retainOnly } = modelWorld(model);
    const runtime = await openRuntime({ backend: 'cpu', threads: f.threads });
    const started = performance.now();
    try {
      const answerer = await Answerer.open(runtime, model, model.dir);
      const bar = f.json ? null : new ProgressBar('eval', 1, 'questions');
      const withProgress = {
        cfg: model.cfg,
        answer: (questions: Parameters<Answerer['answer']>[0]) => answerer.answer(questions, {
          batchSize: f.batch,
          onProgress: bar ? (done, total) => { bar.total = total; bar.update(done); } : undefined,
        }),
      };
      const { report } = await evaluateModel(world, withProgress, {
        images: f.images, persons: f.persons, seed: f.seed,
        retainOnly: retainOnly ? makeSplits(world, retainOnly) : undefined,
      });
      await answerer.dispose();
      const seconds = (performance.now() - started) / 1000;
      if (f.json) {
        console.log(JSON.stringify({ ...report, model: model.dir, modelHash: model.manifest.modelHash, seconds }));
      } else {
        console.log(formatReport(report, model, seconds));
      }
      return 0;
    } finally {
      await runtime.dispose();
    }
  },
};

/** The world a model was trained on (from its manifest; the default world otherwise) and its Goal request. */
export function modelWorld(model: OpenedModel): { world: World; retainOnly: ForgetRequest | null } {
  try {
    return modelWorldOf(model.manifest.meta, model.tokenizer.vocab);
  } catch (error) {
    if (!(error instanceof ModelFitError)) throw error;
    if (error.kind === 'vocabulary') throw new CliError(`${model.dir}: ${error.message}. Its manifest's meta.world should name the world it was trained on.`);
    if (error.kind === 'renders') throw new CliError(`${model.dir}: ${error.message}.`);
    throw new CliError(`${model.dir}/manifest.json: ${error.message}: ${RESTORE_HINT}`);
  }
}

function formatReport(report: ModelEvalReport, model: OpenedModel, seconds: number): string {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const header = ['set', 'identity', 'event name', 'event score', 'attributes', 'objects', 'n'];
  const rows = ([['train', report.train], ['fresh renders', report.fresh], ['held-out paraphrase', report.heldOutParaphrase]] as const).map(([name, s]) => [
    name, pct(s.identity), pct(s.eventName), s.eventScore === null ? 'n/a' : s.eventScore.toFixed(3), pct(s.attributes), pct(s.objects), String(s.n),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    `model ${model.dir} (${model.manifest.modelHash.slice(0, 12)}), ${seconds.toFixed(1)} s`,
    '',
    line(header),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
    '',
    `text-only facts: ${pct(report.textOnly)} of ${report.textOnlyN} (held-out wordings: ${pct(report.textOnlyHeldOut)} of ${report.textOnlyHeldOutN})`,
  ].join('\n');
}
