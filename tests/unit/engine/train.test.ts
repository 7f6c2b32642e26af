// Training works end to end: the tiny transformer fixture learns toy sequence tasks with the in-graph
// AdamW step on ORT-node, reaching ~100% accuracy on fresh batches.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { tinyTransformer, TINY_INPUTS } from '../../../src/engine/reference/tiny-transformer.ts';
import { maskedAccuracy, toyBatch, type ToyTask } from '../../../src/engine/reference/toy-tasks.ts';
import { StepLoop } from './harness.ts';

async function train(task: ToyTask, positions: 'rotary' | 'learned', steps: number) {
  const shape = { layers: 2, dModel: 32, heads: 2, vocab: 12, seq: 16, batch: 16 };
  const model = tinyTransformer({ ...shape, positions, outputLogits: true, seed: 3 });
  const loop = await StepLoop.create(model.step!);
  const rng = new Rng(11, `toy/${task}`);
  const feeds = (b: ReturnType<typeof toyBatch>) => ({ [TINY_INPUTS.tokens]: b.tokens, [TINY_INPUTS.targets]: b.targets, [TINY_INPUTS.mask]: b.mask });
  const losses: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const lr = 1e-2 * Math.min(1, (i + 1) / 20);
    const r = await loop.run(feeds(toyBatch(task, rng, shape.batch, shape.seq, shape.vocab)), lr);
    expect(r.finite).toBe(true);
    losses.push(r.loss);
  }
  const ms = performance.now() - t0;
  // Evaluate on a fresh batch with lr = 0 (the returned state is not kept for the accuracy read).
  const test = toyBatch(task, rng, shape.batch, shape.seq, shape.vocab);
  const r = await loop.run(feeds(test), 0);
  const accuracy = maskedAccuracy(r.results.logits.data as Float32Array, test, shape.vocab);
  await loop.release();
  return { first: losses[0], last: r.loss, accuracy, ms };
}

describe('tiny transformer training', () => {
  test('learns the copy task with rotary positions', async () => {
    const r = await train('copy', 'rotary', 300);
    console.log(`copy/rotary: loss ${r.first.toFixed(3)} -> ${r.last.toFixed(4)}, accuracy ${r.accuracy}, ${r.ms.toFixed(0)} ms`);
    expect(r.first).toBeGreaterThan(2);
    expect(r.last).toBeLessThan(0.05);
    expect(r.accuracy).toBe(1);
  });

  test('learns the reverse task with learned positions', async () => {
    const r = await train('reverse', 'learned', 300);
    console.log(`reverse/learned: loss ${r.first.toFixed(3)} -> ${r.last.toFixed(4)}, accuracy ${r.accuracy}, ${r.ms.toFixed(0)} ms`);
    expect(r.last).toBeLessThan(0.05);
    expect(r.accuracy).toBe(1);
  });
});
