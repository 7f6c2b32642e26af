// The lab's request checks that need no model: a `load` payload (folder URL, backend, pre-fetched
// files) and the request type of a message, each refused as bad-input with what is valid.
import { describe, expect, it } from 'vitest';
import { LabEngine } from '../../../src/worker/lab-engine.ts';
import { LAB_BACKENDS, LAB_REQUEST_TYPES, LabError, type LabPayload } from '../../../src/worker/lab-protocol.ts';
import { checkLoadPayload } from '../../../src/worker/lab-setup.ts';

const refusal = (payload: unknown): { kind: string; message: string } | null => {
  try {
    checkLoadPayload(payload as LabPayload<'load'>);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(LabError);
    return { kind: (error as LabError).kind, message: (error as LabError).message };
  }
};

describe('checkLoadPayload', () => {
  it('accepts a folder URL on each backend, with or without pre-fetched files', () => {
    for (const backend of LAB_BACKENDS) expect(refusal({ modelUrl: 'models/pebench-tiny', backend })).toBeNull();
    expect(refusal({ modelUrl: 'm', backend: 'wasm', files: { 'config.json': new ArrayBuffer(2) } })).toBeNull();
  });

  it('refuses a missing URL, an unknown backend and files that are not ArrayBuffers, saying what is valid', () => {
    expect(refusal(undefined)).toEqual({ kind: 'bad-input', message: 'load needs { modelUrl, backend }: the model folder URL' });
    expect(refusal({ modelUrl: '', backend: 'wasm' })?.kind).toBe('bad-input');
    expect(refusal({ modelUrl: 'm', backend: 'cuda' })).toEqual({ kind: 'bad-input', message: 'unknown backend "cuda". Valid backends: webgpu, wasm, cpu' });
    expect(refusal({ modelUrl: 'm', backend: 'wasm', files: { 'config.json': 'text' } })?.message).toMatch(/files must map model file paths to ArrayBuffers/);
    expect(refusal({ modelUrl: 'm', backend: 'wasm', files: null })?.kind).toBe('bad-input');
  });
});

describe('LabEngine.handle', () => {
  it('refuses a request type the protocol does not have, listing the valid ones, and loads nothing', async () => {
    let loads = 0;
    const engine = new LabEngine({ loadModel: async () => { loads++; throw new Error('not reached'); } });
    const error = await engine.handle('train' as never, undefined as never, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).kind).toBe('bad-input');
    expect((error as LabError).message).toBe(`unknown request "train". Valid requests: ${[...LAB_REQUEST_TYPES].join(', ')}`);
    expect(LAB_REQUEST_TYPES.has('load') && LAB_REQUEST_TYPES.has('restore')).toBe(true);
    expect(loads).toBe(0);
  });
});
