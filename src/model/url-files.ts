// FileSource over HTTP: reads a model folder served at a URL (the app's own `/models/<name>/` in
// the browser, put there by vite-plugin-models.ts), one fetch per file; 404 means "no such file".
// Not a cache and not a sink (nothing is written), and no verification: loadModel checks every
// file against the manifest's sha256.
import type { FileSource } from './files.ts';

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

export class UrlFiles implements FileSource {
  /** The folder's URL, always ending in '/'. */
  readonly folderUrl: string;
  readonly label: string;

  /** `folderUrl` is absolute (resolve it against location.href first); `fetcher` defaults to the global fetch. */
  constructor(folderUrl: string | URL, private readonly fetcher: Fetch = (url, init) => globalThis.fetch(url, init)) {
    this.folderUrl = new URL(folderUrl).href.replace(/\/?$/, '/');
    this.label = this.folderUrl.slice(0, -1);
  }

  async read(path: string): Promise<Uint8Array | null> {
    if (!path || path.startsWith('/') || path.includes('\\') || path.split('/').some((s) => s === '..' || s === '.' || s === '')) {
      throw new RangeError(`model file path "${path}" must be relative to the model folder, '/'-separated, without '.' or '..'`);
    }
    const url = this.folderUrl + path.split('/').map(encodeURIComponent).join('/');
    // no-cache: revalidate, so a retrained model is never mixed with stale files from the HTTP cache.
    const response = await this.fetcher(url, { cache: 'no-cache' });
    if (response.status === 404) return null;
    if (!response.ok) {
      throw new Error(`fetching model file ${url} failed with HTTP ${response.status} ${response.statusText}: check that the app serves the model folder`);
    }
    return new Uint8Array(await response.arrayBuffer());
  }
}
