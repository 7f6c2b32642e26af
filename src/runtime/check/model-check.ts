// The model self-check page (model-check.html?model=pebench-tiny&count=24): loads `<base>/models/<model>/`
// with the lab's runtime (loadModel + Answerer, onnxruntime-web WASM) and with transformers.js (fp32,
// WASM, no remote loading), asks both the same fresh-render questions greedily and prints a JSON report
// into #result (data-status done|error); ?mode=timing&count=7 times the lab's probe against transformers.js
// instead (probe-timing.ts). Used by tests/e2e/model-parity.spec.ts and bench:lab. Not the lab's UI.
import { loadModel } from '../../model/export.ts';
import { normalizePixels } from '../../model/pixels.ts';
import { UrlFiles } from '../../model/url-files.ts';
import { createWorld, renderImage, type ImageKey } from '../../world/index.ts';
import { Answerer, openRuntime } from '../index.ts';
import { defaultWasmPrefix } from '../ort-web.ts';
import { openTransformersModel } from './hf-answers.ts';
import { modelCheckCases } from './model-cases.ts';
import { runProbeTiming } from './probe-timing.ts';

const MAX_NEW_TOKENS = 48;
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface ModelCheckAnswer {
  key: ImageKey;
  question: string;
  lab: { tokens: number[]; text: string; stop: 'eos' | 'length' };
  /** Generated ids after the prompt exactly as transformers.js returned them (not cut at <eos>). */
  hf: { tokens: number[]; text: string };
}

export interface ModelCheckReport {
  model: string;
  modelHash: string;
  count: number;
  maxNewTokens: number;
  /** True when every lab answer equals transformers.js's tokens cut after the first <eos>. */
  equal: boolean;
  mismatches: { index: number; key: ImageKey; question: string; lab: string; hf: string }[];
  answers: ModelCheckAnswer[];
  backend: string;
  threads: { lab: number; transformers: number };
  /** Wall-clock seconds: loading each side, answering each side, and the whole run. */
  timings: { labLoad: number; hfLoad: number; labAnswer: number; hfAnswer: number };
  seconds: number;
  crossOriginIsolated: boolean;
}

/** transformers.js's ids up to and including the first <eos> (what the lab's generate() stops at). */
function cutAtEos(tokens: readonly number[], eos: number): number[] {
  const at = tokens.indexOf(eos);
  return at >= 0 ? tokens.slice(0, at + 1) : [...tokens];
}

const sameTokens = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((t, i) => t === b[i]);
const secondsSince = (start: number) => Math.round((performance.now() - start) / 10) / 100;

async function runCheck(name: string, count: number, progress: (line: string) => void): Promise<ModelCheckReport> {
  const started = performance.now();
  const modelsPath = `${import.meta.env.BASE_URL.replace(/\/?$/, '/')}models/`;
  const world = createWorld();
  const cases = modelCheckCases(world, count);

  progress(`loading ${modelsPath}${name}/ with the lab's runtime...`);
  let t = performance.now();
  const loaded = await loadModel(new UrlFiles(new URL(`${modelsPath}${name}/`, location.href)));
  const runtime = await openRuntime({ backend: 'wasm' });
  const answerer = await Answerer.open(runtime, loaded, name);
  const labLoad = secondsSince(t);

  progress('loading it with transformers.js...');
  t = performance.now();
  const hf = await openTransformersModel(name, modelsPath, defaultWasmPrefix(), runtime.threads);
  const hfLoad = secondsSince(t);

  const size = loaded.cfg.imageSize;
  const images = cases.map((c) => renderImage(world, c.key, size));
  progress(`answering ${count} questions with the lab's runtime...`);
  t = performance.now();
  const lab = await answerer.answer(cases.map((c, i) => ({ question: c.question, pixels: normalizePixels(loaded.cfg, images[i]) })), { maxNewTokens: MAX_NEW_TOKENS });
  const labAnswer = secondsSince(t);

  t = performance.now();
  const hfTokens: number[][] = [];
  for (const [i, c] of cases.entries()) {
    progress(`answering question ${i + 1} of ${count} with transformers.js...`);
    hfTokens.push(await hf.answer(images[i], size, c.question, MAX_NEW_TOKENS));
  }
  const hfAnswer = secondsSince(t);

  const eos = loaded.tokenizer.ids.eos;
  const answers: ModelCheckAnswer[] = cases.map((c, i) => ({
    key: c.key,
    question: c.question,
    lab: { tokens: lab[i].tokens, text: lab[i].text, stop: lab[i].stop },
    hf: { tokens: hfTokens[i], text: hf.decode(cutAtEos(hfTokens[i], eos)) },
  }));
  const mismatches = answers.flatMap((a, index) =>
    sameTokens(a.lab.tokens, cutAtEos(a.hf.tokens, eos)) ? [] : [{ index, key: a.key, question: a.question, lab: a.lab.text, hf: a.hf.text }],
  );
  const report: ModelCheckReport = {
    model: name,
    modelHash: loaded.manifest.modelHash,
    count,
    maxNewTokens: MAX_NEW_TOKENS,
    equal: mismatches.length === 0,
    mismatches,
    answers,
    backend: runtime.backend,
    threads: { lab: runtime.threads, transformers: hf.threads },
    timings: { labLoad, hfLoad, labAnswer, hfAnswer },
    seconds: secondsSince(started),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
  await Promise.all([answerer.dispose(), hf.dispose()]);
  await runtime.dispose();
  return report;
}

async function main(): Promise<void> {
  const output = document.getElementById('result')!;
  const params = new URLSearchParams(location.search);
  const name = params.get('model') ?? 'pebench-tiny';
  const timing = params.get('mode') === 'timing';
  const count = Number(params.get('count') ?? (timing ? 7 : 24));
  output.dataset.status = 'running';
  try {
    if (!MODEL_NAME.test(name)) throw new Error(`model must be a folder name under models/ (letters, digits, '.', '_', '-'), got "${name}"`);
    if (!['parity', 'timing'].includes(params.get('mode') ?? 'parity')) throw new Error(`mode must be parity (the default) or timing, got "${params.get('mode')}"`);
    const progress = (line: string) => (output.textContent = line);
    const report = timing ? await runProbeTiming(name, count, progress) : await runCheck(name, count, progress);
    output.textContent = JSON.stringify(report, null, 2);
    output.dataset.status = 'done';
  } catch (error) {
    output.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    output.dataset.status = 'error';
  }
}

void main();
