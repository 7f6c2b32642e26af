// Shared test data for the storage tests: a small LabState whose tensors include the float32 edge
// values (-0, subnormals, the largest finite) that a bit-exact round trip must keep, and metadata.
import { Rng } from '../../../src/core/rng.ts';
import { LAB_STATE_SCHEMA, type LabState } from '../../../src/storage/lab-state.ts';

export const MODEL_HASH = 'ab12'.repeat(16);

export function sampleState(seed = 1, step = 3): LabState {
  const rng = new Rng(seed);
  const values = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.1);
  const special = Float32Array.from([-0, 0, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 1.1754943508222875e-38, Math.PI]);
  return {
    schema: LAB_STATE_SCHEMA,
    modelHash: MODEL_HASH,
    config: { request: { target: 'person', personRatio: 0.05, forgetSeed: 2 }, method: 'npo', settings: { lr: 1e-3, beta: 0.1, steps: 12 }, bgd: true, seed: seed, lastBlocks: 0 },
    step,
    tensors: {
      'decoder.0.q.lora_a': { dims: [4, 3], data: values(12) },
      'decoder.0.q.lora_b': { dims: [3, 4], data: values(12) },
      'adam.m.decoder.0.q.lora_a': { dims: [8], data: special },
      'scalar.odd': { dims: [1, 1, 5], data: values(5) },
    },
  };
}

export const META = { label: 'after 3 steps', savedAt: '2026-03-04T05:06:07.000Z', method: 'NPO + BGD', metrics: { forget: 0.25, retain: 0.9 } };
