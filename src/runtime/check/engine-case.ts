// Turns an engine training step (src/engine buildTrainStep) into runtime inputs: the ONNX bytes,
// every state input's starting value as a host tensor, and the parity case of the engine's tiny
// reference transformer (src/engine/reference, pure TypeScript, so the browser check page builds it too).
// Not a model: the lab's own model lives in src/model.
import { Rng } from '../../core/rng.ts';
import { initialState, toOnnx, type TrainStep } from '../../engine/index.ts';
import { TINY_INPUTS, tinyTransformer, type TinyTransformerOptions } from '../../engine/reference/tiny-transformer.ts';
import { toyBatch } from '../../engine/reference/toy-tasks.ts';
import type { HostTensor } from '../types.ts';
import type { ParityCase } from './cases.ts';

export interface EmittedStep {
  graph: Uint8Array;
  initial: Record<string, HostTensor>;
}

/** ONNX bytes and initial state (params from their data, optimizer moments at zero). */
export function emitTrainStep(step: TrainStep): EmittedStep {
  const values = initialState(step);
  const initial: Record<string, HostTensor> = {};
  for (const slot of step.state) {
    const data = values[slot.input];
    initial[slot.input] = { type: data instanceof Float64Array ? 'float64' : 'float32', dims: [...slot.shape], data };
  }
  return { graph: toOnnx(step.graph).model, initial };
}

/** Batches of the fixture's copy task as host tensors named like the fixture's inputs. */
export function copyTaskBatches(options: Pick<TinyTransformerOptions, 'batch' | 'seq' | 'vocab'>, count: number, seed: number): Record<string, HostTensor>[] {
  const rng = new Rng(seed, 'runtime-copy-batches');
  return Array.from({ length: count }, () => {
    const batch = toyBatch('copy', rng, options.batch, options.seq, options.vocab);
    const dims = [options.batch, options.seq];
    return {
      [TINY_INPUTS.tokens]: { type: 'int64', dims, data: batch.tokens },
      [TINY_INPUTS.targets]: { type: 'int64', dims, data: batch.targets },
      [TINY_INPUTS.mask]: { type: 'float32', dims, data: batch.mask },
    } satisfies Record<string, HostTensor>;
  });
}

/** The fixture at parity-test size (tiny, so SwiftShader WebGPU finishes in seconds), AdamW. */
export function tinyTransformerCase(steps: number): ParityCase {
  const options = { layers: 2, dModel: 32, heads: 4, vocab: 32, seq: 16, batch: 2, seed: 7 };
  const { step } = tinyTransformer(options);
  const emitted = emitTrainStep(step!);
  return {
    name: 'tiny-transformer',
    graph: emitted.graph,
    initial: emitted.initial,
    batches: copyTaskBatches(options, 2, 11),
    lr: 3e-3,
    steps,
  };
}
