// The engine's own training-step graphs (tiny transformer fixture, AdamW; and its LoRA variant)
// through TrainSession on onnxruntime-node: the step contract is recognised, the loss falls,
// readParams returns exactly the weights, and a NaN learning rate is rejected without changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainSession, openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { copyTaskBatches, emitTrainStep } from '../../../src/runtime/check/engine-case.ts';
import { tinyTransformer } from '../../../src/engine/reference/tiny-transformer.ts';

const options = { layers: 1, dModel: 16, heads: 2, vocab: 16, seq: 8, batch: 2, seed: 3 };

describe('engine train steps in a TrainSession (cpu)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await openRuntime({ backend: 'cpu' });
  });
  afterAll(async () => {
    await runtime.dispose();
  });

  it('trains the tiny transformer and reads back only the weights', async () => {
    const { step } = tinyTransformer(options);
    const emitted = emitTrainStep(step!);
    const train = await TrainSession.create(runtime, emitted.graph, { initial: emitted.initial, label: 'tiny-transformer step' });
    expect(train.stateNames.length).toBe(3 * step!.params.length);
    expect(train.batchInputs.map((spec) => spec.name).sort()).toEqual(['loss_mask', 'targets', 'tokens']);
    const [batch] = copyTaskBatches(options, 1, 5);
    const losses: number[] = [];
    for (let t = 1; t <= 12; t++) losses.push((await train.step(batch, { lr: 1e-2, step: t })).loss);
    expect(losses[11]).toBeLessThan(losses[0] * 0.8);
    const params = await train.readParams();
    expect(Object.keys(params).sort()).toEqual(step!.params.map((name) => `p:${name}`).sort());
    const embed = params['p:embed'];
    expect(embed.dims).toEqual([options.vocab, options.dModel]);
    expect([...embed.data]).not.toEqual([...emitted.initial['p:embed'].data]);
    await train.dispose();
  });

  it('rejects a step with a NaN learning rate and keeps every state tensor', async () => {
    const { step } = tinyTransformer(options);
    const emitted = emitTrainStep(step!);
    const train = await TrainSession.create(runtime, emitted.graph, { initial: emitted.initial });
    const [batch] = copyTaskBatches(options, 1, 6);
    await train.step(batch, { lr: 1e-2, step: 1 });
    const before = await train.readState();
    const result = await train.step(batch, { lr: Number.NaN, step: 2 });
    expect(result.finite).toBe(false);
    const after = await train.readState();
    for (const name of train.stateNames) expect([...after[name].data], name).toEqual([...before[name].data]);
    await train.dispose();
  });

  it('runs a LoRA step: only adapters are state, the frozen base is baked into the graph', async () => {
    const { step } = tinyTransformer({ ...options, lora: { rank: 2, alpha: 4 } });
    const emitted = emitTrainStep(step!);
    const train = await TrainSession.create(runtime, emitted.graph, { initial: emitted.initial });
    expect(train.stateNames.every((name) => /lora_[ab]$/.test(name))).toBe(true);
    const [batch] = copyTaskBatches(options, 1, 7);
    const first = await train.step(batch, { lr: 1e-2, step: 1 });
    let last = first;
    for (let t = 2; t <= 8; t++) last = await train.step(batch, { lr: 1e-2, step: t });
    expect(last.loss).toBeLessThan(first.loss);
    await train.dispose();
  });
});
