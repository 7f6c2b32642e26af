// Fixed training problems for parity checks: the same bytes, initial state and batches on every
// backend, built from seeded RNG streams so Node and the browser construct identical inputs.
// Not a benchmark and not a model: just enough to compare per-step losses across backends.
import { Rng } from '../../core/rng.ts';
import type { HostTensor } from '../types.ts';
import { tinyTransformerCase } from './engine-case.ts';
import { toyStepGraph } from './toy-step-graph.ts';

export interface ParityCase {
  readonly name: string;
  readonly graph: Uint8Array;
  /** Values of the state and constant inputs. */
  readonly initial: Readonly<Record<string, HostTensor>>;
  /** Batch feeds, cycled over the steps. */
  readonly batches: readonly Readonly<Record<string, HostTensor>>[];
  readonly lr: number;
  readonly steps: number;
}

export type ParityCaseName = 'toy-regression' | 'tiny-transformer';
export const PARITY_CASES: readonly ParityCaseName[] = ['toy-regression', 'tiny-transformer'];

export function buildParityCase(name: string, steps = 5): ParityCase {
  if (name === 'toy-regression') return toyRegressionCase(steps);
  if (name === 'tiny-transformer') return tinyTransformerCase(steps);
  throw new Error(`unknown parity case "${name}"; known: ${PARITY_CASES.join(', ')}`);
}

export function floatTensor(dims: readonly number[], fill: (i: number) => number): HostTensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return { type: 'float32', dims: [...dims], data };
}

/** y = x @ trueW + bias + noise over two alternating batches; W and its momentum start at zero. */
export function toyRegressionCase(steps: number, shape = { batch: 8, inDim: 6, outDim: 3 }): ParityCase {
  const rng = new Rng(20240611, 'runtime-parity-toy');
  const trueW = floatTensor([shape.inDim, shape.outDim], () => rng.normal());
  const bias = floatTensor([shape.outDim], () => rng.normal() * 0.1);
  const batch = () => {
    const x = floatTensor([shape.batch, shape.inDim], () => rng.normal());
    const y = floatTensor([shape.batch, shape.outDim], (i) => {
      const row = Math.floor(i / shape.outDim);
      const col = i % shape.outDim;
      let sum = Number(bias.data[col]) + 0.01 * rng.normal();
      for (let k = 0; k < shape.inDim; k++) sum += Number(x.data[row * shape.inDim + k]) * Number(trueW.data[k * shape.outDim + col]);
      return sum;
    });
    return { x, y };
  };
  return {
    name: 'toy-regression',
    graph: toyStepGraph(shape),
    initial: {
      W: floatTensor([shape.inDim, shape.outDim], () => 0),
      m_W: floatTensor([shape.inDim, shape.outDim], () => 0),
      bias,
    },
    batches: [batch(), batch()],
    lr: 0.1,
    steps,
  };
}
