// Browser entry point: mounts the Svelte app and, in production builds, registers the service worker
// that keeps an offline copy of the lab (src/sw/). A first copy downloads and checks ~33 MB, so it
// waits until the lab's first run is prepared (LAB_SETTLED_EVENT) or, on pages without the lab, a few
// seconds; a page the stored copy already serves registers at once (nothing to download).
import { mount } from 'svelte';
import App from './ui/App.svelte';
import { LAB_SETTLED_EVENT } from './ui/lab/lab-session.svelte.ts';
import { registerOfflineSupport } from './sw/register.ts';

const OFFLINE_COPY_FALLBACK_MS = 15_000;

mount(App, { target: document.getElementById('app')! });
if (import.meta.env.PROD) {
  if (navigator.serviceWorker?.controller) registerOfflineSupport();
  window.addEventListener(LAB_SETTLED_EVENT, () => registerOfflineSupport(), { once: true });
  setTimeout(() => registerOfflineSupport(), OFFLINE_COPY_FALLBACK_MS); // registering twice does nothing
}
