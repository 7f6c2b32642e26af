// The checkpoint file format: bit-exact round trips, the documented layout rebuilt by hand, and each
// kind of bad file (truncated anywhere, flipped bytes, wrong magic, newer format, huge lengths,
// malformed headers, foreign model, non-finite values, random bytes) refused with its kind and a
// message that says what is wrong.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { sha256Hex } from '../../../src/model/manifest.ts';
import { CheckpointFileError, decodeCheckpoint, encodeCheckpoint, type CheckpointFileErrorKind } from '../../../src/storage/checkpoint-file.ts';
import { LAB_STATE_SCHEMA } from '../../../src/storage/lab-state.ts';
import { META, MODEL_HASH, sampleState } from './fixtures.ts';

/** Builds a file exactly as the header comment of checkpoint-file.ts lays it out. */
async function assemble(headerText: string, payload: Uint8Array, format = 1): Promise<Uint8Array> {
  const header = new TextEncoder().encode(headerText);
  const payloadStart = Math.ceil((44 + header.length) / 4) * 4;
  const out = new Uint8Array(payloadStart + payload.length);
  out.set(new TextEncoder().encode('PEBLAB\0'), 0);
  out[7] = format;
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set((await sha256Hex(header)).match(/../g)!.map((h) => parseInt(h, 16)), 12);
  out.set(header, 44);
  out.set(payload, payloadStart);
  return out;
}

function split(file: Uint8Array): { header: Record<string, any>; payload: Uint8Array } {
  const length = new DataView(file.buffer, file.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(44, 44 + length)));
  return { header, payload: file.slice(Math.ceil((44 + length) / 4) * 4) };
}

