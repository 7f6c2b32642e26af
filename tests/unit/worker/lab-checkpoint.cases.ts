// Checkpoint writes in the worker (run from lab-engine.test.ts on its micro-world model): the
// engine stores the run's state in IndexedDB (fake-indexeddb here) as a named checkpoint or the
// autosave slot, and what it stored loads back as exactly the run's state; a full or missing
// storage is a 'storage' error with the store's message, earlier checkpoints stay, the run goes on.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { expect, it, vi } from 'vitest';
import { CheckpointStore } from '../../../src/storage/checkpoint-store.ts';
import { LabEngine } from '../../../src/worker/lab-engine.ts';
import { labErrorInfo } from '../../../src/worker/lab-setup.ts';
import { PERSON_REQUEST, type LabTestContext } from './lab-context.ts';

export function checkpointCases(ctx: LabTestContext): void {
  it('stores a named checkpoint and the autosave; each loads back as the run state', async () => {
    const factory = new IDBFactory();
    const engine = new LabEngine({ ...ctx.options, openCheckpoints: () => CheckpointStore.open(factory) });
    const reader = await CheckpointStore.open(factory);
    try {
      await engine.load({ modelUrl: ctx.model, backend: 'cpu' });
      await engine.configure({ request: PERSON_REQUEST, method: 'ga', settings: { steps: 4, lr: 0.01 }, bgd: false, seed: 0 });
      await engine.step();
      const named = await engine.saveCheckpoint({ label: '  after one step ', metrics: { forget: 0.5 } });
      expect(named).toMatchObject({ label: 'after one step', step: 1, autosave: false, metrics: { forget: 0.5 }, modelHash: ctx.loaded.modelHash });
      await engine.step();
      const auto = await engine.saveCheckpoint({ autosave: true });
      expect(auto).toMatchObject({ label: 'autosave at step 2', step: 2, autosave: true });
      const unnamed = await engine.saveCheckpoint({});
      expect(unnamed.label).toBe('GA step 2');

      const state = await engine.state();
      const stored = (await reader.loadAutosave())!.state;
      expect(stored.step).toBe(2);
      expect(Object.keys(stored.tensors).sort()).toEqual(Object.keys(state.tensors).sort());
      for (const [name, t] of Object.entries(state.tensors)) expect(stored.tensors[name].data).toEqual(t.data);
      expect((await reader.load(named.id)).state.step).toBe(1);
      expect((await reader.list()).map((c) => c.label)).toEqual(['GA step 2', 'autosave at step 2', 'after one step']);
      expect(labErrorInfo(await engine.saveCheckpoint({ label: 'x'.repeat(500) }).catch((e) => e))).toMatchObject({ kind: 'bad-input' });
    } finally {
      reader.close();
      await engine.dispose();
    }
  }, 60_000);

  it('a full or missing storage is a storage error; saved checkpoints stay and the run goes on', async () => {
    const factory = new IDBFactory();
    const engine = new LabEngine({ ...ctx.options, openCheckpoints: () => CheckpointStore.open(factory) });
    const missing = new LabEngine({ ...ctx.options, openCheckpoints: () => CheckpointStore.open(null as unknown as IDBFactory) }); // as where indexedDB is missing
    try {
      for (const e of [engine, missing]) {
        await e.load({ modelUrl: ctx.model, backend: 'cpu' });
        await e.configure({ request: PERSON_REQUEST, method: 'ga', settings: { steps: 4, lr: 0.01 }, bgd: false, seed: 0 });
        await e.step();
      }
      const kept = await engine.saveCheckpoint({ label: 'kept' });
      const put = IDBObjectStore.prototype.put;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (this.name === 'summaries') throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
        return put.apply(this, args);
      });
      const full = labErrorInfo(await engine.saveCheckpoint({ autosave: true }).catch((e) => e));
      vi.restoreAllMocks();
      expect(full).toEqual({ kind: 'storage', message: expect.stringMatching(/storage for this site is full.*nothing was saved/) });
      expect((await engine.step()).step).toBe(2); // the run goes on
      const reader = await CheckpointStore.open(factory);
      expect((await reader.list()).map((c) => c.id)).toEqual([kept.id]);
      reader.close();

      const none = labErrorInfo(await missing.saveCheckpoint({}).catch((e) => e));
      expect(none).toEqual({ kind: 'storage', message: expect.stringMatching(/checkpoints cannot be saved in this browser \(this browser offers no IndexedDB\)/) });
      expect((await missing.step()).step).toBe(2);
    } finally {
      vi.restoreAllMocks();
      await engine.dispose();
      await missing.dispose();
    }
  }, 60_000);
}
