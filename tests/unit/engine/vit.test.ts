// The tiny ViT fixture: patchify (Reshape + Transpose) matches a direct patch extraction, the whole
// training step's gradients match finite differences in float64 (tanh GELU), and the float32 model
// (exact erf GELU) learns a toy "which quadrant is bright" task.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { patchify, tinyVit, VIT_INPUTS } from '../../../src/engine/reference/tiny-vit.ts';
import { GraphRunner, StepLoop, checkStepGradients, randomData } from './harness.ts';

/** Images (B, 1, 8, 8) of noise with one bright 4x4 quadrant; the label is that quadrant. */
function quadrants(rng: Rng, batch: number, dtype: E.FloatDType) {
  const pixels = randomData(rng, batch * 64, 0.3, dtype);
  const labels = new BigInt64Array(batch);
  for (let b = 0; b < batch; b++) {
    const q = rng.int(4);
    labels[b] = BigInt(q);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) pixels[b * 64 + (y + 4 * (q >> 1)) * 8 + x + 4 * (q & 1)] += 1.5;
  }
  return { [VIT_INPUTS.pixels]: pixels, [VIT_INPUTS.labels]: labels };
}

describe('tiny ViT fixture', () => {
  test('patchify equals direct patch extraction (conv-style C, p, p order)', async () => {
    const [b, c, hw, p] = [2, 3, 4, 2];
    const g = new E.Graph('float32');
    g.output('patches', patchify(g.input('img', [b, c, hw, hw]), p));
    const img = Float32Array.from({ length: b * c * hw * hw }, (_, i) => i);
    const out = (await (await GraphRunner.create(g)).run({ img })).patches;
    expect(out.dims).toEqual([b, 4, c * p * p]);
    const expected: number[] = [];
    for (let n = 0; n < b; n++) for (let py = 0; py < 2; py++) for (let px = 0; px < 2; px++)
      for (let ch = 0; ch < c; ch++) for (let y = 0; y < p; y++) for (let x = 0; x < p; x++)
        expected.push(img[((n * c + ch) * hw + py * p + y) * hw + px * p + x]);
    expect(Array.from(out.data as Float32Array)).toEqual(expected);
  });

  test('whole ViT step: every parameter tensor matches finite differences (float64)', async () => {
    const { step } = tinyVit({ batch: 2, channels: 1, image: 8, patch: 4, dModel: 8, heads: 2, layers: 1, classes: 4, dtype: 'float64', optimizer: { kind: 'sgd' } });
    const rng = new Rng(3, 'vit-grad');
    const r = await checkStepGradients(step, quadrants(rng, 2, 'float64'), rng);
    expect(r.tensors).toBe(step.params.length);
    expect(r.bad).toEqual([]);
    expect(r.worst).toBeLessThan(1e-6);
  });

  test('learns which quadrant is bright (float32, erf GELU)', async () => {
    const { step } = tinyVit({ batch: 16, channels: 1, image: 8, patch: 4, dModel: 16, heads: 2, layers: 1, classes: 4 });
    const loop = await StepLoop.create(step);
    const rng = new Rng(5, 'vit-train');
    let first = 0;
    for (let i = 0; i < 150; i++) {
      const r = await loop.run(quadrants(rng, 16, 'float32'), 1e-2);
      if (i === 0) first = r.loss;
    }
    const last = (await loop.run(quadrants(rng, 16, 'float32'), 0)).loss;
    expect(first).toBeGreaterThan(1);
    expect(last).toBeLessThan(0.1);
    await loop.release();
  });
});
