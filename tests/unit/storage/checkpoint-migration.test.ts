// The checkpoint database's v1 -> v2 upgrade on fake-indexeddb: a database written the way v1 of
// the lab wrote it (two saved checkpoints and the shared autosave slot, id 0) is opened by the
// current store; every record must load back bit for bit, the new autosaveTab index must exist and
// find per-tab slots, and the v1 autosave must still be offered as the latest autosave of any tab.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { encodeCheckpoint } from '../../../src/storage/checkpoint-file.ts';
import { AUTOSAVE_ID, CheckpointStore, DB_NAME, DB_VERSION, configKey } from '../../../src/storage/checkpoint-store.ts';
import { META, sampleState } from './fixtures.ts';

const at = (minute: number) => `2026-03-04T05:${String(minute).padStart(2, '0')}:00.000Z`;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

/** A database as v1 of the lab made and filled it (its schema copied here, not imported). */
async function v1Database(factory: IDBFactory) {
  const open = factory.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('checkpoints', { keyPath: 'id', autoIncrement: true });
    open.result.createObjectStore('summaries', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
  };
  const db = await request(open);
  const records = [
    { id: AUTOSAVE_ID, state: sampleState(1, 4), label: 'autosave at step 4', savedAt: at(3), autosave: true },
    { id: 1, state: sampleState(2, 2), label: 'first', savedAt: at(1), autosave: false },
    { id: 2, state: sampleState(3, 3), label: 'second', savedAt: at(2), autosave: false },
  ];
  const summaries = [];
  for (const { id, state, label, savedAt, autosave } of records) {
    const file = await encodeCheckpoint(state, { ...META, label, savedAt });
    const summary = { id, label, savedAt, modelHash: state.modelHash, config: state.config, configKey: configKey(state.config), step: state.step, method: META.method, autosave, bytes: file.length, metrics: META.metrics };
    const tx = db.transaction(['checkpoints', 'summaries'], 'readwrite');
    tx.objectStore('checkpoints').put({ id, file });
    tx.objectStore('summaries').put(summary);
    await new Promise((resolve) => (tx.oncomplete = resolve));
    summaries.push(summary);
  }
  db.close();
  return { records, summaries };
}

describe('checkpoint database v1 -> v2', () => {
  it('keeps every v1 record, adds the autosaveTab index, and offers the v1 autosave as any tab\'s', async () => {
    const factory = new IDBFactory();
    const { records, summaries } = await v1Database(factory);
    const store = await CheckpointStore.open(factory);
    try {
      expect(DB_VERSION).toBe(2);
      expect(await store.list()).toEqual([summaries[0], summaries[2], summaries[1]]); // newest first, all kept
      for (const { id, state } of records) {
        const loaded = (await store.load(id)).state;
        expect(loaded.step).toBe(state.step);
        for (const [name, t] of Object.entries(state.tensors)) expect(new Uint32Array(loaded.tensors[name].data.buffer)).toEqual(new Uint32Array(t.data.buffer));
      }
      expect((await store.loadAutosave())!.state.step).toBe(4); // v1's shared slot: the latest of any tab
      expect(await store.loadAutosave('tab-a')).toBeNull(); // no tab has its own yet

      const own = await store.saveAutosave(sampleState(4, 7), { label: 'autosave at step 7', savedAt: at(9) }, 'tab-a');
      expect(own).toMatchObject({ autosaveTab: 'tab-a', step: 7 });
      expect(own.id).toBeGreaterThan(2); // a new slot, after the v1 ids
      expect((await store.loadAutosave('tab-a'))!.state.step).toBe(7);
      expect((await store.list()).map((s) => s.id)).toEqual([own.id, AUTOSAVE_ID, 2, 1]); // the v1 autosave stays
    } finally {
      store.close();
    }

    const raw = await request(factory.open(DB_NAME));
    expect(raw.version).toBe(2);
    const summariesStore = raw.transaction('summaries').objectStore('summaries');
    expect([...summariesStore.indexNames].sort()).toEqual(['autosaveTab', 'savedAt']);
    expect(await request(summariesStore.index('autosaveTab').getAllKeys())).toHaveLength(1); // only the tab's slot
    raw.close();
  });

  it('a fresh database gets the v2 schema directly', async () => {
    const factory = new IDBFactory();
    (await CheckpointStore.open(factory)).close();
    const raw = await request(factory.open(DB_NAME));
    expect(raw.version).toBe(DB_VERSION);
    expect([...raw.transaction('summaries').objectStore('summaries').indexNames].sort()).toEqual(['autosaveTab', 'savedAt']);
    raw.close();
  });
});
