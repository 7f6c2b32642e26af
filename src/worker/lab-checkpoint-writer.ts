// The worker's checkpoint writes (the worker owns them, so the page's thread never encodes or stores
// a run's tensors): a run's state as a .peblab file in the lab's IndexedDB (src/storage), as a new
// checkpoint or in the requesting tab's autosave slot. The store opens on first use, again after a
// failed open and after another tab's upgrade closed it (StoreConnection); storage problems become
// LabError 'storage' with the store's message (the run is not touched). Not here: listing, restoring,
// exporting or importing (the page does those with the same store).
import type { CheckpointStore, CheckpointSummary } from '../storage/checkpoint-store.ts';
import { StorageError } from '../storage/storage-error.ts';
import { StoreConnection } from '../storage/store-connection.ts';
import { isTabId } from '../storage/tab-id.ts';
import { LabError, type LabPayload, type LabState } from './lab-protocol.ts';

export const MAX_LABEL_CHARS = 120;

export class CheckpointWriter {
  private readonly connection: StoreConnection;

  /** `open` defaults to the worker's IndexedDB (tests pass a fake one). */
  constructor(open?: () => Promise<CheckpointStore>) {
    this.connection = new StoreConnection(open);
  }

  async write(state: LabState, request: LabPayload<'saveCheckpoint'>): Promise<CheckpointSummary> {
    const { label, autosave = false, tab, metrics = null } = request ?? {};
    if (label !== undefined && (typeof label !== 'string' || label.length > MAX_LABEL_CHARS)) {
      throw new LabError('bad-input', `a checkpoint label is text of at most ${MAX_LABEL_CHARS} characters`);
    }
    if (tab !== undefined && !isTabId(tab)) {
      throw new LabError('bad-input', 'a tab id is 1-64 letters, digits, "_" or "-" (the page makes one per tab): reload the page');
    }
    const name = autosave ? `autosave at step ${state.step}` : label?.trim() || `${state.config.method.toUpperCase()} step ${state.step}`;
    try {
      const meta = { label: name, metrics };
      return await this.connection.use((store) => (autosave ? store.saveAutosave(state, meta, tab) : store.save(state, meta)));
    } catch (error) {
      if (error instanceof StorageError) throw new LabError('storage', error.message);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}
