// The browser's checkpoint shelf: checkpoint files (checkpoint-file.ts) in IndexedDB through idb,
// with a cheap summary per checkpoint for listing, export to a file, import from one (size-capped,
// then validated, before anything is written) and one autosave slot per tab (the newest few kept).
// Every write is one transaction, so a failed save (storage full) leaves earlier checkpoints as they
// were. Not here: the schema and its upgrades (checkpoint-schema.ts), reopening (store-connection.ts).
import { wrap, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { CHECKPOINT_EXTENSION, checkCheckpointSize, checkpointMeta, decodeCheckpoint, encodeCheckpoint, type CheckpointMeta, type CheckpointMetaInput } from './checkpoint-file.ts';
import { DB_NAME, DB_VERSION, upgradeSchema, type LabDB } from './checkpoint-schema.ts';
import type { LabState } from './lab-state.ts';
import { StorageError, storageError, unavailableError } from './storage-error.ts';
import { isTabId } from './tab-id.ts';
import type { RunConfig } from '../unlearning/run-config.ts';

export { StorageError, type StorageErrorKind } from './storage-error.ts';
export { DB_NAME, DB_VERSION } from './checkpoint-schema.ts';

/** The autosave slot of a save without a tab id (v1's one shared slot); saved checkpoints get ids from 1 up. */
export const AUTOSAVE_ID = 0;
/** Autosave slots kept: the newest this many (one per tab); older ones are dropped by the next autosave. */
export const MAX_AUTOSAVE_SLOTS = 5;

/** What the shelf lists: everything but the tensors. */
export interface CheckpointSummary {
  id: number;
  label: string;
  /** ISO 8601 (UTC, as toISOString writes it, so that it sorts as text). */
  savedAt: string;
  modelHash: string;
  config: RunConfig;
  /** configKey(config): equal strings mean the same run. */
  configKey: string;
  step: number;
  method: string;
  autosave: boolean;
  /** The tab whose autosave slot this is; absent on saved checkpoints and on v1's shared autosave. */
  autosaveTab?: string;
  /** Size of the checkpoint file. */
  bytes: number;
  metrics?: unknown;
}

type Stores = StoreNames<LabDB>[];
const BOTH: Stores = ['checkpoints', 'summaries'];

/** A stable text of a run config (object keys sorted at every level). */
export function configKey(config: RunConfig): string {
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
  private isClosed = false;
  private constructor(private readonly db: IDBPDatabase<LabDB>) {}

  /** Opens (creating or upgrading on first use) the lab's database; `factory` defaults to the browser's indexedDB. */
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
      request.onupgradeneeded = (event) => upgradeSchema(request.result, request.transaction!, event.oldVersion, event.newVersion ?? DB_VERSION);
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
          ? 'its checkpoint database was upgraded by a newer version of the lab, perhaps in another tab: reload this page to use that version'
          : `opening its database failed: ${error ? `${error.name}: ${error.message}` : 'unknown error'}`));
      };
      request.onblocked = () => {
        settled = true;
        reject(unavailableError('another tab of the lab holds an older checkpoint database open: close the other tabs and reload'));
      };
    });
    const store = new CheckpointStore(wrap(raw) as unknown as IDBPDatabase<LabDB>);
    // Another tab upgrades or deletes the database: let it, and mark this connection closed, so that
    // its owner (store-connection.ts) opens a new one. 'close': the browser closed it (site data cleared).
    raw.onversionchange = () => store.close();
    raw.onclose = () => void (store.isClosed = true);
    return store;
  }

  /** True once closed, by close() or because another tab upgraded or deleted the database. */
  get closed(): boolean {
    return this.isClosed;
  }

  close(): void {
    this.isClosed = true;
    this.db.close();
  }

  /** Saves `state` as a new checkpoint; nothing is written when it fails. */
  async save(state: LabState, meta: CheckpointMetaInput): Promise<CheckpointSummary> {
    const stored = checkpointMeta(state, meta); // savedAt fixed once, for the file and the summary
    const file = await encodeCheckpoint(state, stored);
    return this.run(BOTH, 'readwrite', 'saving a checkpoint', (tx) => put(tx, summaryOf(state, stored, file.length, false), file));
  }

  /**
   * Replaces `tab`'s autosave slot with `state` in one transaction (a reload of that tab finds the
   * last complete one) and drops the oldest slots beyond MAX_AUTOSAVE_SLOTS. Without a tab: the
   * shared slot AUTOSAVE_ID.
   */
  async saveAutosave(state: LabState, meta: CheckpointMetaInput, tab?: string): Promise<CheckpointSummary> {
    if (tab !== undefined && !isTabId(tab)) throw new Error(`tab id ${JSON.stringify(tab)} is not 1-64 letters, digits, '_' or '-': this is a bug in the caller`);
    const stored = checkpointMeta(state, meta);
    const file = await encodeCheckpoint(state, stored);
    const summary = summaryOf(state, stored, file.length, true);
    if (tab !== undefined) summary.autosaveTab = tab;
    return this.run(BOTH, 'readwrite', 'autosaving', async (tx) => {
      const slot = tab === undefined ? AUTOSAVE_ID : await tx.objectStore('summaries').index('autosaveTab').getKey(tab);
      const saved = await put(tx, summary, file, slot);
      const autosaves = (await tx.objectStore('summaries').index('savedAt').getAll()).filter((s) => s.autosave && s.id !== saved.id);
      const dropped = autosaves.reverse().slice(MAX_AUTOSAVE_SLOTS - 1); // newest first; the one just saved stays
      await Promise.all(dropped.flatMap(({ id }) => [tx.objectStore('checkpoints').delete(id), tx.objectStore('summaries').delete(id)]));
      return saved;
    });
  }

  /** `tab`'s autosave; without a tab, the latest autosave of any tab (v1's shared slot included). */
  async loadAutosave(tab?: string): Promise<{ state: LabState; meta: CheckpointMeta } | null> {
    const id = await this.run(['summaries'], 'readonly', 'reading the autosave', async (tx) => {
      if (tab !== undefined) return tx.objectStore('summaries').index('autosaveTab').getKey(tab);
      return (await tx.objectStore('summaries').index('savedAt').getAll()).reverse().find((s) => s.autosave)?.id;
    });
    return id === undefined ? null : this.load(id);
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

  /**
   * Checks a checkpoint file (size first, before reading a Blob; then format, checksums, model hash)
   * and saves it as a new checkpoint; a bad file writes nothing.
   */
  async importFile(source: Uint8Array | Blob, expect: { modelHash: string }): Promise<CheckpointSummary> {
    checkCheckpointSize(source instanceof Uint8Array ? source.length : source.size);
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer());
    const { state, meta } = await decodeCheckpoint(bytes, expect);
    const file = ownBytes(bytes);
    return this.run(BOTH, 'readwrite', 'importing a checkpoint', (tx) => put(tx, summaryOf(state, meta, file.length, false), file));
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

/** Writes a file and its summary (a new id, or slot `id`) in `tx`. */
async function put(tx: IDBPTransaction<LabDB, Stores, 'readwrite'>, summary: Omit<CheckpointSummary, 'id'>, file: Uint8Array, id?: number): Promise<CheckpointSummary> {
  const key = await tx.objectStore('checkpoints').put(id === undefined ? { file } : { id, file });
  const full: CheckpointSummary = { id: key, ...summary };
  await tx.objectStore('summaries').put(full);
  return full;
}

function missing(id: number): StorageError {
  return new StorageError('missing', `checkpoint ${id} does not exist (deleted, perhaps in another tab): refresh the list`);
}
