// The import size cap: the largest state the lab can write (every decoder parameter of PE-Tiny
// trained, plus AdamW's two moments) encodes to a file under MAX_CHECKPOINT_BYTES, and a file over
// it is refused by its size, with the limit in the message, before a byte of it is read.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG, withVocabulary } from '../../../src/model/config.ts';
import { paramGroup, paramSpecs } from '../../../src/model/params.ts';
import { CheckpointFileError, encodeCheckpoint } from '../../../src/storage/checkpoint-file.ts';
import { MAX_CHECKPOINT_BYTES, maxCheckpointBytes } from '../../../src/storage/checkpoint-size.ts';
import { CheckpointStore } from '../../../src/storage/checkpoint-store.ts';
import type { LabState } from '../../../src/storage/lab-state.ts';
import { META, MODEL_HASH, sampleState } from './fixtures.ts';

describe('checkpoint size cap', () => {
  it('the largest state PE-Tiny can write fits under the cap', async () => {
    const cfg = withVocabulary(DEFAULT_CONFIG, 937); // the shipped model's vocabulary
    const tensors: LabState['tensors'] = {};
    for (const { name, shape } of paramSpecs(cfg).filter((s) => paramGroup(s.name) === 'decoder')) {
      const size = shape.reduce((a, b) => a * b, 1);
      for (const key of [name, `adam.m.${name}`, `adam.v.${name}`]) tensors[key] = { dims: shape, data: new Float32Array(size) };
    }
    const state: LabState = { ...sampleState(1), tensors };
    const file = await encodeCheckpoint(state, { ...META, label: 'x'.repeat(120) });
    expect(file.length).toBeLessThanOrEqual(maxCheckpointBytes(cfg));
    expect(maxCheckpointBytes(cfg)).toBeLessThanOrEqual(MAX_CHECKPOINT_BYTES);
    expect(file.length).toBeGreaterThan(MAX_CHECKPOINT_BYTES / 2); // the cap is not loose by orders of magnitude
  }, 60_000);

  it('a file over the cap is refused by its size, never read, nothing written', async () => {
    const store = await CheckpointStore.open(new IDBFactory());
    const arrayBuffer = vi.fn(async () => new ArrayBuffer(0));
    const huge = { size: MAX_CHECKPOINT_BYTES + 1, arrayBuffer } as unknown as Blob;
    const error = await store.importFile(huge, { modelHash: MODEL_HASH }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointFileError);
    expect((error as CheckpointFileError).kind).toBe('too-large');
    expect((error as Error).message).toMatch(/^this file is \d+\.\d MB, larger than any PEBench Lab checkpoint \(at most 41\.\d MB\), so it was not read: choose a \.peblab file exported by the lab$/);
    expect(arrayBuffer).not.toHaveBeenCalled();
    expect(await store.list()).toEqual([]);
    store.close();
  });

  it('a file under the cap is read and imported as before', async () => {
    const store = await CheckpointStore.open(new IDBFactory());
    const file = await encodeCheckpoint(sampleState(3, 2), META);
    const imported = await store.importFile(new Blob([file as BlobPart]), { modelHash: MODEL_HASH });
    expect(imported.step).toBe(2);
    store.close();
  });
});
