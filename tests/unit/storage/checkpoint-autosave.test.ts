// One autosave slot per tab on fake-indexeddb: two tabs' autosaves do not overwrite each other, each
// tab loads its own, "the latest of any tab" is the newest of all, only the newest
// MAX_AUTOSAVE_SLOTS slots are kept (their files too), saved checkpoints are never dropped, and a
// bad tab id is refused before anything is written.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTOSAVE_ID, CheckpointStore, MAX_AUTOSAVE_SLOTS } from '../../../src/storage/checkpoint-store.ts';
import { META, sampleState } from './fixtures.ts';

const at = (minute: number) => `2026-03-04T06:${String(minute).padStart(2, '0')}:00.000Z`;
let store: CheckpointStore;

beforeEach(async () => {
  store = await CheckpointStore.open(new IDBFactory());
});
afterEach(() => store.close());

describe('autosave slots per tab', () => {
  it('two tabs keep separate autosaves; each reloads its own; the latest of any tab is the newest', async () => {
    await store.saveAutosave(sampleState(1, 3), { label: 'autosave at step 3', savedAt: at(1) }, 'tab-a');
    await store.saveAutosave(sampleState(2, 8), { label: 'autosave at step 8', savedAt: at(2) }, 'tab-b');
    const againA = await store.saveAutosave(sampleState(1, 4), { label: 'autosave at step 4', savedAt: at(3) }, 'tab-a');
    const autosaves = (await store.list()).filter((s) => s.autosave);
    expect(autosaves.map((s) => [s.autosaveTab, s.step])).toEqual([['tab-a', 4], ['tab-b', 8]]);
    expect((await store.loadAutosave('tab-a'))!.state.step).toBe(4);
    expect((await store.loadAutosave('tab-b'))!.state.step).toBe(8);
    expect((await store.loadAutosave())!.state.step).toBe(4);
    expect(againA.id).not.toBe(AUTOSAVE_ID);
    expect(await store.loadAutosave('tab-c')).toBeNull();
  });

  it(`keeps the newest ${MAX_AUTOSAVE_SLOTS} slots, files included, and never drops saved checkpoints`, async () => {
    const kept = await store.save(sampleState(9, 1), { ...META, savedAt: at(0) });
    await store.saveAutosave(sampleState(8, 1), { label: 'v1-style shared slot', savedAt: at(1) }); // no tab: slot 0
    for (let tab = 0; tab < MAX_AUTOSAVE_SLOTS + 1; tab++) {
      await store.saveAutosave(sampleState(tab, tab + 1), { label: `tab ${tab}`, savedAt: at(10 + tab) }, `tab-${tab}`);
    }
    const autosaves = (await store.list()).filter((s) => s.autosave);
    expect(autosaves.map((s) => s.autosaveTab)).toEqual(['tab-5', 'tab-4', 'tab-3', 'tab-2', 'tab-1']); // slot 0 and tab-0 dropped
    expect(await store.loadAutosave('tab-0')).toBeNull();
    await expect(store.load(AUTOSAVE_ID)).rejects.toMatchObject({ kind: 'missing' }); // its file went with it
    expect((await store.load(kept.id)).state.step).toBe(1);
    // An older tab saving again takes the newest place; the oldest other slot goes.
    await store.saveAutosave(sampleState(1, 9), { label: 'tab 1 again', savedAt: at(30) }, 'tab-1');
    expect((await store.list()).filter((s) => s.autosave).map((s) => s.autosaveTab)).toEqual(['tab-1', 'tab-5', 'tab-4', 'tab-3', 'tab-2']);
  });

  it('refuses a tab id that is not a short word, writing nothing', async () => {
    for (const bad of ['', 'a b', 'x'.repeat(65), '../0']) {
      await expect(store.saveAutosave(sampleState(1), META, bad)).rejects.toThrow(/tab id .* is not 1-64 letters/);
    }
    expect(await store.list()).toEqual([]);
  });
});
