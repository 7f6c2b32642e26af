// The UI's handle on the render worker: request ids, at most two renders in flight, cancellation
// of requests that are no longer wanted (scrolled away, unmounted), and a small LRU of results.
import type { ImageKey, WorldConfig } from '../world/types.ts';
import type { RenderRequest, RenderResponse } from '../worker/render-protocol.ts';

interface Pending {
  request: RenderRequest;
  cacheKey: string;
  resolve: (image: ImageData) => void;
  reject: (error: Error) => void;
}

const MAX_IN_FLIGHT = 2;
const CACHE_LIMIT = 600;

export class RenderClient {
  /** Started by the first render, so a page that shows no image yet (the lab starting) does not pay for it. */
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly queue: Pending[] = [];
  private readonly inFlight = new Map<number, Pending>();
  private readonly cache = new Map<string, ImageData>();
  /** Milliseconds per render as measured inside the worker (most recent first, capped). */
  readonly timings: number[] = [];

  private started(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('../worker/render-worker.ts', import.meta.url), { type: 'module' });
      this.worker.onmessage = (event: MessageEvent<RenderResponse>) => this.settle(event.data);
    }
    return this.worker;
  }

  render(config: WorldConfig, key: ImageKey, size: number, signal?: AbortSignal): Promise<ImageData> {
    const configJson = JSON.stringify(config);
    const cacheKey = `${configJson}|${key.personId}/${key.eventId}/${key.variant}@${size}`;
    const hit = this.cache.get(cacheKey);
    if (hit) {
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, hit);
      return Promise.resolve(hit);
    }
    return new Promise<ImageData>((resolve, reject) => {
      // Plain copies: a config or key read from Svelte state is a proxy, which postMessage cannot clone.
      const request: RenderRequest = { id: this.nextId++, config: JSON.parse(configJson) as WorldConfig, key: { personId: key.personId, eventId: key.eventId, variant: key.variant }, size };
      const pending: Pending = { request, cacheKey, resolve, reject };
      signal?.addEventListener('abort', () => {
        const index = this.queue.indexOf(pending);
        if (index >= 0) this.queue.splice(index, 1);
        reject(new DOMException('render cancelled', 'AbortError'));
      });
      this.queue.push(pending);
      this.pump();
    });
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private pump(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && this.queue.length > 0) {
      const next = this.queue.shift()!;
      try {
        this.started().postMessage(next.request);
        this.inFlight.set(next.request.id, next);
      } catch (error) {
        next.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  private settle(response: RenderResponse): void {
    const pending = this.inFlight.get(response.id);
    this.inFlight.delete(response.id);
    this.pump();
    if (!pending) return;
    if (!response.ok) {
      pending.reject(new Error(response.error));
      return;
    }
    const image = new ImageData(new Uint8ClampedArray(response.rgba), response.size, response.size);
    this.timings.unshift(response.ms);
    this.timings.length = Math.min(this.timings.length, 200);
    this.cache.set(pending.cacheKey, image);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    pending.resolve(image);
  }
}
