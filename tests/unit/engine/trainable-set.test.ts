// The trainable set: frozen params get no gradient nodes (and nothing upstream of them is
// differentiated), they are baked in as initializers; LoRA adapters leave the base output unchanged
// at B = 0, are the only params that train, and merge back into W exactly.
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { GraphRunner, StepLoop, randomData } from './harness.ts';

const { onnx } = onnxProto;

describe('frozen params', () => {
  test('get no backward nodes, no state, and are exported as initializers', () => {
    const rng = new Rng(1);
    const g = new E.Graph('float32');
    const x = g.input('x', [5, 3]);
    const w1 = g.param('w1', [3, 4], { data: randomData(rng, 12), trainable: false });
    const w2 = g.param('w2', [4, 2], { data: randomData(rng, 8) });
    const hidden = E.sigmoid(E.linear(x, w1));
    const loss = E.reduceSum(E.linear(hidden, w2));
    const before = g.nodes.length;
    const step = E.buildTrainStep(g, { loss, optimizer: { kind: 'adamw' } });
    const added = g.nodes.slice(before);
    expect(step.params).toEqual(['w2']);
    expect(step.state.map((s) => s.input)).toEqual(['p:w2', 'm:w2', 'v:w2']);
    // Only the forward MatMul reads w1; no Sigmoid backward, no gradient for x or w1.
    expect(g.nodes.filter((n) => n.inputs.includes(w1))).toHaveLength(1);
    expect(added.filter((n) => n.inputs.includes(hidden)).map((n) => n.op)).toEqual(['Gemm']);
    expect(added.filter((n) => n.op === 'Gemm')).toHaveLength(1); // d w2 only
    const decoded = onnx.ModelProto.decode(E.toOnnx(g).model);
    expect(decoded.graph!.input!.map((i) => i.name)).toEqual(['x', 'lr', 'step', 'm:w2', 'v:w2', 'p:w2']);
    expect(decoded.graph!.initializer!.some((t) => t.name === 'p:w1')).toBe(true);
  });

  test('a frozen param without data is a clear export error', () => {
    const g = new E.Graph();
    const w = g.param('w', [2, 2], { trainable: false });
    g.output('y', E.add(w, 1));
    expect(() => E.toOnnx(g)).toThrow(/param 'w' .* has no data/);
  });

  test('backward gives zeros for a param that does not reach the loss', async () => {
    const g = new E.Graph('float64');
    const a = g.param('a', [2], { data: [1, 2] });
    const unused = g.param('unused', [3], { data: [1, 2, 3] });
    const [ga, gu] = E.backward(E.reduceSum(E.mul(a, a)), [a, unused]);
    g.output('ga', ga);
    g.output('gu', gu);
    const out = await (await GraphRunner.create(g)).run();
    expect(Array.from(out.ga.data as Float64Array)).toEqual([2, 4]);
    expect(Array.from(out.gu.data as Float64Array)).toEqual([0, 0, 0]);
  });
});

describe('LoRA', () => {
  function loraGraph(dtype: E.FloatDType, withAdapter: boolean, bData?: ArrayLike<number>) {
    const rng = new Rng(3);
    const g = new E.Graph(dtype);
    const x = g.input('x', [2, 3, 6]);
    const w = g.param('w', [6, 5], { data: randomData(rng, 30), trainable: false });
    if (!withAdapter) return { g, y: g.output('y', E.linear(x, w)) };
    const layer = E.lora(x, w, { name: 'proj', rank: 2, alpha: 4, rng: rng.fork('lora') });
    if (bData) g.setParamData('proj.lora_b', bData);
    return { g, y: g.output('y', layer.y), layer };
  }
  const xData = randomData(new Rng(5), 36, 1, 'float32');

  test('B = 0 gives exactly the base output', async () => {
    const base = await (await GraphRunner.create(loraGraph('float32', false).g)).run({ x: xData });
    const adapted = await (await GraphRunner.create(loraGraph('float32', true).g)).run({ x: xData });
    expect(Array.from(adapted.y.data as Float32Array)).toEqual(Array.from(base.y.data as Float32Array));
  });

  test('only A and B train; W stays baked in', async () => {
    const { g, y } = loraGraph('float32', true);
    const step = E.buildTrainStep(g, { loss: E.reduceSum(E.mul(y, y)), optimizer: { kind: 'adamw' } });
    expect(step.params).toEqual(['proj.lora_a', 'proj.lora_b']);
    const loop = await StepLoop.create(step);
    const a0 = Float32Array.from(loop.state['p:proj.lora_a']);
    await loop.run({ x: xData }, 0.05);
    expect(Array.from(loop.state['p:proj.lora_b']).some((v) => v !== 0)).toBe(true);
    await loop.run({ x: xData }, 0.05);
    expect(Array.from(loop.state['p:proj.lora_a'])).not.toEqual(Array.from(a0));
    await loop.release();
  });

  test('mergeLoraWeights reproduces the adapted output with a plain linear layer', async () => {
    const bData = randomData(new Rng(8), 10, 0.5);
    const { g, layer } = loraGraph('float64', true, bData);
    const x64 = Float64Array.from(xData);
    const adapted = await (await GraphRunner.create(g)).run({ x: x64 });
    const info = (name: string) => g.params.get(name)!.data!;
    const merged = E.mergeLoraWeights(info('w'), info('proj.lora_a'), info('proj.lora_b'), 6, 5, 2, layer!.scale);
    const plain = new E.Graph('float64');
    plain.output('y', E.linear(plain.input('x', [2, 3, 6]), plain.param('w', [6, 5], { data: merged, trainable: false })));
    const out = await (await GraphRunner.create(plain)).run({ x: x64 });
    Array.from(out.y.data as Float64Array).forEach((v, i) => expect(v).toBeCloseTo(Number(adapted.y.data[i]), 5));
  });
});
