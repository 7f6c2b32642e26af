// The IndexedDB checkpoint store on fake-indexeddb (a fresh IDBFactory per test): save / list / load /
// delete / export / import round trips, the autosave slot, and failures that must leave earlier
// checkpoints intact: storage full (thrown by put, or aborting the transaction the way a browser
// does), an unopenable database, unknown ids, and bad or foreign files on import.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckpointFileError, decodeCheckpoint, encodeCheckpoint } from '../../../src/storage/checkpoint-file.ts';
import { AUTOSAVE_ID, CheckpointStore, DB_NAME, StorageError, checkpointFileName, configKey } from '../../../src/storage/checkpoint-store.ts';
import type { LabState } from '../../../src/storage/lab-state.ts';
import { META, MODEL_HASH, sampleState } from './fixtures.ts';

let factory: IDBFactory;
let store: CheckpointStore;

beforeEach(async () => {
  factory = new IDBFactory();
  store = await CheckpointStore.open(factory);
});

afterEach(() => {
  vi.restoreAllMocks();
  store.close();
});

function expectSameState(actual: LabState, expected: LabState): void {
  expect({ ...actual, tensors: null }).toEqual({ ...expected, tensors: null });
  expect(Object.keys(actual.tensors)).toEqual(Object.keys(expected.tensors));
  for (const [name, t] of Object.entries(expected.tensors)) {
    expect(actual.tensors[name].dims).toEqual(t.dims);
    expect(new Uint32Array(actual.tensors[name].data.buffer, actual.tensors[name].data.byteOffset, t.data.length)).toEqual(new Uint32Array(t.data.buffer));
  }
}

async function storageFailure(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

/** Records in the checkpoints store, read through a second connection (files without a summary count too). */
async function fileCount(): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = factory.open(DB_NAME);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const db = request.result;
      const count = db.transaction('checkpoints').objectStore('checkpoints').count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
  });
}

const at = (minute: number) => `2026-03-04T05:${String(minute).padStart(2, '0')}:00.000Z`;

