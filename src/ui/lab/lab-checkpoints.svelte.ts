// The lab's checkpoint shelf: the worker saves the run's state (off this thread); through src/storage
// this lists, restores (re-preparing the run when the checkpoint is of another experiment), deletes,
// exports and imports checkpoints, keeps this tab's autosave (and offers the newest of any tab), and
// asks once for persistent storage. Storage problems become a message; the run goes on.
import type { CheckpointStore, CheckpointSummary } from '../../storage/checkpoint-store.ts';
import { StorageError } from '../../storage/storage-error.ts';
import { PersistentStorage, type StoragePersistence } from '../../storage/persistence.ts';
import { StoreConnection } from '../../storage/store-connection.ts';
import { tabId } from '../../storage/tab-id.ts';
import type { LabSession } from './lab-session.svelte.ts';

export class CheckpointShelf {
  list = $state<CheckpointSummary[]>([]);
  /** This tab's autosave. */
  autosave = $state<CheckpointSummary | null>(null);
  /** The newest autosave of any tab (or of a lab before tab ids), when it is not this tab's own. */
  otherAutosave = $state<CheckpointSummary | null>(null);
  /** null while opening; false when this browser cannot store checkpoints (message says why). */
  available = $state<boolean | null>(null);
  /** null until known. */
  persistence = $state<StoragePersistence | null>(null);
  message = $state<string | null>(null);
  busy = $state(false);
  readonly tab = tabId();
  private readonly store = new StoreConnection();
  private readonly storage = new PersistentStorage();

  constructor(private readonly session: LabSession) {}

  async open(): Promise<void> {
    try {
      await this.refresh();
      this.available = true;
    } catch (error) {
      this.available = false;
      this.message = messageOf(error);
    }
    this.persistence = await this.storage.current();
  }

  async refresh(): Promise<void> {
    if (this.available === false) return;
    const all = await this.store.use((store) => store.list());
    this.list = all.filter((c) => !c.autosave);
    const own = all.find((c) => c.autosave && c.autosaveTab === this.tab) ?? null;
    const newest = all.find((c) => c.autosave) ?? null;
    this.autosave = own;
    this.otherAutosave = newest && newest.id !== own?.id ? newest : null;
  }

  async save(label?: string): Promise<void> {
    await this.guard('saving', async () => {
      this.requireStore();
      void this.askPersistence();
      const saved = await this.session.request('saveCheckpoint', { label: label || undefined, metrics: this.lastMetrics() });
      this.message = `saved “${saved.label}”`;
    });
  }

  /** Keeps the last completed state in this tab's autosave slot (silent unless it fails). */
  async autosaveNow(): Promise<void> {
    if (this.available !== true || this.busy) return;
    void this.askPersistence();
    try {
      await this.session.request('saveCheckpoint', { autosave: true, tab: this.tab, metrics: this.lastMetrics() });
      await this.refresh();
    } catch (error) {
      this.message = `autosave failed: ${messageOf(error)}`;
    }
  }

  async restore(id: number): Promise<void> {
    if (this.session.hold) {
      this.message = `restoring waits: ${this.session.hold}`;
      return;
    }
    await this.guard('restoring', async () => {
      const { state } = await this.use((store) => store.load(id));
      await this.session.restoreState(state, { ...state.config, backend: this.session.experiment.backend });
      this.message = `restored step ${state.step}`;
    });
  }

  async remove(id: number): Promise<void> {
    await this.guard('deleting', () => this.use((store) => store.delete(id)));
  }

  async exportFile(id: number): Promise<void> {
    await this.guard('exporting', async () => {
      const { bytes, fileName } = await this.use((store) => store.exportFile(id));
      download(bytes, fileName, 'application/octet-stream');
    });
  }

  /** The store checks the file's size before reading it (a huge file chosen by mistake is never read). */
  async importFile(file: File): Promise<void> {
    await this.guard('importing', async () => {
      const modelHash = this.session.loaded?.modelHash;
      if (!modelHash) throw new Error('the model is not loaded yet: wait until it is ready');
      const summary = await this.use((store) => store.importFile(file, { modelHash }));
      this.message = `imported “${summary.label}” (step ${summary.step})`;
    });
  }

  /** Whether the model download also holds the PyTorch folder. */
  exportPytorch = $state(false);

  async exportModel(): Promise<void> {
    await this.guard('exporting the model', async () => {
      const { zip, fileName } = await this.session.request('exportModel', { pytorch: this.exportPytorch });
      download(zip, fileName, 'application/zip');
      this.message = `exported ${fileName}`;
    });
  }

  /** The latest live metrics as plain data (Svelte state is a proxy, which postMessage cannot clone). */
  private lastMetrics(): unknown {
    return $state.snapshot(this.session.metrics.at(-1) ?? null);
  }

  private async askPersistence(): Promise<void> {
    this.persistence = await this.storage.ask();
  }

  private requireStore(): void {
    if (this.available !== true) throw new Error(this.message ?? 'checkpoints are not available in this browser');
  }

  private use<T>(work: (store: CheckpointStore) => Promise<T>): Promise<T> {
    this.requireStore();
    return this.store.use(work);
  }

  private async guard(doing: string, work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await work();
      await this.refresh();
    } catch (error) {
      this.message = `${doing} failed: ${messageOf(error)}`;
    } finally {
      this.busy = false;
    }
  }
}

function messageOf(error: unknown): string {
  if (error instanceof StorageError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function download(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
