// The browser's checkpoint shelf: checkpoint files (checkpoint-file.ts) in IndexedDB through idb,
// with a cheap summary per checkpoint for listing, export to a file, import from one (validated
// before anything is written) and one autosave slot replaced atomically. Every write is one
// transaction, so a failed save (storage full) leaves earlier checkpoints as they were.
// Not here: whether a state fits the running graph (worker/lab-state.ts) or any UI.
import { wrap, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { LabRunConfig, LabState } from '../worker/lab-protocol.ts';
import { CHECKPOINT_EXTENSION, checkpointMeta, decodeCheckpoint, encodeCheckpoint, type CheckpointMeta, type CheckpointMetaInput } from './checkpoint-file.ts';
import { StorageError, storageError, unavailableError } from './storage-error.ts';

export { StorageError, type StorageErrorKind } from './storage-error.ts';

export const DB_NAME = 'pebench-lab';
export const DB_VERSION = 1;
/** The autosave slot's fixed id; saved checkpoints get ids from 1 up. */
export const AUTOSAVE_ID = 0;

/** What the shelf lists: everything but the tensors. */
export interface CheckpointSummary {
  id: number;
  label: string;
  /** ISO 8601 (UTC, as toISOString writes it, so that it sorts as text). */
  savedAt: string;
  modelHash: string;
  config: LabRunConfig;
  /** configKey(config): equal strings mean the same run. */
  configKey: string;
  step: number;
  method: string;
  autosave: boolean;
  /** Size of the checkpoint file. */
  bytes: number;
  metrics?: unknown;
}

interface LabDB extends DBSchema {
  /** The checkpoint files, by id. */
  checkpoints: { key: number; value: { id?: number; file: Uint8Array } };
  /** One summary per checkpoint, same id, listed by save time. */
  summaries: { key: number; value: CheckpointSummary; indexes: { savedAt: string } };
}

type Stores = StoreNames<LabDB>[];
const BOTH: Stores = ['checkpoints', 'summaries'];

/** A stable text of a run config (object keys sorted at every level). */
export function configKey(config: LabRunConfig): string {
  const sorted = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
      : v;
  return JSON.stringify(sorted(config));
}

/** A file name for a checkpoint: `pebench-<label>-step<N>.peblab`. */
export function checkpointFileName(summary: Pick<CheckpointSummary, 'label' | 'step'>): string {
  const slug = summary.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `pebench-${slug ? `${slug}-` : ''}step${summary.step}${CHECKPOINT_EXTENSION}`;
}

function summaryOf(state: LabState, meta: CheckpointMeta, bytes: number, autosave: boolean): Omit<CheckpointSummary, 'id'> {
  const summary: Omit<CheckpointSummary, 'id'> = {
    label: meta.label, savedAt: new Date(meta.savedAt).toISOString(), modelHash: state.modelHash, config: state.config,
    configKey: configKey(state.config), step: state.step, method: meta.method, autosave, bytes,
  };
  if (meta.metrics !== undefined) summary.metrics = meta.metrics;
  return summary;
}

/** A copy that owns its whole buffer (a structured clone of a view would store the entire buffer). */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}

export class CheckpointStore {
  private constructor(private readonly db: IDBPDatabase<LabDB>) {}

