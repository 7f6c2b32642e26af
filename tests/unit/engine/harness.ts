// Test harness: serialises an engine Graph, runs it on onnxruntime-node (CPU, 1 thread) and checks
// gradients against central finite differences. Tests may import ORT; src/engine may not.
// Not a test file itself (no .test.ts suffix).
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../src/core/rng.ts';
import {
  Graph, backward, initialState, mul, reduceSum, toOnnx, type OnnxExportOptions, type Tensor, type TensorData, type TrainStep,
} from '../../../src/engine/index.ts';

export type Feeds = Record<string, TensorData>;
export type Results = Record<string, { data: TensorData; dims: readonly number[] }>;

/** One ORT session over an exported graph; param inputs default to the params' host data. */
export class GraphRunner {
  private constructor(private readonly graph: Graph, private readonly session: ort.InferenceSession) {}

  static async create(graph: Graph, options: OnnxExportOptions = {}): Promise<GraphRunner> {
    const { model } = toOnnx(graph, options);
    // ORT's extended fusions can rewrite float64 patterns into float32-only contrib kernels (x *
    // sigmoid(x) -> QuickGelu), so float64 graphs run with basic (constant-folding) optimisation.
    const graphOptimizationLevel = graph.dtype === 'float64' ? 'basic' : 'all';
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel });
    return new GraphRunner(graph, session);
  }

  /** `dims` gives the sizes of inputs with symbolic dims. */
  async run(feeds: Feeds = {}, dims: Record<string, number[]> = {}): Promise<Results> {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const name of this.session.inputNames) {
      const t = findInput(this.graph, name);
      const data = feeds[name] ?? this.graph.params.get(name.slice(2))?.data;
      if (!data) throw new Error(`no feed for input ${name}`);
      ortFeeds[name] = new ort.Tensor(t.dtype, data as Float32Array, dims[name] ?? (t.shape as number[]));
    }
    const out = await this.session.run(ortFeeds);
    const results: Results = {};
    for (const [k, v] of Object.entries(out)) results[k] = { data: v.data as TensorData, dims: v.dims };
    return results;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

function findInput(g: Graph, name: string): Tensor {
  const t = g.inputs.find((i) => i.name === name) ?? [...g.params.values()].find((p) => p.tensor.name === name)?.tensor;
  if (!t) throw new Error(`graph has no input ${name}`);
  return t;
}

/** A trainable param filled with scaled normal noise. */
export function randomParam(g: Graph, rng: Rng, name: string, shape: number[], scale = 1, offset = 0): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return g.param(name, shape, { data: Array.from({ length: n }, () => offset + scale * rng.normal()) });
}

export function randomData(rng: Rng, n: number, scale = 1, dtype: 'float32' | 'float64' = 'float64'): Float32Array | Float64Array {
  const values = Array.from({ length: n }, () => scale * rng.normal());
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
}

export interface GradCheckOptions {
  feeds?: Feeds;
  /** Entries checked per param (sampled without replacement). */
  samples?: number;
  step?: number;
  seed?: number;
}

export interface GradCheckReport {
  /** Largest |analytic - numeric| / (1e-4 + |numeric|) over the checked entries. */
  worst: number;
  checked: number;
  details: string[];
}

/**
 * Builds y = build(g) in a float64 graph, forms loss = sum(y * R) with a fixed random R, and compares
 * backward()'s gradients for every trainable param with central differences of the loss.
 */
