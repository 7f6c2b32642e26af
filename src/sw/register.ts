// Registers the lab's service worker (production builds only: src/main.ts calls
// registerOfflineSupport() when import.meta.env.PROD) and reports whether the lab works offline.
// For the UI:   const stop = onOfflineStatus((status, detail) => ...)   // called at once, then on change
//   status: 'unsupported' | 'installing' | 'ready' | 'failed: <reason>'   (OfflineStatus, messages.ts)
//   detail: { reason?, progress?: {filesDone, filesTotal, bytesDone, bytesTotal}, version?, files?, bytes?, update? }
// The same status is on <html data-offline-status="..."> and in a window event 'pebench:offline-status'.
import { MESSAGE_TAG, isWorkerMessage, type OfflineStatus, type StatusQuery } from './messages.ts';
import { OfflineStatusBoard, type OfflineDetail, type OfflineListener } from './offline-status.ts';

export type { OfflineDetail, OfflineListener, OfflineStatus };

/** Dispatched on window with `detail: { status, ...OfflineDetail }` on every change. */
export const OFFLINE_STATUS_EVENT = 'pebench:offline-status';

const board = import.meta.env.PROD
  ? new OfflineStatusBoard('waiting', { reason: 'stored once the lab\'s first run is prepared' })
  : new OfflineStatusBoard('unsupported', { reason: 'offline support is only in production builds (`npm start`), not on the dev server' });
let registered = false;

/** Calls `listener` now with the current status and on every change; returns the unsubscribe. */
export function onOfflineStatus(listener: OfflineListener): () => void {
  return board.subscribe(listener);
}

/** The current status and its details. */
export function offlineStatus(): { status: OfflineStatus; detail: OfflineDetail } {
  return board.current;
}

/** Registers dist/sw.js (once per page). Never throws: every outcome becomes a status. */
export function registerOfflineSupport(): void {
  if (registered) return;
  registered = true;
  let reported = '';
  board.subscribe((status, detail) => {
    document.documentElement.dataset.offlineStatus = status;
    if (status === 'ready' && detail.installSeconds !== undefined && reported !== detail.version) {
      reported = detail.version ?? '';
      console.info(`offline copy of the lab ready: ${detail.files} files, ${((detail.bytes ?? 0) / 1e6).toFixed(1)} MB, stored in ${detail.installSeconds.toFixed(1)} s`);
    }
    window.dispatchEvent(new CustomEvent(OFFLINE_STATUS_EVENT, { detail: { status, ...detail } }));
  });
  if (!window.isSecureContext) {
    return board.set('unsupported', { reason: 'the page is not a secure context (https, localhost or 127.0.0.1), so the browser allows no service worker: the lab works online only' });
  }
  if (!('serviceWorker' in navigator)) {
    return board.set('unsupported', { reason: 'this browser offers no service workers (some private modes turn them off): the lab works online only' });
  }
  const container = navigator.serviceWorker;
  container.addEventListener('message', (event) => {
    if (isWorkerMessage(event.data)) board.receive(event.data);
  });
  container.startMessages();
  board.set('installing', {});

  const base = import.meta.env.BASE_URL;
  container.register(`${base}sw.js`, { scope: base }).then(
    (registration) => {
      watchInstall(registration.installing);
      registration.addEventListener('updatefound', () => watchInstall(registration.installing));
      // The active worker answers with 'ready' (or stores its copy again if the browser evicted it).
      void container.ready.then((ready) => ready.active?.postMessage({ tag: MESSAGE_TAG, kind: 'status?' } satisfies StatusQuery));
    },
    (error: unknown) => {
      const reason = `the service worker could not be registered (${(error as Error)?.message ?? error}); the lab works online only`;
      console.warn(`offline copy of the lab: ${reason}`);
      board.set(`failed: ${reason}`, { reason });
    },
  );
}

/** A worker that dies during install without having said why still leaves a clear status. */
function watchInstall(worker: ServiceWorker | null): void {
  worker?.addEventListener('statechange', () => {
    if (worker.state !== 'redundant' || board.current.status !== 'installing') return;
    const reason = 'the service worker was discarded while storing the offline copy (see the browser console); the lab works online only';
    board.set(`failed: ${reason}`, { reason });
  });
}
