// One lasting connection to the checkpoint store, for the worker's writes and for the page: opens on
// first use, again after a failed open, and again after another tab's upgrade or deletion of the
// database closed it (versionchange); an operation that found it closed under it is retried once on
// the new connection (a closed connection starts no transaction, so nothing was written twice).
// Not here: what the operations do (checkpoint-store.ts).
import { CheckpointStore } from './checkpoint-store.ts';

export class StoreConnection {
  private store: CheckpointStore | null = null;
  private opening: Promise<CheckpointStore> | null = null;
  private disposed = false;

  /** `open` defaults to this context's IndexedDB (tests pass a fake one). */
  constructor(private readonly open: () => Promise<CheckpointStore> = () => CheckpointStore.open()) {}

  /** Runs `work` on an open store; opening errors (StorageError 'unavailable') reach the caller. */
  async use<T>(work: (store: CheckpointStore) => Promise<T>): Promise<T> {
    const store = await this.current();
    try {
      return await work(store);
    } catch (error) {
      if (!store.closed || this.disposed) throw error;
      return work(await this.current()); // closed by another tab meanwhile: once more, reopened
    }
  }

  close(): void {
    this.disposed = true;
    this.store?.close();
    this.store = null;
  }

  private async current(): Promise<CheckpointStore> {
    if (this.disposed) throw new Error('the checkpoint store connection was closed: this is a bug in the caller');
    if (this.store && !this.store.closed) return this.store;
    this.store = null;
    const opening = (this.opening ??= this.open());
    try {
      const store = await opening;
      if (this.disposed) {
        store.close();
        throw new Error('the checkpoint store connection was closed while opening');
      }
      this.store = store;
      return store;
    } finally {
      if (this.opening === opening) this.opening = null;
    }
  }
}
