// Messages between the service worker (sw.ts) and the page (register.ts), and the status the page
// shows. Types and one tag only: both sides are built separately, so nothing here may hold state.

/**
 * The lab's offline status, as onOfflineStatus() reports it:
 *   'unsupported'      no offline copy in this setting (dev server, no service workers, not a secure context);
 *   'installing'       the offline copy is being stored (progress in the detail);
 *   'ready'            the offline copy is complete: the lab works with the network off;
 *   'failed: <reason>' storing it failed (quota, network, files changed); the lab still works online.
 */
/** 'waiting': a production build whose offline copy starts once the lab's first run is prepared. */
export type OfflineStatus = 'unsupported' | 'waiting' | 'installing' | 'ready' | `failed: ${string}`;

/** Every message carries this tag, so other messages on the channel are ignored. */
export const MESSAGE_TAG = 'pebench-offline';

export interface StoreProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

/** Service worker -> page. `version` names the build whose copy the message is about. */
export type WorkerMessage =
  | { tag: typeof MESSAGE_TAG; kind: 'installing'; version: string; progress: StoreProgress }
  | { tag: typeof MESSAGE_TAG; kind: 'ready'; version: string; files: number; bytes: number; installSeconds?: number }
  | { tag: typeof MESSAGE_TAG; kind: 'failed'; version: string; reason: string };

/** Page -> service worker: "tell me your status" (answered with a WorkerMessage). */
export interface StatusQuery {
  tag: typeof MESSAGE_TAG;
  kind: 'status?';
}

export function isWorkerMessage(data: unknown): data is WorkerMessage {
  return typeof data === 'object' && data !== null && (data as { tag?: unknown }).tag === MESSAGE_TAG && typeof (data as { kind?: unknown }).kind === 'string';
}
