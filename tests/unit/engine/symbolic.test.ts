// Forward-only graphs with symbolic batch/sequence dims (dim_param): one exported model runs at
// several sizes and matches the static-shape graph built for each size.
import onnxProto from 'onnx-proto';
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { GraphRunner, randomData } from './harness.ts';

const { onnx } = onnxProto;
const d = 8;
const heads = 2;
const vocab = 11;

/** Embedding -> RMSNorm -> attention over all positions (+ key padding bias) -> logits. */
function encoder(batch: E.Dim, seq: E.Dim) {
  const rng = new Rng(12);
  const g = new E.Graph('float32');
  const frozen = (name: string, shape: number[]) => g.param(name, shape, { data: randomData(rng, shape.reduce((a, b) => a * b, 1), 0.4), trainable: false });
  const tokens = g.input('tokens', [batch, seq], 'int64');
  const keep = g.input('attention_mask', [batch, seq]);
  const x = E.rmsNorm(E.gather(frozen('embed', [vocab, d]), tokens), g.param('norm', [d], { data: new Array(d).fill(1), trainable: false }));
  const [q, k, v] = ['q', 'k', 'v'].map((n) => E.splitHeads(E.linear(x, frozen(n, [d, d])), heads));
  const padBias = E.mul(E.sub(1, E.unsqueeze(keep, [1, 2])), E.MASKED_BIAS); // (B, 1, 1, S)
  const y = E.mergeHeads(E.attention(q, k, v, padBias));
  g.output('logits', E.linear(y, frozen('head', [d, vocab])));
  return g;
}

describe('symbolic dims', () => {
  test('dim_param is written and one model runs at two sizes like the static graphs', async () => {
    const dynamic = encoder('batch', 'seq');
    const proto = onnx.ModelProto.decode(E.toOnnx(dynamic).model);
    expect(proto.graph!.input![0].type!.tensorType!.shape!.dim!.map((x) => x.dimParam)).toEqual(['batch', 'seq']);
    const runner = await GraphRunner.create(dynamic);
    for (const [b, t] of [[1, 3], [2, 5]]) {
      const rng = new Rng(b * 10 + t);
      const tokens = BigInt64Array.from({ length: b * t }, () => BigInt(rng.int(vocab)));
      const mask = Float32Array.from({ length: b * t }, (_, i) => (i % t < t - 1 ? 1 : 0));
      const feeds = { tokens, attention_mask: mask };
      const got = await runner.run(feeds, { tokens: [b, t], attention_mask: [b, t] });
      const expected = await (await GraphRunner.create(encoder(b, t))).run(feeds);
      expect(got.logits.dims).toEqual([b, t, vocab]);
      const want = expected.logits.data as Float32Array;
      Array.from(got.logits.data as Float32Array).forEach((x, i) => expect(x).toBeCloseTo(want[i], 5));
    }
  });

  test('reshape checks symbolic element counts at build time', () => {
    const g = new E.Graph();
    const x = g.input('x', ['b', 't', 6]);
    expect(E.reshape(x, ['b', 't', 2, 3]).shape).toEqual(['b', 't', 2, 3]);
    expect(E.reshape(x, [-1, 6]).shape).toEqual(['b*t', 6]);
    expect(() => E.reshape(x, ['b', 4, -1])).toThrow(/^Reshape: cannot reshape \[b, t, 6\] to \[b, 4, -1\]/);
  });

  test('KV-cache attention: prefix + one cached step equals the full causal pass', async () => {
    const [c, h] = [8, 2];
    const build = (seq: E.Dim, past: E.Dim) => {
      const rng = new Rng(21);
      const g = new E.Graph('float32');
      const w = (name: string) => g.param(name, [c, c], { data: randomData(rng, c * c, 0.4), trainable: false });
      const x = g.input('x', [1, seq, c]);
      const pastK = g.input('past_k', [1, h, past, c / h]);
      const pastV = g.input('past_v', [1, h, past, c / h]);
      const [q, k, v] = [w('q'), w('k'), w('v')].map((m) => E.splitHeads(E.linear(x, m), h));
      const keys = E.concat([pastK, k], 2);
      const values = E.concat([pastV, v], 2);
      g.output('y', E.mergeHeads(E.attention(q, keys, values, E.causalBiasFor(q, keys))));
      g.output('present_k', keys);
      g.output('present_v', values);
      return g;
    };
    const x = randomData(new Rng(22), 5 * c, 1, 'float32');
    const empty = new Float32Array(0);
    const dynamic = await GraphRunner.create(build('seq', 'past'));
    const dims = (t: number, p: number) => ({ x: [1, t, c], past_k: [1, h, p, c / h], past_v: [1, h, p, c / h] });
    const full = await dynamic.run({ x, past_k: empty, past_v: empty }, dims(5, 0));
    const staticFull = await (await GraphRunner.create(build(5, 0))).run({ x, past_k: empty, past_v: empty });
    expect(Array.from(full.y.data as Float32Array)).toEqual(Array.from(staticFull.y.data as Float32Array));
    const prefix = await dynamic.run({ x: x.slice(0, 4 * c), past_k: empty, past_v: empty }, dims(4, 0));
    const last = await dynamic.run({ x: x.slice(4 * c), past_k: prefix.present_k.data, past_v: prefix.present_v.data }, dims(1, 4));
    expect(last.y.dims).toEqual([1, 1, c]);
    const want = Array.from(full.y.data as Float32Array).slice(4 * c);
    Array.from(last.y.data as Float32Array).forEach((value, i) => expect(value).toBeCloseTo(want[i], 5));
    // Causality: earlier positions do not depend on later tokens.
    expect(Array.from(prefix.y.data as Float32Array).slice(0, c)).toEqual(Array.from(full.y.data as Float32Array).slice(0, c));
  });
});
