// Persistent storage for the lab's site: without it the browser may evict saved checkpoints when the
// disk runs low. navigator.storage.persist() is asked once per page, at the first save or autosave
// (Firefox shows a prompt, Chromium decides by itself), and the answer is kept for the Checkpoints
// panel; persisted() tells the state before that without asking. Not here: the checkpoints.

/** persistent: kept until the user clears it; best-effort: may be evicted; unsupported: no API here. */
export type StoragePersistence = 'persistent' | 'best-effort' | 'unsupported';

type Manager = Pick<StorageManager, 'persist' | 'persisted'>;

export class PersistentStorage {
  private asked: Promise<StoragePersistence> | null = null;

  /** `manager` defaults to navigator.storage (tests pass a fake one). */
  constructor(private readonly manager: Manager | undefined = globalThis.navigator?.storage) {}

  /** The state now, without asking the browser for anything. */
  async current(): Promise<StoragePersistence> {
    if (typeof this.manager?.persisted !== 'function') return 'unsupported';
    return (await this.manager.persisted().catch(() => false)) ? 'persistent' : 'best-effort';
  }

  /** Asks for persistence the first time it is called (not at all when it is already granted); later calls give that answer. */
  ask(): Promise<StoragePersistence> {
    return (this.asked ??= (async () => {
      const now = await this.current();
      if (now !== 'best-effort' || typeof this.manager?.persist !== 'function') return now;
      return (await this.manager.persist().catch(() => false)) ? 'persistent' : 'best-effort';
    })());
  }
}
