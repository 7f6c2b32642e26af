// Browser entry point: mounts the Svelte app and, in production builds, registers the service worker
// that keeps an offline copy of the lab (src/sw/).
import { mount } from 'svelte';
import App from './ui/App.svelte';
import { registerOfflineSupport } from './sw/register.ts';

mount(App, { target: document.getElementById('app')! });
if (import.meta.env.PROD) registerOfflineSupport();
