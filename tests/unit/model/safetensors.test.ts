// The safetensors writer against the format's spec on hand-made tensors: the 8-byte little-endian
// header length, the JSON header (dtype, shape, data_offsets in order without gaps, __metadata__),
// padding to 8 bytes, and the raw little-endian data; the reader round-trips it and refuses damage.
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../../src/model/safetensors.ts';

describe('safetensors', () => {
  const matrix = { name: 'w', dtype: 'F32' as const, shape: [2, 3], data: Float32Array.from([1, -2, 0.5, 3, 1e-3, -0]) };
  const ids = { name: 'ids', dtype: 'I64' as const, shape: [2], data: BigInt64Array.from([7n, -1n]) };

  it('lays out header length, JSON header and little-endian data as the spec says', () => {
    const bytes = encodeSafetensors([matrix, ids], { format: 'pt' });
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0); // data starts 8-byte aligned
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(headerText).toMatch(/^\{.*\} *$/); // JSON, padded with trailing spaces only
    const header = JSON.parse(headerText);
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
      ids: { dtype: 'I64', shape: [2], data_offsets: [24, 40] },
    });
    expect(bytes.length).toBe(8 + n + 40);
    const data = 8 + n;
    const floats = [0, 1, 2, 3, 4, 5].map((i) => view.getFloat32(data + 4 * i, true));
    expect(floats).toEqual(Array.from(matrix.data));
    expect(Object.is(floats[5], -0)).toBe(true);
    expect([view.getBigInt64(data + 24, true), view.getBigInt64(data + 32, true)]).toEqual([7n, -1n]);
    // 1.0f is 0x3f800000: little-endian bytes 00 00 80 3f.
    expect(Array.from(bytes.subarray(data, data + 4))).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });

  it('writes no __metadata__ when there is none, and round-trips through the reader', () => {
    const bytes = encodeSafetensors([matrix]);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)))).not.toHaveProperty('__metadata__');
    const back = decodeSafetensors(encodeSafetensors([matrix, ids], { a: 'b' }));
    expect(back.metadata).toEqual({ a: 'b' });
    expect(back.tensors.get('w')).toEqual({ ...matrix, shape: [2, 3] });
    expect(back.tensors.get('ids')?.data).toEqual(ids.data);
  });

  it('refuses tensors whose data does not fit, repeated names and damaged files', () => {
    expect(() => encodeSafetensors([{ ...matrix, shape: [4, 2] }])).toThrow(/has 6 values but shape \[4, 2\]/);
    expect(() => encodeSafetensors([matrix, matrix])).toThrow(/appears twice/);
    expect(() => encodeSafetensors([{ ...matrix, dtype: 'I64' }])).toThrow(/does not match dtype/);
    const bytes = encodeSafetensors([matrix]);
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4))).toThrow(/do not fit/);
    expect(() => decodeSafetensors(bytes.subarray(0, 5))).toThrow(/shorter than/);
  });
});
