// The checkpoint database's schema and its upgrades, one function per version: opening an older
// database runs every upgrade after its version, inside the browser's upgrade transaction, so a
// failed upgrade leaves the old database as it was. An upgrade may add stores and indexes; it never
// drops a record. Not here: reading or writing checkpoints (checkpoint-store.ts).
import type { DBSchema } from 'idb';
import type { CheckpointSummary } from './checkpoint-store.ts';

export const DB_NAME = 'pebench-lab';

export interface LabDB extends DBSchema {
  /** The checkpoint files, by id. */
  checkpoints: { key: number; value: { id?: number; file: Uint8Array } };
  /**
   * One summary per checkpoint, same id. savedAt: listing by save time (v1). autosaveTab: each
   * tab's autosave slot (v2; summaries without the field, saved checkpoints and v1's shared
   * autosave, are not in it).
   */
  summaries: { key: number; value: CheckpointSummary; indexes: { savedAt: string; autosaveTab: string } };
}

/** UPGRADES[v - 1] turns a database of version v - 1 (0: none yet) into version v. */
const UPGRADES: readonly ((db: IDBDatabase, tx: IDBTransaction) => void)[] = [
  // v1: checkpoint files and their summaries; the autosave was one shared slot (id 0).
  (db) => {
    db.createObjectStore('checkpoints', { keyPath: 'id', autoIncrement: true });
    db.createObjectStore('summaries', { keyPath: 'id' }).createIndex('savedAt', 'savedAt');
  },
  // v2: one autosave slot per tab, found by its tab id.
  (_db, tx) => {
    tx.objectStore('summaries').createIndex('autosaveTab', 'autosaveTab');
  },
];

export const DB_VERSION = UPGRADES.length;

/** Runs the upgrades from `oldVersion` to `newVersion` (onupgradeneeded's versionchange transaction). */
export function upgradeSchema(db: IDBDatabase, tx: IDBTransaction, oldVersion: number, newVersion: number): void {
  for (let version = oldVersion + 1; version <= newVersion; version++) UPGRADES[version - 1](db, tx);
}
