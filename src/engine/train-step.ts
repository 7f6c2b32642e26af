// buildTrainStep: turns a graph with a scalar loss into ONE training step = one session.run:
// forward + backward (trainable params only) + global-norm clip + divergence guard + optimizer.
//
// Naming convention (all float scalars have shape []):
//   inputs   your data inputs (as declared with graph.input)
//            lr            learning rate
//            step          1-based step count t (AdamW bias correction); advance it only when finite=1
//            p:<name>      every trainable param (frozen params are baked in as initializers)
//            m:<name>      AdamW first moment / SGD momentum buffer (zeros at start)
//            v:<name>      AdamW second moment (zeros at start)
//   outputs  loss, grad_norm (global L2 norm of the raw gradients, before clipping),
//            finite (1 = step applied, 0 = non-finite loss/grad_norm/lr/step: every new_* equals its input),
//            new_p:<name>, new_m:<name>, new_v:<name>  (feed them back as p:/m:/v: next step),
//            plus any outputs you declared yourself.
// Not here: running the step (src/runtime), learning-rate schedules (the caller feeds lr).
import type { Graph, ParamInfo } from './graph.ts';
import { backward } from './autodiff/backward.ts';
import {
  adamwScalars, adamwUpdate, allFinite, asFloat, clipScale, globalNorm, safeGrad, sgdScalars, sgdUpdate,
  type AdamWOptions, type SgdOptions, type StepScalars,
} from './optim.ts';
import type { Tensor } from './tensor.ts';

export type OptimizerConfig = ({ kind: 'adamw' } & AdamWOptions) | ({ kind: 'sgd' } & SgdOptions);

export interface TrainStepOptions {
  /** Scalar loss built on the graph. */
  loss: Tensor;
  optimizer: OptimizerConfig;
  /** Clip the global gradient norm to this value; omitted or <= 0 means no clipping. */
  clipNorm?: number;
  /** Which trainable params get weight decay. Default: matrices and embeddings (rank >= 2). */
  decay?: (param: ParamInfo) => boolean;
}

/** One value carried from step to step: feed output `output` back as input `input`. */
export interface StateSlot {
  param: string;
  input: string;
  output: string;
  shape: number[];
  /** 'param': starts as the param's data; 'zeros': starts at 0. */
  init: 'param' | 'zeros';
}

export interface TrainStep {
  graph: Graph;
  /** Names of the trained params, in graph order. */
  params: string[];
  state: StateSlot[];
}

export const TRAIN_NAMES = { lr: 'lr', step: 'step', loss: 'loss', gradNorm: 'grad_norm', finite: 'finite' } as const;

export function buildTrainStep(graph: Graph, options: TrainStepOptions): TrainStep {
  const trained = graph.trainableParams();
  if (trained.length === 0) throw new Error('buildTrainStep: the graph has no trainable params (graph.param(..., { trainable: true }))');
  const { loss, optimizer } = options;
  const decay = options.decay ?? ((p: ParamInfo) => p.tensor.rank >= 2);
  const lr = graph.input(TRAIN_NAMES.lr, []);
  const step = graph.input(TRAIN_NAMES.step, []);
  const grads = backward(loss, trained.map((p) => p.tensor));
  const norm = globalNorm(grads);
  const ok = allFinite([loss, norm, lr, step]);
  const clip = options.clipNorm && options.clipNorm > 0 ? clipScale(norm, options.clipNorm) : null;
  const scalars: StepScalars = { ok, lr, step, gradScale: clip };
  graph.output(TRAIN_NAMES.loss, loss);
  graph.output(TRAIN_NAMES.gradNorm, norm);
  graph.output(TRAIN_NAMES.finite, asFloat(ok));

  const state: StateSlot[] = [];
  const slot = (p: ParamInfo, prefix: string, init: StateSlot['init'], value: Tensor): void => {
    const input = prefix === 'p' ? p.tensor.name : `${prefix}:${p.name}`;
    const output = `new_${prefix}:${p.name}`;
    graph.output(output, value);
    state.push({ param: p.name, input, output, shape: p.tensor.shape as number[], init });
  };
  const moment = (prefix: string, p: ParamInfo) => graph.input(`${prefix}:${p.name}`, p.tensor.shape);

  if (optimizer.kind === 'adamw') {
    const k = adamwScalars(scalars, optimizer);
    trained.forEach((p, i) => {
      const u = adamwUpdate(k, p.tensor, safeGrad(scalars, grads[i]), moment('m', p), moment('v', p), decay(p));
      slot(p, 'p', 'param', u.param);
      slot(p, 'm', 'zeros', u.m);
      slot(p, 'v', 'zeros', u.v);
    });
  } else {
    const k = sgdScalars(scalars, optimizer);
    trained.forEach((p, i) => {
      const m = k.momentum > 0 ? moment('m', p) : null;
      const u = sgdUpdate(k, p.tensor, safeGrad(scalars, grads[i]), m, decay(p));
      slot(p, 'p', 'param', u.param);
      if (u.m) slot(p, 'm', 'zeros', u.m);
    });
  }
  return { graph, params: trained.map((p) => p.name), state };
}

/** Initial values of every state input (params from their data, moments as zeros). */
export function initialState(step: TrainStep): Record<string, Float32Array | Float64Array> {
  const out: Record<string, Float32Array | Float64Array> = {};
  const Arr = step.graph.dtype === 'float32' ? Float32Array : Float64Array;
  for (const s of step.state) {
    if (s.init === 'zeros') {
      out[s.input] = new Arr(s.shape.reduce((a, b) => a * b, 1));
      continue;
    }
    const data = step.graph.params.get(s.param)?.data;
    if (!data) throw new Error(`param '${s.param}' has no initial data: pass data to graph.param or setParamData`);
    out[s.input] = data.slice();
  }
  return out;
}
