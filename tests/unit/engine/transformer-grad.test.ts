// Whole-graph gradient check: a 2-layer tiny transformer training step in float64 with plain SGD at
// lr = 1 returns new_p = p - grad, so p - new_p is the analytic gradient of every parameter; central
// differences of the step's own `loss` output are the oracle. A few entries per tensor are sampled.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { initialState } from '../../../src/engine/index.ts';
import { tinyTransformer, TINY_INPUTS, type TinyTransformerOptions } from '../../../src/engine/reference/tiny-transformer.ts';
import { toyBatch } from '../../../src/engine/reference/toy-tasks.ts';
import { checkStepGradients, randomData, type Feeds } from './harness.ts';

async function checkWholeStep(extra: Partial<TinyTransformerOptions>, perturbState?: (state: Feeds, rng: Rng) => void) {
  const model = tinyTransformer({
    layers: 2, dModel: 8, heads: 2, vocab: 7, seq: 4, batch: 2, dtype: 'float64', seed: 5,
    optimizer: { kind: 'sgd' }, clipNorm: 0, ...extra,
  });
  const step = model.step!;
  const rng = new Rng(9, 'transformer-grad');
  const batch = toyBatch('copy', rng, 2, 4, 7, 'float64');
  batch.mask.fill(1);
  const state: Feeds = initialState(step);
  perturbState?.(state, rng);
  const data = { [TINY_INPUTS.tokens]: batch.tokens, [TINY_INPUTS.targets]: batch.targets, [TINY_INPUTS.mask]: batch.mask };
  return checkStepGradients(step, data, rng, state);
}

describe('whole 2-layer transformer step: every parameter tensor matches finite differences', () => {
  test('rotary positions, tied embeddings', async () => {
    const r = await checkWholeStep({ positions: 'rotary', tiedEmbeddings: true });
    expect(r.tensors).toBe(20);
    expect(r.bad).toEqual([]);
    expect(r.worst).toBeLessThan(1e-6);
  });

  test('learned positions, separate LM head', async () => {
    const r = await checkWholeStep({ positions: 'learned', tiedEmbeddings: false });
    expect(r.tensors).toBe(22);
    expect(r.bad).toEqual([]);
  });

  test('LoRA adapters on attention (non-zero B so every adapter gradient is informative)', async () => {
    const r = await checkWholeStep({ lora: { rank: 2, alpha: 4 } }, (state, rng) => {
      for (const name of Object.keys(state)) {
        if (name.endsWith('.lora_b')) state[name] = randomData(rng, state[name].length, 0.5);
      }
    });
    expect(r.tensors).toBe(16); // 2 layers x 4 projections x (A, B)
    expect(r.bad).toEqual([]);
  });
});
