// TrainSession on onnxruntime-node with a hand-written momentum-SGD step graph: weights persist
// between steps (loss falls), non-finite steps leave every state tensor unchanged (with and
// without the graph's own guard), and graphs that break the step contract are refused clearly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { TrainSession, openRuntime, type HostTensor, type Runtime } from '../../../src/runtime/index.ts';
import { matmulGraph, toyStepGraph } from './toy-graphs.ts';

const shape = { batch: 8, inDim: 4, outDim: 3 };

function tensor(dims: number[], fill: (i: number) => number): HostTensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = fill(i);
  return { type: 'float32', dims, data };
}

/** A regression problem y = x @ trueW + bias with a fixed batch. */
function problem(seed: number) {
  const rng = new Rng(seed, 'toy-regression');
  const trueW = tensor([shape.inDim, shape.outDim], () => rng.normal());
  const bias = tensor([shape.outDim], () => rng.normal() * 0.1);
  const x = tensor([shape.batch, shape.inDim], () => rng.normal());
  const y = tensor([shape.batch, shape.outDim], (i) => {
    const row = Math.floor(i / shape.outDim);
    const col = i % shape.outDim;
    let sum = bias.data[col] as number;
    for (let k = 0; k < shape.inDim; k++) sum += (x.data[row * shape.inDim + k] as number) * (trueW.data[k * shape.outDim + col] as number);
    return sum;
  });
  const initial = {
    W: tensor([shape.inDim, shape.outDim], () => 0),
    m_W: tensor([shape.inDim, shape.outDim], () => 0),
    bias,
  };
  return { x, y, initial };
}

describe('TrainSession (cpu)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await openRuntime({ backend: 'cpu' });
  });
  afterAll(async () => {
    await runtime.dispose();
  });

  it('classifies inputs into state, constants and batch', async () => {
    const { initial } = problem(1);
    const train = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    expect(train.stateNames).toEqual(['W', 'm_W']);
    expect(train.constantNames).toEqual(['bias']);
    expect(train.batchInputs.map((spec) => spec.name)).toEqual(['x', 'y']);
    await train.dispose();
  });

  it('keeps weights between steps: the loss falls and the params move', async () => {
    const { x, y, initial } = problem(2);
    const train = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    const losses: number[] = [];
    for (let step = 1; step <= 40; step++) {
      const result = await train.step({ x, y }, { lr: 0.05, step });
      expect(result.finite).toBe(true);
      expect(result.gradNorm).toBeGreaterThan(0);
      losses.push(result.loss);
    }
    expect(losses[39]).toBeLessThan(losses[0] * 0.05);
    for (let i = 1; i < 10; i++) expect(losses[i]).toBeLessThan(losses[i - 1]);
    const { W } = await train.readState(['W']);
    expect(Math.max(...[...W.data].map((v) => Math.abs(Number(v))))).toBeGreaterThan(0.1);
    // The caller's initial arrays are not the live state.
    expect([...initial.W.data].every((v) => v === 0)).toBe(true);
    await train.dispose();
  });

  it('warmUp runs the step graph and keeps nothing: the state and the next steps are as without it', async () => {
    const { x, y, initial } = problem(5);
    const plain = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    const warmed = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    try {
      const before = await warmed.readState();
      await warmed.warmUp({ x, y }, { lr: 0.05, step: 1 });
      const after = await warmed.readState();
      for (const name of warmed.stateNames) expect([...after[name].data], name).toEqual([...before[name].data]);
      for (let step = 1; step <= 3; step++) {
        const [a, b] = [await plain.step({ x, y }, { lr: 0.05, step }), await warmed.step({ x, y }, { lr: 0.05, step })];
        expect(b.loss).toBe(a.loss);
      }
      expect([...(await warmed.readState(['W'])).W.data]).toEqual([...(await plain.readState(['W'])).W.data]);
    } finally {
      await plain.dispose();
      await warmed.dispose();
    }
  });

  it('runs un-awaited steps one after another', async () => {
    const { x, y, initial } = problem(3);
    const sequential = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    const expected: number[] = [];
    for (let step = 1; step <= 5; step++) expected.push((await sequential.step({ x, y }, { lr: 0.05, step })).loss);
    const eager = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    const results = await Promise.all([1, 2, 3, 4, 5].map((step) => eager.step({ x, y }, { lr: 0.05, step })));
    expect(results.map((r) => r.loss)).toEqual(expected);
    await Promise.all([sequential.dispose(), eager.dispose()]);
  });

  for (const guarded of [true, false]) {
    it(`leaves every state tensor unchanged after a non-finite step (graph guard ${guarded ? 'on' : 'off'})`, async () => {
      const { x, y, initial } = problem(4);
      const train = await TrainSession.create(runtime, toyStepGraph({ ...shape, guarded }), { initial });
      for (let step = 1; step <= 3; step++) await train.step({ x, y }, { lr: 0.05, step });
      const before = await train.readState();
      const poisoned = { ...y, data: Float32Array.from(y.data as Float32Array, (v, i) => (i === 5 ? Number.NaN : v)) };
      const bad = await train.step({ x, y: poisoned }, { lr: 0.05, step: 4 });
      expect(bad.finite).toBe(false);
      expect(Number.isNaN(bad.loss)).toBe(true);
      const after = await train.readState();
      expect([...after.W.data]).toEqual([...before.W.data]);
      expect([...after.m_W.data]).toEqual([...before.m_W.data]);
      const good = await train.step({ x, y }, { lr: 0.05, step: 4 });
      expect(good.finite).toBe(true);
      expect(Number.isFinite(good.loss)).toBe(true);
      await train.dispose();
    });
  }

  it('restores state with loadState', async () => {
    const { x, y, initial } = problem(5);
    const train = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    const first = await train.step({ x, y }, { lr: 0.05, step: 1 });
    await train.step({ x, y }, { lr: 0.05, step: 2 });
    await train.loadState({ W: initial.W, m_W: initial.m_W });
    const again = await train.step({ x, y }, { lr: 0.05, step: 1 });
    expect(again.loss).toBe(first.loss);
    await expect(train.loadState({ W: tensor([2, 2], () => 0) })).rejects.toThrow('input "W": expected float32[4,3], got float32[2,2]');
    await train.dispose();
  });

  it('refuses graphs and values that break the step contract, saying what is missing', async () => {
    const { initial } = problem(6);
    await expect(TrainSession.create(runtime, matmulGraph(2, 2, 2), { initial: {}, label: 'matmul.onnx' }))
      .rejects.toThrow(/matmul\.onnx does not fit the training-step contract[\s\S]*output "loss" is missing[\s\S]*input "lr" is missing/);
    const { m_W: _dropped, ...withoutMoment } = initial;
    await expect(TrainSession.create(runtime, toyStepGraph(shape), { initial: withoutMoment }))
      .rejects.toThrow('no initial value for state input "m_W"');
    await expect(TrainSession.create(runtime, toyStepGraph(shape), { initial: { ...initial, W: tensor([3, 4], () => 0) } }))
      .rejects.toThrow('input "W": expected float32[4,3], got float32[3,4]');
    const train = await TrainSession.create(runtime, toyStepGraph(shape), { initial });
    const { x } = problem(6);
    await expect(train.step({ x }, { lr: 0.1, step: 1 })).rejects.toThrow('input "y" is missing');
    await expect(train.step({ x, y: x, W: initial.W }, { lr: 0.1, step: 1 })).rejects.toThrow('batch feeds must not include W');
    await train.dispose();
  });
});