export async function gradCheck(build: (g: Graph, rng: Rng) => Tensor, options: GradCheckOptions = {}): Promise<GradCheckReport> {
  const rng = new Rng(options.seed ?? 7, 'gradcheck');
  const g = new Graph('float64');
  const y = build(g, rng);
  const weights = y.size === 1 ? null : g.constant(Array.from(randomData(rng, y.size)), y.shape as number[]);
  const loss = weights ? reduceSum(mul(y, weights)) : y;
  const params = g.trainableParams();
  const grads = backward(loss, params.map((p) => p.tensor));
  g.output('loss', loss);
  params.forEach((p, i) => g.output(`grad:${p.name}`, grads[i]));
  const runner = await GraphRunner.create(g);
  const feeds = options.feeds ?? {};
  const base = await runner.run(feeds);
  const h = options.step ?? 1e-5;
  let worst = 0;
  let checked = 0;
  const details: string[] = [];
  for (const p of params) {
    const data = p.data as Float64Array;
    const analytic = base[`grad:${p.name}`].data as Float64Array;
    const picks = rng.sample([...data.keys()], Math.min(options.samples ?? 6, data.length));
    for (const j of picks) {
      const original = data[j];
      data[j] = original + h;
      const up = Number((await runner.run(feeds)).loss.data[0]);
      data[j] = original - h;
      const down = Number((await runner.run(feeds)).loss.data[0]);
      data[j] = original;
      const numeric = (up - down) / (2 * h);
      const err = Math.abs(analytic[j] - numeric) / (1e-4 + Math.abs(numeric));
      worst = Math.max(worst, err);
      checked++;
      if (err > 1e-6) details.push(`${p.name}[${j}]: analytic ${analytic[j]} numeric ${numeric}`);
    }
  }
  await runner.release();
  return { worst, checked, details };
}

/** Runs a TrainStep graph step after step, feeding every new_* output back as its input. */
export class StepLoop {
  readonly state: Record<string, Float32Array | Float64Array>;
  private t = 0;

  private constructor(private readonly runner: GraphRunner, private readonly step: TrainStep) {
    this.state = initialState(step);
  }

  static async create(step: TrainStep, options: OnnxExportOptions = {}): Promise<StepLoop> {
    return new StepLoop(await GraphRunner.create(step.graph, options), step);
  }

  /** One optimizer step; the step counter advances only when the graph reports finite = 1. */
  async run(data: Feeds, lr: number): Promise<{ loss: number; gradNorm: number; finite: boolean; results: Results }> {
    const Arr = this.step.graph.dtype === 'float32' ? Float32Array : Float64Array;
    const results = await this.runner.run({ ...data, ...this.state, lr: Arr.of(lr), step: Arr.of(this.t + 1) });
    const finite = Number(results.finite.data[0]) === 1;
    for (const s of this.step.state) this.state[s.input] = results[s.output].data as Float32Array;
    if (finite) this.t++;
    return { loss: Number(results.loss.data[0]), gradNorm: Number(results.grad_norm.data[0]), finite, results };
  }

  async release(): Promise<void> {
    await this.runner.release();
  }
}

/**
 * Whole-step gradient check for a float64 TrainStep built with SGD (no momentum, decay or clip):
 * at lr = 1, p - new_p is the analytic gradient; central differences of `loss` are the oracle.
 * `state` may be edited beforehand (e.g. non-zero LoRA B). Samples `samples` entries per tensor.
 */
export async function checkStepGradients(
  step: TrainStep, data: Feeds, rng: Rng, state: Feeds = initialState(step), samples = 3,
): Promise<{ worst: number; bad: string[]; tensors: number }> {
  const runner = await GraphRunner.create(step.graph);
  const feeds = (): Feeds => ({ ...state, ...data, lr: Float64Array.of(1), step: Float64Array.of(1) });
  const base = await runner.run(feeds());
  const h = 1e-5;
  let worst = 0;
  const bad: string[] = [];
  for (const slot of step.state) {
    const p = state[slot.input] as Float64Array;
    const updated = base[slot.output].data as Float64Array;
    for (const j of rng.sample([...p.keys()], Math.min(samples, p.length))) {
      const analytic = p[j] - updated[j];
      const original = p[j];
      p[j] = original + h;
      const up = Number((await runner.run(feeds())).loss.data[0]);
      p[j] = original - h;
      const down = Number((await runner.run(feeds())).loss.data[0]);
      p[j] = original;
      const numeric = (up - down) / (2 * h);
      const err = Math.abs(analytic - numeric) / (1e-4 + Math.abs(numeric));
      worst = Math.max(worst, err);
      if (err > 1e-6) bad.push(`${slot.param}[${j}]: analytic ${analytic}, numeric ${numeric}`);
    }
  }
  await runner.release();
  return { worst, bad, tensors: step.state.length };
}
