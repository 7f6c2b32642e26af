// The self-check page's timing mode (model-check.html?mode=timing&count=7): one question at a time,
// answered by the lab's probe code (the worker's checkQuestion + answerProbe on sessions opened as the
// lab opens them) and by transformers.js's processor + generate(), same model folder, WASM threads,
// fresh renders, questions and max new tokens; one warm-up each, then alternating calls timed with
// performance.now(). Not here: the lab's worker, UI or probe cache (the bench's round trip has those).
import { loadModel } from '../../model/export.ts';
import { normalizePixels } from '../../model/pixels.ts';
import { UrlFiles } from '../../model/url-files.ts';
import { answerProbe, checkQuestion, PROBE_ANSWER_TOKENS } from '../../worker/lab-probe.ts';
import { createWorld, renderImage } from '../../world/index.ts';
import { openInferenceSessions, openRuntime } from '../index.ts';
import { defaultWasmPrefix } from '../ort-web.ts';
import { openTransformersModel } from './hf-answers.ts';
import { modelCheckCases } from './model-cases.ts';

/** The two questions `npm run bench:lab` asks the lab's probe. */
export const TIMING_QUESTIONS = ['Who is this person?', 'What event is taking place in this image?'] as const;

export interface EngineTiming {
  /** ms per call from the RGBA render to token ids: preprocessing, tokenization and greedy decoding. */
  totalMs: number[];
  /** ms per call without the input checks and preprocessing (lab: answerProbe, i.e. prompt ids + generate; transformers.js: model.generate()). */
  generateMs: number[];
  medianMs: number;
  medianGenerateMs: number;
  threads: number;
}

export interface ProbeTimingReport {
  mode: 'timing';
  model: string;
  images: number;
  calls: number;
  maxNewTokens: number;
  lab: EngineTiming;
  transformers: EngineTiming;
  /**
   * The median over calls of lab / transformers.js on the same image and question (asked back to
   * back, who goes first alternating): the answers differ in length by question, so the ratio of
   * the two overall medians swings with where the middle of a two-humped sample falls.
   */
  ratio: number;
  /** lab median / transformers.js median (totals), for reference. */
  ratioOfMedians: number;
  /** Every call's answers agree token for token (lab vs transformers.js cut after <eos>). */
  equal: boolean;
  mismatches: { question: string; lab: number[]; hf: number[] }[];
  /** Generated tokens per call (lab), so a reader sees how long each decode ran. */
  answerTokens: number[];
  /** Medians per question (answers differ in length: the event answers are longer). */
  byQuestion: { question: string; labMs: number; transformersMs: number; answerTokens: number }[];
  crossOriginIsolated: boolean;
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runProbeTiming(name: string, count: number, progress: (line: string) => void): Promise<ProbeTimingReport> {
  const modelsPath = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}models/`;
  progress(`loading ${modelsPath}${name}/ with the lab's runtime and with transformers.js...`);
  const loaded = await loadModel(new UrlFiles(new URL(`${modelsPath}${name}/`, location.href)));
  const runtime = await openRuntime({ backend: 'wasm' });
  const sessions = await openInferenceSessions(runtime, loaded.cfg, loaded.files, `${name} (probe timing)`);
  const hf = await openTransformersModel(name, modelsPath, defaultWasmPrefix(), runtime.threads);
  const { cfg, tokenizer } = loaded;
  const world = createWorld();
  // Case 0 is the warm-up image; the others are timed. Fresh renders (variant 1), made up front.
  const images = modelCheckCases(world, count + 1).map((c) => renderImage(world, c.key, cfg.imageSize));

  const idOf = new Map(tokenizer.vocab.map((token, id) => [token, id]));
  const askLab = async (rgba: Uint8ClampedArray, question: string) => {
    const t0 = performance.now();
    const text = checkQuestion(question, tokenizer, cfg, true);
    const pixels = normalizePixels(cfg, rgba);
    const t1 = performance.now();
    const { answer } = await answerProbe(sessions, tokenizer, text, pixels);
    const t2 = performance.now();
    return { tokens: answer.tokens.map((t) => idOf.get(t.token) ?? -1), totalMs: t2 - t0, generateMs: t2 - t1 };
  };
  const askHf = async (rgba: Uint8ClampedArray, question: string) => {
    const t0 = performance.now();
    const { tokens, generateMs } = await hf.timedAnswer(rgba, cfg.imageSize, question, PROBE_ANSWER_TOKENS);
    return { tokens, totalMs: performance.now() - t0, generateMs };
  };

  progress('warming up both engines...');
  await askLab(images[0], TIMING_QUESTIONS[0]);
  await askHf(images[0], TIMING_QUESTIONS[0]);

  const lab = { totalMs: [] as number[], generateMs: [] as number[] };
  const trans = { totalMs: [] as number[], generateMs: [] as number[] };
  const mismatches: ProbeTimingReport['mismatches'] = [];
  const answerTokens: number[] = [];
  const asked: string[] = [];
  const eos = tokenizer.ids.eos;
  let call = 0;
  for (let i = 1; i <= count; i++) {
    for (const question of TIMING_QUESTIONS) {
      progress(`image ${i} of ${count}: ${question}`);
      // Alternate which engine goes first, so a slow spell on a busy machine hits both alike.
      const labFirst = call++ % 2 === 0;
      const a = labFirst ? await askLab(images[i], question) : await askHf(images[i], question);
      const b = labFirst ? await askHf(images[i], question) : await askLab(images[i], question);
      const [l, h] = labFirst ? [a, b] : [b, a];
      lab.totalMs.push(round(l.totalMs));
      lab.generateMs.push(round(l.generateMs));
      trans.totalMs.push(round(h.totalMs));
      trans.generateMs.push(round(h.generateMs));
      answerTokens.push(l.tokens.length);
      asked.push(question);
      const at = h.tokens.indexOf(eos);
      const hfCut = at >= 0 ? h.tokens.slice(0, at + 1) : h.tokens;
      if (hfCut.length !== l.tokens.length || hfCut.some((t, k) => t !== l.tokens[k])) mismatches.push({ question, lab: l.tokens, hf: h.tokens });
    }
  }
  const engine = (t: typeof lab, threads: number): EngineTiming => ({
    ...t, medianMs: round(median(t.totalMs)), medianGenerateMs: round(median(t.generateMs)), threads,
  });
  const report: ProbeTimingReport = {
    mode: 'timing', model: name, images: count, calls: call, maxNewTokens: PROBE_ANSWER_TOKENS,
    lab: engine(lab, runtime.threads), transformers: engine(trans, hf.threads),
    ratio: Math.round(median(lab.totalMs.map((ms, k) => ms / trans.totalMs[k])) * 100) / 100,
    ratioOfMedians: Math.round((median(lab.totalMs) / median(trans.totalMs)) * 100) / 100,
    equal: mismatches.length === 0, mismatches, answerTokens,
    byQuestion: TIMING_QUESTIONS.map((question) => {
      const of = (xs: number[]) => median(xs.filter((_, k) => asked[k] === question));
      return { question, labMs: round(of(lab.totalMs)), transformersMs: round(of(trans.totalMs)), answerTokens: of(answerTokens) };
    }),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
  await Promise.all([sessions.dispose(), hf.dispose()]);
  await runtime.dispose();
  return report;
}
