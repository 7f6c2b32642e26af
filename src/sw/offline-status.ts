// The page's view of the offline status: turns the service worker's messages into one
// OfflineStatus plus details, and tells subscribers. Pure (no navigator, no DOM): register.ts feeds
// it. Rule worth knowing: once a build's copy is 'ready', progress or failure of a newer build
// being stored does not take that away (the older copy still works offline); it shows in `update`.
import type { OfflineStatus, StoreProgress, WorkerMessage } from './messages.ts';

export interface OfflineDetail {
  /** Why the status is what it is, in words (set for 'unsupported' and 'failed: ...'). */
  reason?: string;
  /** While 'installing': how far storing has got. */
  progress?: StoreProgress;
  /** When 'ready': the build whose copy is stored, its file count and size. */
  version?: string;
  files?: number;
  bytes?: number;
  /** Seconds storing took, when this page saw it happen. */
  installSeconds?: number;
  /** A newer build being stored (or failing to be) while this one is ready. */
  update?: { progress?: StoreProgress; failed?: string };
}

export type OfflineListener = (status: OfflineStatus, detail: OfflineDetail) => void;

export class OfflineStatusBoard {
  private status: OfflineStatus;
  private detail: OfflineDetail;
  private readonly listeners = new Set<OfflineListener>();

  constructor(status: OfflineStatus = 'unsupported', detail: OfflineDetail = {}) {
    this.status = status;
    this.detail = detail;
  }

  get current(): { status: OfflineStatus; detail: OfflineDetail } {
    return { status: this.status, detail: { ...this.detail } };
  }

  /** Calls `listener` now with the current status and on every change; returns the unsubscribe. */
  subscribe(listener: OfflineListener): () => void {
    this.listeners.add(listener);
    listener(this.status, { ...this.detail });
    return () => void this.listeners.delete(listener);
  }

  set(status: OfflineStatus, detail: OfflineDetail = {}): void {
    this.status = status;
    this.detail = detail;
    for (const listener of this.listeners) listener(status, { ...detail });
  }

  /** Applies one message from the service worker. */
  receive(message: WorkerMessage): void {
    const readyVersion = this.status === 'ready' ? this.detail.version : undefined;
    const aboutNewer = readyVersion !== undefined && message.version !== readyVersion;
    switch (message.kind) {
      case 'ready':
        return this.set('ready', { version: message.version, files: message.files, bytes: message.bytes, installSeconds: message.installSeconds ?? this.detail.installSeconds });
      case 'installing':
        if (aboutNewer) return this.set('ready', { ...this.detail, update: { progress: message.progress } });
        return this.set('installing', { progress: message.progress });
      case 'failed':
        if (aboutNewer) return this.set('ready', { ...this.detail, update: { failed: message.reason } });
        return this.set(`failed: ${message.reason}`, { reason: message.reason });
    }
  }
}
