// ONNX export: model metadata (IR 8, opset 17), input/output naming, dead-node pruning, and external
// data that ORT-node loads from model.onnx + model.onnx.data with outputs identical to the inline model.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { randomData } from './harness.ts';

const { onnx } = onnxProto;
const dir = mkdtempSync(join(tmpdir(), 'engine-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mlp() {
  const rng = new Rng(2);
  const g = new E.Graph('float32');
  const x = g.input('x', [3, 32]);
  const w1 = g.param('w1', [32, 64], { data: randomData(rng, 2048, 0.2), trainable: false });
  const b1 = g.param('b1', [64], { data: randomData(rng, 64, 0.2), trainable: false });
  const w2 = g.param('w2', [64, 8], { data: randomData(rng, 512, 0.2), trainable: false });
  E.exp(x); // dead: not needed by any output
  const y = E.linear(E.silu(E.linear(x, w1, b1)), w2);
  g.output('y', y);
  g.output('x_again', x);
  return g;
}

describe('toOnnx', () => {
  test('writes IR 8 / opset 17 with named inputs and outputs, and drops dead nodes', () => {
    const g = mlp();
    const { model, externalData, inputNames, outputNames } = E.toOnnx(g, { graphName: 'mlp' });
    expect(externalData).toBeUndefined();
    const m = onnx.ModelProto.decode(model);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(inputNames).toEqual(['x']);
    expect(outputNames).toEqual(['y', 'x_again']);
    expect(m.graph!.output!.map((o) => o.name)).toEqual(['y', 'x_again']);
    expect(m.graph!.node!.some((n) => n.opType === 'Exp')).toBe(false);
    expect(m.graph!.initializer!.map((t) => t.name).sort()).toEqual(expect.arrayContaining(['p:w1', 'p:b1', 'p:w2']));
  });

  test('external data round-trips through files on ORT-node', async () => {
    const g = mlp();
    const inline = E.toOnnx(g);
    const split = E.toOnnx(g, { externalDataThreshold: 1024, externalDataLocation: 'model.onnx.data' });
    expect(split.externalData).toBeDefined();
    // w1 (8 KiB) and w2 (2 KiB) go out; b1 (256 B) stays inline.
    const m = onnx.ModelProto.decode(split.model);
    const byName = new Map(m.graph!.initializer!.map((t) => [t.name, t]));
    const entries = (name: string) => Object.fromEntries((byName.get(name)!.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
    expect(byName.get('p:w1')!.dataLocation).toBe(onnx.TensorProto.DataLocation.EXTERNAL);
    expect(entries('p:w1')).toMatchObject({ location: 'model.onnx.data', length: '8192' });
    expect(Number(entries('p:w2').offset) % 64).toBe(0);
    expect(byName.get('p:b1')!.dataLocation).toBe(onnx.TensorProto.DataLocation.DEFAULT);
    expect(split.model.length).toBeLessThan(inline.model.length - 10_000);

    writeFileSync(join(dir, 'model.onnx'), split.model);
    writeFileSync(join(dir, 'model.onnx.data'), split.externalData!);
    const fromFiles = await ort.InferenceSession.create(join(dir, 'model.onnx'), { intraOpNumThreads: 1 });
    const fromBytes = await ort.InferenceSession.create(inline.model, { intraOpNumThreads: 1 });
    const feeds = { x: new ort.Tensor('float32', randomData(new Rng(6), 96, 1, 'float32'), [3, 32]) };
    const a = await fromFiles.run(feeds);
    const b = await fromBytes.run(feeds);
    expect(Array.from(a.y.data as Float32Array)).toEqual(Array.from(b.y.data as Float32Array));
    expect(Array.from(a.x_again.data as Float32Array)).toEqual(Array.from(feeds.x.data as Float32Array));
    await fromFiles.release();
    await fromBytes.release();
  });

  test('params can be exported as inputs or initializers on request', () => {
    const g = mlp();
    const asInputs = E.toOnnx(g, { frozenParams: 'inputs' });
    expect(asInputs.inputNames).toEqual(['x', 'p:w1', 'p:b1', 'p:w2']);
  });
});
