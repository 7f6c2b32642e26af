// Glue between PE-Tiny's graphs and whoever runs them: serialise a training step with its starting
// values (trainable state plus frozen weights fed as constant inputs, so one graph serves any
// weights), feed parameters to a scoring graph, read trained parameters back from step state, and
// fold LoRA adapters into the base weights for export.
// Not here: sessions (src/runtime) or the training loop (train*.ts).
import * as E from '../engine/index.ts';
import type { PeTinyConfig } from './config.ts';
import { checkParams, specMap, type Params } from './params.ts';
import type { HostFeed } from './sequence.ts';
import type { TrainGraph } from './vlm.ts';

const floatFeed = (dims: readonly number[], data: Float32Array): HostFeed => ({ type: 'float32', dims: [...dims], data });

/**
 * ONNX bytes of the step (frozen parameters as inputs `p:<name>`) and the initial value of every
 * non-batch input: TrainSession.create(runtime, model, { initial }) takes both as they are.
 */
export function trainFeeds(train: TrainGraph): { model: Uint8Array; initial: Record<string, HostFeed> } {
  const { graph } = train.step;
  const model = E.toOnnx(graph, { frozenParams: 'inputs', graphName: 'pe_tiny_train_step' }).model;
  const initial: Record<string, HostFeed> = {};
  const state = E.initialState(train.step);
  for (const slot of train.step.state) initial[slot.input] = floatFeed(slot.shape, state[slot.input] as Float32Array);
  for (const p of graph.params.values()) {
    if (!p.trainable) initial[p.tensor.name] = floatFeed(p.tensor.shape as number[], p.data as Float32Array);
  }
  return { model, initial };
}

/** Feeds `p:<name>` for every parameter a graph exported with frozenParams 'inputs' takes. */
export function paramFeeds(graph: E.Graph, params: Params): Record<string, HostFeed> {
  const feeds: Record<string, HostFeed> = {};
  for (const p of graph.params.values()) {
    const value = params[p.name] ?? p.data;
    if (!value) throw new Error(`no value for parameter ${p.name}`);
    feeds[p.tensor.name] = floatFeed(p.tensor.shape as number[], value as Float32Array);
  }
  return feeds;
}

/**
 * `base` with every `p:<name>` found in `state` (e.g. TrainSession.readParams()) replacing its
 * value; LoRA adapters (`<weight>.lora_a/_b`) come along under their own names.
 */
export function paramsFromState(base: Params, state: Readonly<Record<string, { data: ArrayLike<number> | ArrayBufferView }>>): Params {
  const out: Params = { ...base };
  for (const [input, value] of Object.entries(state)) {
    if (!input.startsWith(E.PARAM_PREFIX)) continue;
    out[input.slice(E.PARAM_PREFIX.length)] = Float32Array.from(value.data as ArrayLike<number>);
  }
  return out;
}

/** Base parameters with each adapted weight replaced by W + (alpha / rank) A B; adapters dropped. */
export function mergeLora(cfg: PeTinyConfig, params: Params, alpha: number): Params {
  const shapes = specMap(cfg);
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) if (!/\.lora_[ab]$/.test(name)) out[name] = value;
  for (const name of Object.keys(params)) {
    if (!name.endsWith('.lora_a')) continue;
    const weight = name.slice(0, -'.lora_a'.length);
    const a = params[name];
    const b = params[`${weight}.lora_b`];
    const w = params[weight];
    if (!b || !w) throw new Error(`LoRA adapter ${name} has no matching ${weight}.lora_b or base weight`);
    const [inDim, outDim] = shapes.get(weight)?.shape ?? [];
    if (inDim === undefined) throw new Error(`LoRA adapter ${name} adapts ${weight}, which is not a weight matrix of PE-Tiny`);
    const rank = a.length / inDim;
    out[weight] = E.mergeLoraWeights(w, a, b, inDim, outDim, rank, alpha / rank);
  }
  checkParams(cfg, out);
  return out;
}
