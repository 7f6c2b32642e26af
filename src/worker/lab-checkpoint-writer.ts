// The worker's checkpoint writes (the worker owns them, so the page's thread never encodes or stores
// a run's tensors): a run's state as a .peblab file in the lab's IndexedDB (src/storage), as a new
// checkpoint or in the autosave slot. The store opens on first use, and again after a failed open;
// storage problems become LabError 'storage' with the store's message (the run is not touched).
// Not here: listing, restoring, exporting or importing (the page does those with the same store).
import { CheckpointStore, StorageError, type CheckpointSummary } from '../storage/checkpoint-store.ts';
import { LabError, type LabPayload, type LabState } from './lab-protocol.ts';

export const MAX_LABEL_CHARS = 120;

export class CheckpointWriter {
  private store: Promise<CheckpointStore> | null = null;

  /** `open` defaults to the worker's IndexedDB (tests pass a fake one). */
  constructor(private readonly open: () => Promise<CheckpointStore> = () => CheckpointStore.open()) {}

  async write(state: LabState, request: LabPayload<'saveCheckpoint'>): Promise<CheckpointSummary> {
    const { label, autosave = false, metrics = null } = request ?? {};
    if (label !== undefined && (typeof label !== 'string' || label.length > MAX_LABEL_CHARS)) {
      throw new LabError('bad-input', `a checkpoint label is text of at most ${MAX_LABEL_CHARS} characters`);
    }
    const name = autosave ? `autosave at step ${state.step}` : label?.trim() || `${state.config.method.toUpperCase()} step ${state.step}`;
    try {
      const store = await this.opened();
      const meta = { label: name, metrics };
      return await (autosave ? store.saveAutosave(state, meta) : store.save(state, meta));
    } catch (error) {
      if (error instanceof StorageError) throw new LabError('storage', error.message);
      throw error;
    }
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = null;
    (await store?.catch(() => null))?.close();
  }

  private opened(): Promise<CheckpointStore> {
    const opening = (this.store ??= this.open());
    opening.catch(() => {
      if (this.store === opening) this.store = null;
    });
    return opening;
  }
}
