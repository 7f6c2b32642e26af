// The UI's handle on the lab worker: typed, promise-based requests with ids; each promise settles
// with the worker's one `result` (resolve) or `error` (reject with a LabClientError carrying the
// protocol's kind), and the request's `progress` and `step` events go to its callbacks. Payload
// buffers can be transferred (e.g. a probe image's pixels). terminate() ends the worker and rejects
// whatever is still waiting. Not here: state for components (a .svelte.ts class on top of this).
import {
  labWorkerName, type LabBackend, type LabErrorKind, type LabMetrics, type LabPayload, type LabProgress, type LabRequest, type LabRequestType,
  type LabResponse, type LabResult,
} from '../worker/lab-protocol.ts';
import type { UnlearnStep } from '../unlearning/driver.ts';

export class LabClientError extends Error {
  override name = 'LabClientError';
  constructor(readonly kind: LabErrorKind, message: string, readonly request: LabRequestType) {
    super(message);
  }
}

export interface RequestOptions {
  onProgress?: (progress: LabProgress) => void;
  onStep?: (step: UnlearnStep) => void;
  onMetrics?: (metrics: LabMetrics) => void;
  onNotice?: (notice: string) => void;
  /** Buffers of the payload to move to the worker instead of copying (they become unusable here). */
  transfer?: Transferable[];
}

interface Pending {
  type: LabRequestType;
  resolve: (result: never) => void;
  reject: (error: Error) => void;
  options: RequestOptions;
}

/** What the client needs of a Worker (a real one, or a stand-in in tests). */
export interface LabPort {
  postMessage(message: LabRequest, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<LabResponse>) => void) | null;
  onerror?: ((event: ErrorEvent) => void) | null;
  terminate(): void;
}

/** The lab's module worker, named for the backend it will load, so it starts that backend at once. */
export function labWorker(backend: LabBackend): LabPort {
  return new Worker(new URL('../worker/lab-worker.ts', import.meta.url), { type: 'module', name: labWorkerName(backend) }) as unknown as LabPort;
}

export class LabClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private terminated = false;

  /** Default: the lab's module worker, bundled by Vite. */
  constructor(private readonly port: LabPort = new Worker(new URL('../worker/lab-worker.ts', import.meta.url), { type: 'module' }) as unknown as LabPort) {
    port.onmessage = (event) => this.receive(event.data);
    port.onerror = (event) => this.failAll('internal', `the lab worker failed: ${event.message || 'an error outside any request'}; reload the page`);
  }

  request<T extends LabRequestType>(type: T, payload: LabPayload<T>, options: RequestOptions = {}): Promise<LabResult<T>> {
    if (this.terminated) return Promise.reject(new LabClientError('cancelled', 'the lab worker was terminated', type));
    const id = this.nextId++;
    return new Promise<LabResult<T>>((resolve, reject) => {
      this.pending.set(id, { type, resolve: resolve as (result: never) => void, reject, options });
      this.port.postMessage({ id, type, payload } as LabRequest, options.transfer ?? []);
    });
  }

  /** Requests still waiting for their answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.port.terminate();
    this.failAll('cancelled', 'the lab worker was terminated');
  }

  private receive(message: LabResponse): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'progress':
        pending.options.onProgress?.(message.progress);
        return;
      case 'step':
        pending.options.onStep?.(message.step);
        return;
      case 'metrics':
        pending.options.onMetrics?.(message.metrics);
        return;
      case 'notice':
        pending.options.onNotice?.(message.notice);
        return;
      case 'result':
        this.pending.delete(message.id);
        pending.resolve(message.result as never);
        return;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(new LabClientError(message.error.kind, message.error.message, pending.type));
    }
  }

  private failAll(kind: LabErrorKind, message: string): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.reject(new LabClientError(kind, message, pending.type));
    }
  }
}
