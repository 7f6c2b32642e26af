// This tab's id, which names its autosave slot: kept in sessionStorage, which survives a reload of
// the same tab but is not shared with other tabs, so two tabs no longer overwrite one autosave and a
// reload still finds its own. Where sessionStorage is unavailable, an id for this page only.
// Not here: the slots themselves (checkpoint-store.ts). A browser's "duplicate tab" copies
// sessionStorage, so a duplicated tab starts with its original's id.

export const TAB_ID_KEY = 'pebench-lab-tab';

/** A tab id: 1-64 letters, digits, '_' or '-' (what this file makes is a UUID). */
export const isTabId = (value: unknown): value is string => typeof value === 'string' && /^[\w-]{1,64}$/.test(value);

type SessionStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The id stored in `storage`, or a new one stored there; a broken storage gives a fresh id each call. */
export function tabIdIn(storage: SessionStore | null, newId: () => string = () => crypto.randomUUID()): string {
  try {
    const kept = storage?.getItem(TAB_ID_KEY);
    if (isTabId(kept)) return kept;
  } catch {
    // storage disabled (privacy settings, sandboxed frame): an id for this page only
  }
  const id = newId();
  try {
    storage?.setItem(TAB_ID_KEY, id);
  } catch {
    // as above
  }
  return id;
}

let thisTab: string | null = null;

/** This tab's id (one per page load even where sessionStorage is missing). */
export function tabId(): string {
  return (thisTab ??= tabIdIn(sessionStorageOrNull()));
}

function sessionStorageOrNull(): SessionStore | null {
  try {
    return globalThis.sessionStorage ?? null; // reading it throws where storage is blocked
  } catch {
    return null;
  }
}
