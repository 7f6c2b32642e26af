// Reopening after `versionchange` on fake-indexeddb: when another tab deletes or upgrades the
// checkpoint database, this tab's connection closes at once (the other tab is not blocked) and the
// next save opens a new one, for the page's StoreConnection and for the worker's CheckpointWriter;
// against a newer lab's database the save says to reload; an operation that the close interrupted is
// retried once on the new connection.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, DB_NAME, DB_VERSION, StorageError } from '../../../src/storage/checkpoint-store.ts';
import { StoreConnection } from '../../../src/storage/store-connection.ts';
import { CheckpointWriter } from '../../../src/worker/lab-checkpoint-writer.ts';
import { labErrorInfo } from '../../../src/worker/lab-setup.ts';
import { META, sampleState } from './fixtures.ts';

/** What another tab does: deletes the database, or opens it at `version` (a newer lab upgrading). */
function otherTab(factory: IDBFactory, action: { delete: true } | { version: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = 'delete' in action ? factory.deleteDatabase(DB_NAME) : factory.open(DB_NAME, action.version);
    request.onblocked = () => reject(new Error('the other tab was blocked: this tab did not close its connection'));
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      if ('version' in action) (request.result as IDBDatabase).close();
      resolve();
    };
  });
}

describe('StoreConnection', () => {
  it('reopens after another tab deleted the database, and saves into the new one', async () => {
    const factory = new IDBFactory();
    const connection = new StoreConnection(() => CheckpointStore.open(factory));
    await connection.use((store) => store.save(sampleState(1), META));
    await otherTab(factory, { delete: true });
    const saved = await connection.use((store) => store.save(sampleState(2, 5), META));
    expect(saved.step).toBe(5);
    expect((await connection.use((store) => store.list())).map((s) => s.step)).toEqual([5]); // the new, empty database
    connection.close();
  });

  it('lets a newer lab upgrade, then says to reload instead of failing obscurely', async () => {
    const factory = new IDBFactory();
    const connection = new StoreConnection(() => CheckpointStore.open(factory));
    await connection.use((store) => store.list());
    await otherTab(factory, { version: DB_VERSION + 1 });
    const error = await connection.use((store) => store.list()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(/upgraded by a newer version of the lab, perhaps in another tab: reload this page/);
    connection.close();
  });

  it('retries once an operation that found the connection closed under it', async () => {
    const factory = new IDBFactory();
    const connection = new StoreConnection(() => CheckpointStore.open(factory));
    const seen: CheckpointStore[] = [];
    const steps = await connection.use(async (store) => {
      seen.push(store);
      if (seen.length === 1) store.close(); // as a versionchange between opening and the transaction
      return (await store.list()).length;
    });
    expect(steps).toBe(0);
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    connection.close();
  });
});

describe('CheckpointWriter after versionchange', () => {
  it('the worker reopens the database another tab deleted, and the autosave lands', async () => {
    const factory = new IDBFactory();
    const writer = new CheckpointWriter(() => CheckpointStore.open(factory));
    await writer.write(sampleState(1, 1), { autosave: true, tab: 'tab-a' });
    await otherTab(factory, { delete: true });
    const saved = await writer.write(sampleState(1, 2), { autosave: true, tab: 'tab-a' });
    expect(saved).toMatchObject({ step: 2, autosave: true, autosaveTab: 'tab-a' });
    const reader = await CheckpointStore.open(factory);
    expect((await reader.loadAutosave('tab-a'))!.state.step).toBe(2);
    reader.close();
    await writer.close();
  });

  it('refuses a malformed tab id as bad input', async () => {
    const writer = new CheckpointWriter(() => CheckpointStore.open(new IDBFactory()));
    expect(labErrorInfo(await writer.write(sampleState(1), { autosave: true, tab: 'no spaces' }).catch((e: unknown) => e))).toMatchObject({ kind: 'bad-input' });
    await writer.close();
  });
});
