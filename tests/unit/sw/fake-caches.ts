// In-memory CacheStorage for the service worker's unit tests: stores each response's bytes and
// headers (so a stored file can be read many times), keeps keys in the order stored as the Cache API
// does, and can be told to fail a put like a full disk.
import type { CacheLike, CacheStorageLike } from '../../../src/sw/install.ts';

interface Stored {
  bytes: ArrayBuffer;
  status: number;
  statusText: string;
  headers: [string, string][];
}

export class FakeCache implements CacheLike {
  readonly entries = new Map<string, Stored>();
  constructor(private readonly storage: FakeCaches) {}

  async match(request: RequestInfo): Promise<Response | undefined> {
    const stored = this.entries.get(typeof request === 'string' ? request : request.url);
    return stored && new Response(stored.bytes, { status: stored.status, statusText: stored.statusText, headers: stored.headers });
  }

  async put(request: RequestInfo, response: Response): Promise<void> {
    const bytes = await response.arrayBuffer();
    if (this.storage.quotaBytes !== undefined && this.storage.usedBytes() + bytes.byteLength > this.storage.quotaBytes) {
      throw new DOMException('Quota exceeded.', 'QuotaExceededError');
    }
    const url = typeof request === 'string' ? request : request.url;
    this.entries.delete(url); // as the Cache API does: storing a URL again moves it last in keys()
    this.entries.set(url, { bytes, status: response.status, statusText: response.statusText, headers: [...response.headers] });
  }

  async delete(request: RequestInfo): Promise<boolean> {
    return this.entries.delete(typeof request === 'string' ? request : request.url);
  }

  async keys(): Promise<readonly Request[]> {
    return [...this.entries.keys()].map((url) => new Request(url));
  }
}

export class FakeCaches implements CacheStorageLike {
  readonly caches = new Map<string, FakeCache>();
  /** When set, a put that would take the total past this many bytes fails with QuotaExceededError. */
  quotaBytes: number | undefined;

  async open(name: string): Promise<FakeCache> {
    if (!this.caches.has(name)) this.caches.set(name, new FakeCache(this));
    return this.caches.get(name)!;
  }

  async keys(): Promise<string[]> {
    return [...this.caches.keys()];
  }

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name);
  }

  usedBytes(): number {
    let total = 0;
    for (const cache of this.caches.values()) for (const stored of cache.entries.values()) total += stored.bytes.byteLength;
    return total;
  }
}
