// Shared e2e helpers: record every request that leaves the app's origin.
import type { Page } from '@playwright/test';

/** Starts recording requests to other origins; call the returned function to read them. */
export function watchForeignRequests(page: Page, origin: string): () => string[] {
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin) foreign.push(url);
  });
  return () => foreign;
}
