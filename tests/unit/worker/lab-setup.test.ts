// The lab's request checks that need no model: a `load` payload (folder URL, backend, pre-fetched
// files) and the request type of a message, each refused as bad-input with what is valid; and the
// dispatch table's wiring (each request type to the engine method of its name).
import { describe, expect, it } from 'vitest';
import { LabEngine } from '../../../src/worker/lab-engine.ts';
import { LAB_REQUEST_HANDLERS, LAB_REQUEST_TYPES } from '../../../src/worker/lab-handlers.ts';
import { LAB_BACKENDS, LabError, type LabPayload, type LabRequestType } from '../../../src/worker/lab-protocol.ts';
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
    // Names an engine or any object has, but no request: refused the same way.
    for (const name of ['handle', 'dispose', 'constructor', 'toString', '__proto__']) {
      expect(await engine.handle(name as never, undefined as never, () => {}).catch((e: LabError) => e.kind), name).toBe('bad-input');
    }
    expect(loads).toBe(0);
  });

  it('sends each request type to the engine method of that name, with its payload and emit', async () => {
    const calls: { method: string; args: unknown[] }[] = [];
    const engine = new LabEngine({ loadModel: async () => { throw new Error('not reached'); } });
    for (const type of LAB_REQUEST_TYPES) {
      // Every method of that name records its call instead of running (the table is what is tested).
      Object.defineProperty(engine, type, { value: async (...args: unknown[]) => { calls.push({ method: type, args }); return type; } });
    }
    const emit = () => {};
    for (const type of LAB_REQUEST_TYPES) {
      const payload = { for: type };
      calls.length = 0;
      expect(await LAB_REQUEST_HANDLERS[type as LabRequestType](engine, payload as never, emit), type).toBe(type);
      expect(calls.map((c) => c.method), type).toEqual([type]);
      // Each method gets the arguments it declares: the payload first, emit second.
      expect(calls[0].args, type).toEqual([payload, emit].slice(0, calls[0].args.length));
    }
    expect([...LAB_REQUEST_TYPES].sort()).toEqual(Object.keys(LAB_REQUEST_HANDLERS).sort());
  });
});
