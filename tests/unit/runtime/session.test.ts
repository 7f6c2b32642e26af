// Sessions on real backends in Node (onnxruntime-node CPU and onnxruntime-web WASM): values, error
// messages that name the input/op, external data, and concurrent runs on WASM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { FeedMismatchError, SessionCreateError, openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { matmulGraph, unknownOpGraph } from './toy-graphs.ts';

const f32 = (dims: number[], values: number[]) => ({ type: 'float32' as const, dims, data: Float32Array.from(values) });

describe.each(['cpu', 'wasm'] as const)('RuntimeSession on %s', (backend) => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await openRuntime({ backend });
  });
  afterAll(async () => {
    await runtime.dispose();
  });

  it('reports its backend and the graph inputs and outputs', async () => {
    expect(runtime.backend).toBe(backend);
    const session = await runtime.createSession(matmulGraph(2, 3, 2), { label: 'matmul.onnx' });
    expect(session.inputs).toEqual([
      { name: 'x', type: 'float32', shape: [2, 3] },
      { name: 'w', type: 'float32', shape: [3, 2] },
    ]);
    expect(session.outputs.map((spec) => spec.name)).toEqual(['y']);
    await session.dispose();
  });

  it('computes a MatMul', async () => {
    const session = await runtime.createSession(matmulGraph(2, 3, 2));
    const { y } = await session.run({ x: f32([2, 3], [1, 2, 3, 4, 5, 6]), w: f32([3, 2], [1, 0, 0, 1, 1, 1]) });
    expect(y.dims).toEqual([2, 2]);
    expect([...y.data]).toEqual([4, 5, 10, 11]);
    await session.dispose();
  });

  it('names the input, the expected and the given shape when feeds do not match', async () => {
    const session = await runtime.createSession(matmulGraph(2, 3, 2), { label: 'matmul.onnx' });
    const run = session.run({ x: f32([2, 4], new Array(8).fill(0)), extra: f32([1], [0]) });
    await expect(run).rejects.toBeInstanceOf(FeedMismatchError);
    await expect(run).rejects.toThrow(/matmul\.onnx/);
    await expect(run).rejects.toThrow('input "x": expected float32[2,3], got float32[2,4]');
    await expect(run).rejects.toThrow('input "w" is missing (expected float32[3,2])');
    await expect(run).rejects.toThrow('"extra" is not an input of this graph');
    const wrongType = session.run({ x: { type: 'int32', dims: [2, 3], data: new Int32Array(6) }, w: f32([3, 2], [0, 0, 0, 0, 0, 0]) });
    await expect(wrongType).rejects.toThrow('input "x": expected float32[2,3], got int32[2,3] (wrong dtype)');
    const inconsistent = session.run({ x: f32([2, 3], [1, 2]), w: f32([3, 2], [0, 0, 0, 0, 0, 0]) });
    await expect(inconsistent).rejects.toThrow('tensor "x" has 2 elements but dims [2,3] need 6');
    // The session is still usable afterwards.
    const ok = await session.run({ x: f32([2, 3], [1, 1, 1, 1, 1, 1]), w: f32([3, 2], [1, 1, 1, 1, 1, 1]) });
    expect([...ok.y.data]).toEqual([3, 3, 3, 3]);
    await session.dispose();
  });

  it('names the file and the op when a session cannot be created', async () => {
    const failure = runtime.createSession(unknownOpGraph(), { label: 'models/broken.onnx' });
    await expect(failure).rejects.toBeInstanceOf(SessionCreateError);
    await expect(failure).rejects.toThrow(/models\/broken\.onnx/);
    await expect(failure).rejects.toThrow(/at op FrobnicateTensor/);
    await expect(failure).rejects.toMatchObject({ op: expect.stringMatching(/^FrobnicateTensor/), backend });
    const garbage = runtime.createSession(Uint8Array.of(1, 2, 3, 4), { label: 'truncated.onnx' });
    await expect(garbage).rejects.toThrow(/could not create an ONNX session from truncated\.onnx on/);
  });

  it('loads weights from external data', async () => {
    const model = matmulWithExternalWeights();
    const session = await runtime.createSession(model.bytes, { externalData: [{ path: 'w.bin', data: model.weights }] });
    const { y } = await session.run({ x: f32([1, 2], [1, 2]) });
    expect([...y.data]).toEqual([1 * 3 + 2 * 5, 1 * 4 + 2 * 6]);
    await session.dispose();
  });

  it('gives correct results for many concurrent runs', async () => {
    const session = await runtime.createSession(matmulGraph(4, 4, 4));
    const identity = f32([4, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const runs = Array.from({ length: 12 }, (_, i) => session.run({ x: f32([4, 4], new Array(16).fill(i)), w: identity }));
    const results = await Promise.all(runs);
    results.forEach((result, i) => expect([...result.y.data]).toEqual(new Array(16).fill(i)));
    await session.dispose();
  });
});

/** y[1,2] = x[1,2] @ w[2,2] with w stored outside the model in 'w.bin'. */
function matmulWithExternalWeights(): { bytes: Uint8Array; weights: Uint8Array } {
  const { onnx } = onnxProto;
  const weights = new Uint8Array(Float32Array.of(3, 4, 5, 6).buffer);
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const info = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } });
  const bytes = onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'external',
      node: [{ opType: 'MatMul', input: ['x', 'w'], output: ['y'] }],
      input: [info('x', [1, 2])],
      output: [info('y', [1, 2])],
      initializer: [{
        name: 'w', dataType: FLOAT, dims: [2, 2],
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '0' }, { key: 'length', value: '16' }],
      }],
    },
  }).finish();
  return { bytes, weights };
}
