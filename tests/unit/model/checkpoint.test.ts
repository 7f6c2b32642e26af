import { describe, expect, it } from 'vitest';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from '../../../src/model/checkpoint.ts';

const sample = (): Checkpoint => ({
  step: 42,
  run: { settings: { lr: 0.001, world: { seed: 3 } } },
  tensors: {
    'p:a': { dims: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-8, -0, 6]) },
    'm:a': { dims: [2, 3], data: new Float32Array(6).fill(0.25) },
    'p:b': { dims: [1], data: Float32Array.from([Math.PI]) },
  },
});

describe('checkpoints', () => {
  it('round-trip step, run description and every tensor bit for bit', () => {
    const back = decodeCheckpoint(encodeCheckpoint(sample()));
    expect(back.step).toBe(42);
    expect(back.run).toEqual(sample().run);
    for (const [name, t] of Object.entries(sample().tensors)) {
      expect(back.tensors[name].dims).toEqual(t.dims);
      expect(new Uint32Array(back.tensors[name].data.buffer)).toEqual(new Uint32Array(t.data.buffer));
    }
  });

  it('decodes from an unaligned view (as a file read into a larger buffer gives)', () => {
    const bytes = encodeCheckpoint(sample());
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeCheckpoint(shifted.subarray(1)).tensors['p:b'].data[0]).toBeCloseTo(Math.PI, 6);
  });

  it('reports truncated, foreign and corrupt files by name', () => {
    const bytes = encodeCheckpoint(sample());
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 3), 'ckpt.bin')).toThrow(/ckpt\.bin.*truncated/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('hello world, not a checkpoint'), 'x.bin')).toThrow(CheckpointError);
    const broken = bytes.slice();
    broken[14] = 0x7b; // inside the JSON header
    broken[15] = 0x7b;
    expect(() => decodeCheckpoint(broken)).toThrow(/not a usable checkpoint/);
  });

  it('refuses tensors whose dims do not match their data', () => {
    expect(() => encodeCheckpoint({ step: 1, run: {}, tensors: { x: { dims: [4], data: new Float32Array(3) } } })).toThrow(/dims 4/);
  });
});
