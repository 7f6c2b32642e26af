// The one error the checkpoint store throws for storage problems, and the sorting of IndexedDB's
// DOMExceptions into what the user can do about them (no storage here, storage full, gone record).
// Not here: bad checkpoint files, which are CheckpointFileError (checkpoint-file.ts).

/**
 * unavailable: this browser cannot store checkpoints (no IndexedDB, private mode, open blocked or
 * refused); full: the site's storage quota is used up; missing: no checkpoint with that id;
 * failed: any other storage error (its message is kept).
 */
export type StorageErrorKind = 'unavailable' | 'full' | 'missing' | 'failed';

export class StorageError extends Error {
  override name = 'StorageError';
  constructor(readonly kind: StorageErrorKind, message: string) {
    super(message);
  }
}

export function unavailableError(why: string): StorageError {
  return new StorageError('unavailable', `checkpoints cannot be saved in this browser (${why}); the run goes on; export checkpoints to files instead`);
}

export const FULL_MESSAGE = "the browser's storage for this site is full: delete old checkpoints or export them to files; nothing was saved";

function errorName(error: unknown): string {
  return error !== null && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** True for a quota error, also when it reaches us as the AbortError of the transaction it aborted. */
export function isQuotaError(error: unknown, transactionError?: unknown): boolean {
  const quota = (e: unknown) => errorName(e) === 'QuotaExceededError' || (e instanceof DOMException && e.code === 22);
  return quota(error) || quota(transactionError) || (error instanceof Error && error.cause !== undefined && quota(error.cause));
}

/** Any error from an IndexedDB operation as a StorageError (errors that already say what to do pass through). */
export function storageError(error: unknown, doing: string, transactionError?: unknown): Error {
  if (error instanceof StorageError) return error;
  if (isQuotaError(error, transactionError)) return new StorageError('full', FULL_MESSAGE);
  if (error instanceof Error && error.name === 'CheckpointFileError') return error;
  if (errorName(error) === 'InvalidStateError') {
    return unavailableError(`the checkpoint database was closed while ${doing}, by another tab of the lab or by clearing site data: reload the page`);
  }
  return new StorageError('failed', `${doing} failed in the browser's storage (${describe(error)}): try again, or export checkpoints to files`);
}
