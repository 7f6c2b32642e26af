// Divergence guard: a step fed NaN/Inf (in data, lr or step) reports finite = 0 and returns every
// new_* state bit-for-bit equal to its input; a healthy step afterwards trains normally.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { tinyTransformer, TINY_INPUTS } from '../../../src/engine/reference/tiny-transformer.ts';
import { toyBatch } from '../../../src/engine/reference/toy-tasks.ts';
import { GraphRunner, StepLoop, type Feeds } from './harness.ts';
import { initialState } from '../../../src/engine/index.ts';

const shape = { layers: 1, dModel: 16, heads: 2, vocab: 8, seq: 8, batch: 2 };

function bytesEqual(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const x = new Uint8Array(new Float32Array(a as Float32Array).buffer);
  const y = new Uint8Array(new Float32Array(b as Float32Array).buffer);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

describe('divergence guard', () => {
  const model = tinyTransformer({ ...shape, seed: 2 });
  const step = model.step!;
  const rng = new Rng(4, 'guard');
  const batch = toyBatch('copy', rng, shape.batch, shape.seq, shape.vocab);
  const data = (mask = batch.mask): Feeds => ({ [TINY_INPUTS.tokens]: batch.tokens, [TINY_INPUTS.targets]: batch.targets, [TINY_INPUTS.mask]: mask });

  const poisons: [string, (f: Feeds) => void][] = [
    ['NaN in the loss mask (data)', (f) => { const m = Float32Array.from(batch.mask); m[3] = NaN; f[TINY_INPUTS.mask] = m; }],
    ['+Inf in the loss mask (data)', (f) => { const m = Float32Array.from(batch.mask); m[5] = Infinity; f[TINY_INPUTS.mask] = m; }],
    ['NaN learning rate', (f) => { f.lr = Float32Array.of(NaN); }],
    ['Inf learning rate', (f) => { f.lr = Float32Array.of(Infinity); }],
    ['NaN step', (f) => { f.step = Float32Array.of(NaN); }],
  ];

  for (const [label, poison] of poisons) {
    test(`${label}: finite = 0 and every new_* equals its input exactly`, async () => {
      // Warm up two healthy steps so the AdamW moments are non-zero.
      const loop = await StepLoop.create(step);
      await loop.run(data(), 1e-2);
      await loop.run(data(), 1e-2);
      const runner = await GraphRunner.create(step.graph);
      const feeds: Feeds = { ...data(), ...loop.state, lr: Float32Array.of(1e-2), step: Float32Array.of(3) };
      poison(feeds);
      const out = await runner.run(feeds);
      expect(Number(out.finite.data[0])).toBe(0);
      for (const s of step.state) {
        expect(bytesEqual(out[s.output].data as Float32Array, loop.state[s.input]), s.output).toBe(true);
      }
      // The same feeds without poison do change the params.
      const healthy = await runner.run({ ...data(), ...loop.state, lr: Float32Array.of(1e-2), step: Float32Array.of(3) });
      expect(Number(healthy.finite.data[0])).toBe(1);
      expect(bytesEqual(healthy['new_p:embed'].data as Float32Array, loop.state['p:embed'])).toBe(false);
      await runner.release();
      await loop.release();
    });
  }

  test('a huge but finite lr is applied (the guard only rejects non-finite values)', async () => {
    const runner = await GraphRunner.create(step.graph);
    const state = initialState(step);
    const out = await runner.run({ ...data(), ...state, lr: Float32Array.of(1e3), step: Float32Array.of(1) });
    expect(Number(out.finite.data[0])).toBe(1);
    expect(bytesEqual(out['new_p:embed'].data as Float32Array, state['p:embed'])).toBe(false);
    await runner.release();
  });
});