  /** Opens (creating on first use) the lab's database; `factory` defaults to the browser's indexedDB. */
  static async open(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<CheckpointStore> {
    if (!factory) throw unavailableError('this browser offers no IndexedDB');
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(DB_NAME, DB_VERSION);
    } catch (error) {
      throw unavailableError(`opening its database was refused: ${error instanceof Error ? error.message || error.name : String(error)}`);
    }
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      let settled = false;
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore('checkpoints', { keyPath: 'id', autoIncrement: true });
        db.createObjectStore('summaries', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
      };
      request.onsuccess = () => {
        if (settled) request.result.close(); // opened after we gave up on it (blocked)
        else resolve(request.result);
        settled = true;
      };
      request.onerror = (event) => {
        event.preventDefault();
        settled = true;
        const error = request.error;
        reject(unavailableError(error?.name === 'VersionError'
          ? 'its checkpoint database was made by a newer version of the lab: use that version or clear this site\'s data'
          : `opening its database failed: ${error ? `${error.name}: ${error.message}` : 'unknown error'}`));
      };
      request.onblocked = () => {
        settled = true;
        reject(unavailableError('another tab of the lab holds an older checkpoint database open: close the other tabs and reload'));
      };
    });
    raw.onversionchange = () => raw.close(); // let a newer lab in another tab upgrade
    return new CheckpointStore(wrap(raw) as unknown as IDBPDatabase<LabDB>);
  }

  close(): void {
    this.db.close();
  }

  /** Saves `state` as a new checkpoint; nothing is written when it fails. */
  async save(state: LabState, meta: CheckpointMetaInput): Promise<CheckpointSummary> {
    const stored = checkpointMeta(state, meta); // savedAt fixed once, for the file and the summary
    const file = await encodeCheckpoint(state, stored);
    return this.put(summaryOf(state, stored, file.length, false), file);
  }

  /** Replaces the autosave slot with `state` in one transaction (a reload finds the last complete one). */
  async saveAutosave(state: LabState, meta: CheckpointMetaInput): Promise<CheckpointSummary> {
    const stored = checkpointMeta(state, meta);
    const file = await encodeCheckpoint(state, stored);
    return this.put(summaryOf(state, stored, file.length, true), file, AUTOSAVE_ID);
  }

  async loadAutosave(): Promise<{ state: LabState; meta: CheckpointMeta } | null> {
    const found = await this.run(['checkpoints'], 'readonly', 'reading the autosave', (tx) => tx.objectStore('checkpoints').count(AUTOSAVE_ID));
    return found ? this.load(AUTOSAVE_ID) : null;
  }

  /** Every checkpoint's summary, newest first (the autosave among them, marked). */
  async list(): Promise<CheckpointSummary[]> {
    const all = await this.run(['summaries'], 'readonly', 'listing checkpoints', (tx) => tx.objectStore('summaries').index('savedAt').getAll());
    return all.reverse(); // ascending by (savedAt, id) -> newest first
  }

  /** The checkpoint's state and metadata, checked through checkpoint-file (a damaged record throws CheckpointFileError). */
  async load(id: number, expect: { modelHash?: string } = {}): Promise<{ state: LabState; meta: CheckpointMeta }> {
    const record = await this.run(['checkpoints'], 'readonly', 'loading a checkpoint', (tx) => tx.objectStore('checkpoints').get(id));
    if (!record) throw missing(id);
    return decodeCheckpoint(record.file, expect);
  }

  async delete(id: number): Promise<void> {
    await this.run(BOTH, 'readwrite', 'deleting a checkpoint', async (tx) => {
      if (!(await tx.objectStore('summaries').count(id))) throw missing(id);
      await Promise.all([tx.objectStore('checkpoints').delete(id), tx.objectStore('summaries').delete(id)]);
    });
  }

  /** The checkpoint file as saved, and a file name for it. */
  async exportFile(id: number): Promise<{ bytes: Uint8Array; fileName: string }> {
    const [record, summary] = await this.run(BOTH, 'readonly', 'exporting a checkpoint', (tx) =>
      Promise.all([tx.objectStore('checkpoints').get(id), tx.objectStore('summaries').get(id)]));
    if (!record || !summary) throw missing(id);
    return { bytes: record.file, fileName: checkpointFileName(summary) };
  }

  /** Checks a checkpoint file (format, checksums, model hash) and saves it as a new checkpoint; a bad file writes nothing. */
  async importFile(bytes: Uint8Array, expect: { modelHash: string }): Promise<CheckpointSummary> {
    const { state, meta } = await decodeCheckpoint(bytes, expect);
    const file = ownBytes(bytes);
    return this.put(summaryOf(state, meta, file.length, false), file);
  }

  private async put(summary: Omit<CheckpointSummary, 'id'>, file: Uint8Array, id?: number): Promise<CheckpointSummary> {
    return this.run(BOTH, 'readwrite', 'saving a checkpoint', async (tx) => {
      const key = await tx.objectStore('checkpoints').put(id === undefined ? { file } : { id, file });
      const full: CheckpointSummary = { id: key, ...summary };
      await tx.objectStore('summaries').put(full);
      return full;
    });
  }

  /** Runs `work` in one transaction and waits until it is committed; any failure aborts all of it. */
  private async run<S extends Stores, M extends IDBTransactionMode, T>(
    stores: S, mode: M, doing: string, work: (tx: IDBPTransaction<LabDB, S, M>) => Promise<T>,
  ): Promise<T> {
    let tx: IDBPTransaction<LabDB, S, M> | undefined;
    try {
      tx = this.db.transaction(stores, mode);
      tx.done.catch(() => {}); // awaited below; this keeps an abort from being reported as unhandled
      const result = await work(tx);
      await tx.done;
      return result;
    } catch (error) {
      try {
        tx?.abort();
      } catch {
        // already aborted or finished
      }
      throw storageError(error, doing, tx?.error);
    }
  }
}

function missing(id: number): StorageError {
  return new StorageError('missing', `checkpoint ${id} does not exist (deleted, perhaps in another tab): refresh the list`);
}