async function refusal(bytes: Uint8Array, want?: { modelHash?: string }): Promise<CheckpointFileError> {
  try {
    await decodeCheckpoint(bytes, want);
  } catch (error) {
    if (error instanceof CheckpointFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

async function expectRefused(bytes: Uint8Array, kind: CheckpointFileErrorKind, message: RegExp, want?: { modelHash?: string }) {
  const error = await refusal(bytes, want);
  expect(error.kind).toBe(kind);
  expect(error.message).toMatch(message);
}

describe('encodeCheckpoint / decodeCheckpoint', () => {
  it('round-trips every tensor bit for bit, the config, step and metadata', async () => {
    const state = sampleState();
    const { state: back, meta } = await decodeCheckpoint(await encodeCheckpoint(state, META), { modelHash: MODEL_HASH });
    expect(Object.keys(back.tensors)).toEqual(Object.keys(state.tensors));
    for (const [name, t] of Object.entries(state.tensors)) {
      expect(back.tensors[name].dims).toEqual(t.dims);
      expect(back.tensors[name].data).toBeInstanceOf(Float32Array);
      expect(new Uint32Array(back.tensors[name].data.buffer, back.tensors[name].data.byteOffset, t.data.length)).toEqual(new Uint32Array(t.data.buffer));
    }
    expect(Object.is(back.tensors['adam.m.decoder.0.q.lora_a'].data[0], -0)).toBe(true);
    expect({ ...back, tensors: null }).toEqual({ ...state, tensors: null });
    expect(meta).toEqual(META);
  });

  it('lays the file out as documented and writes the same bytes for the same input', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    expect(await encodeCheckpoint(sampleState(), META)).toEqual(file);
    const { header, payload } = split(file);
    expect(await assemble(JSON.stringify(header), payload)).toEqual(file);
    expect(header).toMatchObject({ format: 1, schema: LAB_STATE_SCHEMA, modelHash: MODEL_HASH, step: 3, payloadBytes: 37 * 4 });
    expect(header.tensors[2]).toEqual({ name: 'adam.m.decoder.0.q.lora_a', dims: [8], offset: 24 * 4, length: 32 });
    expect(new Float32Array(payload.buffer, 24 * 4, 8)[7]).toBe(Math.fround(Math.PI));
  });

  it('fills savedAt and the method label when not given and refuses states it could not read back', async () => {
    const before = Date.now();
    const { meta } = await decodeCheckpoint(await encodeCheckpoint(sampleState(), { label: 'x', metrics: null }));
    expect(Date.parse(meta.savedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(meta).toMatchObject({ label: 'x', method: 'NPO + BGD', metrics: null });
    const diverged = sampleState();
    diverged.tensors['scalar.odd'].data[2] = Number.NaN;
    await expect(encodeCheckpoint(diverged, META)).rejects.toThrow(/scalar\.odd holds NaN at index 2/);
    const wrongSize = sampleState();
    wrongSize.tensors['scalar.odd'].dims = [2, 2];
    await expect(encodeCheckpoint(wrongSize, META)).rejects.toThrow(/Float32Array of 4 values/);
    await expect(encodeCheckpoint(sampleState(), { ...META, savedAt: 'yesterday' })).rejects.toThrow(/not an ISO date/);
  });
});

describe('decodeCheckpoint refuses bad files', () => {
  it('truncated at any byte: says where', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    await expectRefused(file.subarray(0, 0), 'not-a-checkpoint', /not a PEBench Lab checkpoint \(it is empty\)/);
    for (let cut = 1; cut < file.length; cut++) {
      const error = await refusal(file.slice(0, cut));
      expect(error.kind, `cut at ${cut}`).toBe('corrupt');
      expect(error.message, `cut at ${cut}`).toContain(`truncated at byte ${cut}`);
    }
  });

  it('any flipped header or checksum byte: checksum mismatch in the header', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    const headerEnd = 44 + new DataView(file.buffer).getUint32(8, true);
    for (let at = 12; at < headerEnd; at++) {
      const bad = file.slice();
      bad[at] ^= 1 << (at % 8);
      const error = await refusal(bad);
      expect([error.kind, error.message], `byte ${at}`).toEqual(['corrupt', expect.stringMatching(/damaged: checksum mismatch in its header/)]);
    }
  });

  it('a flipped payload byte, nonzero padding or trailing bytes: damaged', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    for (const at of [file.length - 1, file.length - 60]) {
      const bad = file.slice();
      bad[at] ^= 0x10;
      await expectRefused(bad, 'corrupt', /checksum mismatch in its tensor data/);
    }
    await expectRefused(new Uint8Array([...file, 0, 0, 0, 0]), 'corrupt', /4 unexpected bytes after its payload/);
    const { header, payload } = split(file);
    const text = JSON.stringify({ ...header, meta: { ...header.meta, label: 'ab' } }); // header length not a multiple of 4
    const padded = await assemble(text, payload);
    expect((44 + text.length) % 4).not.toBe(0);
    padded[44 + text.length] = 7;
    await expectRefused(padded, 'corrupt', /padding\) is not zero/);
  });

  it('wrong magic, random bytes and a newer format are told apart', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    const wrongMagic = file.slice();
    wrongMagic[0] = 'Q'.charCodeAt(0);
    await expectRefused(wrongMagic, 'not-a-checkpoint', /this file is not a PEBench Lab checkpoint.*choose a \.peblab file/);
    const rng = new Rng(9);
    const random = Uint8Array.from({ length: 4096 }, () => rng.int(256));
    await expectRefused(random, 'not-a-checkpoint', /not a PEBench Lab checkpoint/);
    const signedRandom = random.slice();
    signedRandom.set([...new TextEncoder().encode('PEBLAB\0'), 1]);
    await expectRefused(signedRandom, 'corrupt', /damaged/);
    const newer = file.slice();
    newer[7] = 2;
    await expectRefused(newer, 'version', /made by a newer lab \(format 2\).*update the lab/);
    const { header, payload } = split(file);
    await expectRefused(await assemble(JSON.stringify({ ...header, schema: 'pebench-lab-state/2' }), payload), 'version', /state schema "pebench-lab-state\/2"/);
  });

  it('a huge header length is refused without allocating it', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    new DataView(file.buffer).setUint32(8, 0xffffffff, true);
    await expectRefused(file, 'corrupt', new RegExp(`truncated at byte ${file.length} \\(it needs ${44 + 0xffffffff} bytes\\)`));
    const { header, payload } = split(await encodeCheckpoint(sampleState(), META));
    const huge = { ...header, payloadBytes: 2 ** 52, tensors: [{ name: 'x', dims: [2 ** 50], offset: 0, length: 2 ** 52 }] };
    await expectRefused(await assemble(JSON.stringify(huge), payload), 'corrupt', /truncated at byte/);
  });

  it('headers that are not objects or have wrong fields: says which', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    const { header, payload } = split(file);
    await expectRefused(await assemble('[1,2]', payload), 'corrupt', /header is not a JSON object/);
    await expectRefused(await assemble('"text"', payload), 'corrupt', /header is not a JSON object/);
    await expectRefused(await assemble('{"format":1,', payload), 'corrupt', /not valid UTF-8 JSON/);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ step: '3' }, /step "3" is not a whole number/],
      [{ step: -1 }, /step -1/],
      [{ modelHash: 7 }, /no model hash/],
      [{ config: { ...header.config, seed: 'one' } }, /seed is not an integer/],
      [{ config: { ...header.config, request: { target: 'city', forgetSeed: 0 } } }, /not a valid request/],
      [{ config: { ...header.config, settings: { lr: 'fast' } } }, /settings are not finite/],
      [{ meta: { ...header.meta, savedAt: 12 } }, /save time 12 is not an ISO date/],
      [{ meta: null }, /metadata is not an object/],
      [{ tensors: header.tensors.map((t: any, i: number) => (i === 1 ? { ...t, dims: [3, 5] } : t)) }, /decoder\.0\.q\.lora_b has dims \[3,5\] but 48 bytes/],
      [{ tensors: header.tensors.map((t: any, i: number) => (i === 1 ? { ...t, offset: 52 } : t)) }, /starts at payload byte 52, expected 48/],
      [{ tensors: [header.tensors[0], header.tensors[0]] }, /appears twice/],
      [{ tensors: [{ ...header.tensors[0], name: '__proto__' }] }, /no valid name/],
      [{ payloadBytes: 100 }, /tensors take 148 bytes but its payload is 100/],
      [{ payloadSha256: 'zz' }, /payload checksum is not a sha256/],
      [{ format: 2 }, /header says format 2 but its signature says format 1/],
    ];
    for (const [change, message] of cases) {
      await expectRefused(await assemble(JSON.stringify({ ...header, ...change }), payload), 'corrupt', message);
    }
  });

  it('a checkpoint of another Finetune model: names both and says what to do', async () => {
    const file = await encodeCheckpoint(sampleState(), META);
    const loaded = 'ef01'.repeat(16);
    await expectRefused(file, 'foreign-model', /made from Finetune model ab12ab12ab12\.\.\., the loaded model is ef01ef01ef01\.\.\.: load that model first/, { modelHash: loaded });
  });

  it('NaN or infinity in a tensor (with valid checksums): damaged, naming the tensor', async () => {
    const { header, payload } = split(await encodeCheckpoint(sampleState(), META));
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const changed = payload.slice();
      new DataView(changed.buffer).setFloat32(48 + 8, bad, true); // third value of decoder.0.q.lora_b
      const text = JSON.stringify({ ...header, payloadSha256: await sha256Hex(changed) });
      await expectRefused(await assemble(text, changed), 'corrupt', new RegExp(`decoder\\.0\\.q\\.lora_b holds ${bad} at index 2`));
    }
  });
});