describe('CheckpointStore', () => {
  it('saves, lists newest first without tensors, loads bit for bit and deletes', async () => {
    const first = await store.save(sampleState(1, 2), { ...META, label: 'first', savedAt: at(1) });
    const second = await store.save(sampleState(2, 5), { ...META, label: 'second', savedAt: at(2), metrics: { forget: 0.1 } });
    expect(second.id).toBeGreaterThan(first.id);
    expect(first).toMatchObject({ label: 'first', savedAt: at(1), modelHash: MODEL_HASH, step: 2, method: 'NPO + BGD', autosave: false });
    expect(first.configKey).toBe(configKey(sampleState(1).config));
    const list = await store.list();
    expect(list.map((s) => s.label)).toEqual(['second', 'first']);
    expect(list[0]).toEqual(second);
    expect(list[0].metrics).toEqual({ forget: 0.1 });
    expect(JSON.stringify(list)).not.toMatch(/Float32Array|"0":/); // summaries hold no tensors

    const loaded = await store.load(first.id);
    expectSameState(loaded.state, sampleState(1, 2));
    expect(loaded.meta).toMatchObject({ label: 'first', savedAt: at(1) });

    await store.delete(first.id);
    expect((await store.list()).map((s) => s.id)).toEqual([second.id]);
    expect(await fileCount()).toBe(1);
    expect((await storageFailure(store.load(first.id))).kind).toBe('missing');
    expect((await storageFailure(store.delete(first.id))).message).toMatch(/checkpoint \d+ does not exist/);
    expect((await storageFailure(store.exportFile(12345))).kind).toBe('missing');
  });

  it('keeps checkpoints across closing and reopening the database', async () => {
    const saved = await store.save(sampleState(3), META);
    store.close();
    store = await CheckpointStore.open(factory);
    expect(await store.list()).toEqual([saved]);
    expectSameState((await store.load(saved.id)).state, sampleState(3));
  });

  it('exports the checkpoint file and imports it back as a new checkpoint', async () => {
    const saved = await store.save(sampleState(4, 7), { ...META, label: 'NPO: strong forget!' });
    const { bytes, fileName } = await store.exportFile(saved.id);
    expect(fileName).toBe('pebench-npo-strong-forget-step7.peblab');
    expectSameState((await decodeCheckpoint(bytes)).state, sampleState(4, 7));
    const inBigger = new Uint8Array(bytes.length + 8);
    inBigger.set(bytes, 8);
    const imported = await store.importFile(inBigger.subarray(8), { modelHash: MODEL_HASH });
    expect(imported.id).not.toBe(saved.id);
    expect({ ...imported, id: 0 }).toEqual({ ...saved, id: 0 });
    expectSameState((await store.load(imported.id)).state, sampleState(4, 7));
    expect((await store.exportFile(imported.id)).bytes).toEqual(bytes);
  });

  it('import of a damaged or foreign file throws its CheckpointFileError and writes nothing', async () => {
    const saved = await store.save(sampleState(5), META);
    const file = await encodeCheckpoint(sampleState(6), META);
    const damaged = file.slice();
    damaged[damaged.length - 3] ^= 0x20;
    for (const [bytes, kind] of [[damaged, 'corrupt'], [file.subarray(0, 100), 'corrupt'], [new Uint8Array([1, 2, 3]), 'not-a-checkpoint']] as const) {
      const error = await store.importFile(bytes, { modelHash: MODEL_HASH }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CheckpointFileError);
      expect((error as CheckpointFileError).kind).toBe(kind);
    }
    const foreign = await store.importFile(file, { modelHash: 'ef01'.repeat(16) }).catch((e: unknown) => e);
    expect((foreign as CheckpointFileError).kind).toBe('foreign-model');
    expect(await store.list()).toEqual([saved]);
    expect(await fileCount()).toBe(1);
  });

  it('without a tab id keeps exactly one shared autosave (v1\'s slot), replaced by each save, listed and marked', async () => {
    expect(await store.loadAutosave()).toBeNull();
    const kept = await store.save(sampleState(7), META);
    await store.saveAutosave(sampleState(8, 1), { label: 'autosave at step 1', savedAt: at(10) });
    const latest = await store.saveAutosave(sampleState(9, 2), { label: 'autosave at step 2', savedAt: at(11) });
    expect(latest).toMatchObject({ id: AUTOSAVE_ID, autosave: true, step: 2 });
    const list = await store.list();
    expect(list.filter((s) => s.autosave)).toEqual([latest]);
    expect(list).toHaveLength(2);
    expectSameState((await store.loadAutosave())!.state, sampleState(9, 2));
    const next = await store.save(sampleState(10), META);
    expect(next.id).toBeGreaterThan(kept.id); // the autosave slot does not disturb saved ids
  });

  it('a full storage (put throws QuotaExceededError) says so and leaves earlier checkpoints intact', async () => {
    const kept = await store.save(sampleState(11), META);
    await store.saveAutosave(sampleState(12, 1), META);
    const before = await store.list();
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'summaries') throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      return put.apply(this, args); // the file is written first, then must be rolled back
    });
    for (const attempt of [store.save(sampleState(13), META), store.saveAutosave(sampleState(14, 3), META)]) {
      const error = await storageFailure(attempt);
      expect(error.kind).toBe('full');
      expect(error.message).toBe("the browser's storage for this site is full: delete old checkpoints or export them to files; nothing was saved");
    }
    vi.restoreAllMocks();
    expect(await store.list()).toEqual(before);
    expect(await fileCount()).toBe(2);
    expectSameState((await store.load(kept.id)).state, sampleState(11));
    expectSameState((await store.loadAutosave())!.state, sampleState(12, 1));
  });

  it('a quota error that aborts the transaction (as browsers report it) gives kind full too', async () => {
    const kept = await store.save(sampleState(15), META);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      const request = put.apply(this, args);
      if (this.name === 'summaries') {
        // What a browser does when the disk quota is hit at commit: the transaction aborts with
        // error QuotaExceededError and its pending requests fail with AbortError.
        (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
      }
      return request;
    });
    const error = await storageFailure(store.save(sampleState(16), META));
    expect(error.kind).toBe('full');
    vi.restoreAllMocks();
    expect(await store.list()).toEqual([kept]);
    expect(await fileCount()).toBe(1);
  });

  it('a database that cannot be opened gives kind unavailable with what to do', async () => {
    const refusing = { open: () => { throw new DOMException('denied', 'SecurityError'); } } as unknown as IDBFactory;
    const refused = await storageFailure(CheckpointStore.open(refusing));
    expect(refused.kind).toBe('unavailable');
    expect(refused.message).toMatch(/^checkpoints cannot be saved in this browser \(opening its database was refused: denied\); the run goes on; export checkpoints to files instead$/);

    const newer = new IDBFactory();
    await new Promise<void>((resolve, reject) => {
      const request = newer.open(DB_NAME, 99);
      request.onsuccess = () => { request.result.close(); resolve(); };
      request.onerror = () => reject(request.error);
    });
    const tooNew = await storageFailure(CheckpointStore.open(newer));
    expect([tooNew.kind, tooNew.message]).toEqual(['unavailable', expect.stringMatching(/upgraded by a newer version of the lab/)]);

    vi.stubGlobal('indexedDB', undefined);
    try {
      expect((await storageFailure(CheckpointStore.open())).message).toMatch(/no IndexedDB/);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a closed database gives kind unavailable, not a crash', async () => {
    store.close();
    const error = await storageFailure(store.list());
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/reload the page/);
    store = await CheckpointStore.open(factory);
  });
});

describe('configKey / checkpointFileName', () => {
  it('configKey ignores key order and tells different configs apart', () => {
    const config = sampleState(1).config;
    const reordered = { lastBlocks: config.lastBlocks, seed: config.seed, bgd: config.bgd, settings: { steps: 12, beta: 0.1, lr: 1e-3 }, method: config.method, request: { forgetSeed: 2, personRatio: 0.05, target: 'person' as const } };
    expect(configKey(reordered)).toBe(configKey(config));
    expect(configKey({ ...config, seed: 2 })).not.toBe(configKey(config));
    expect(configKey({ ...config, settings: { ...config.settings, lr: 2e-3 } })).not.toBe(configKey(config));
  });

  it('file names are safe slugs of the label', () => {
    expect(checkpointFileName({ label: '../../etc/Passwd ü', step: 3 })).toBe('pebench-etc-passwd-step3.peblab');
    expect(checkpointFileName({ label: '***', step: 0 })).toBe('pebench-step0.peblab');
  });
});
