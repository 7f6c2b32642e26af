// A Runtime is one configured backend (ORT-node CPU, ORT-web WASM or WebGPU) plus the queue that
// serialises every call into it. It creates sessions from ONNX bytes (with optional external
// data) and turns creation failures into errors naming the file and the op. Obtain one through
// openRuntime() (index.ts, node.ts or browser.ts); not constructed from outside src/runtime/.
import { DeviceTensor } from './device-tensor.ts';
import { RuntimeError, SessionCreateError, failingOpOf } from './errors.ts';
import { toOrtTensor } from './feeds.ts';
import { RunQueue } from './run-queue.ts';
import { RuntimeSession } from './session.ts';
import type { BackendKind, HostTensor, OrtBinding, OrtSessionOptions } from './types.ts';

export interface ExternalDataFile {
  /** The location string the model's initializers refer to, e.g. 'model.onnx.data'. */
  readonly path: string;
  readonly data: Uint8Array;
}

export interface CreateSessionOptions {
  /** Shown in errors: the file name or role, e.g. 'models/tiny/onnx/train_step.onnx'. */
  label?: string;
  externalData?: readonly ExternalDataFile[];
  /** Outputs to leave in GPU buffers on WebGPU (ignored on CPU and WASM, where all outputs are host memory). */
  keepOnDevice?: readonly string[];
  /** Node CPU only: write an ORT profile (JSON) with this file prefix; see RuntimeSession.endProfiling. */
  profilePrefix?: string;
}

// Backends created from the same ORT module share one queue: onnxruntime-web cannot overlap runs.
const queues = new WeakMap<object, RunQueue>();

export class Runtime {
  private readonly sessions = new Set<RuntimeSession>();
  private closed = false;

  /** @internal Use openRuntime(). */
  constructor(private readonly binding: OrtBinding) {
    if (!queues.has(binding.ort)) queues.set(binding.ort, new RunQueue());
  }

  get backend(): BackendKind {
    return this.binding.backend;
  }

  get threads(): number {
    return this.binding.threads;
  }

  /** True when outputs can stay in GPU buffers between runs (WebGPU). */
  get keepsOutputsOnDevice(): boolean {
    return this.binding.keepsOutputsOnDevice;
  }

  /** @internal The queue every ORT call of this backend goes through. */
  get queue(): RunQueue {
    return queues.get(this.binding.ort)!;
  }

  async createSession(model: Uint8Array, options: CreateSessionOptions = {}): Promise<RuntimeSession> {
    if (this.closed) throw new RuntimeError('createSession() on a disposed Runtime: open a new one with openRuntime()');
    const label = options.label ?? `an in-memory model (${model.byteLength} bytes)`;
    const sessionOptions = this.sessionOptionsFor(options);
    const session = await this.queue.enqueue(async () => {
      try {
        return await this.binding.ort.InferenceSession.create(model, sessionOptions);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new SessionCreateError(label, this.binding.backend, failingOpOf(message), error);
      }
    });
    await this.binding.afterSessionCreated?.();
    const wrapped = new RuntimeSession(label, this.binding, this.queue, session, (s) => this.sessions.delete(s));
    this.sessions.add(wrapped);
    return wrapped;
  }

  /**
   * Places host values where the backend computes: a GPU buffer on WebGPU (uploaded once, then fed
   * to any number of runs), an ORT CPU tensor elsewhere (wraps the array, no copy).
   */
  async toDevice(name: string, tensor: HostTensor): Promise<DeviceTensor> {
    const upload = this.binding.uploadToDevice;
    const value = upload ? await this.queue.enqueue(() => upload(tensor)) : toOrtTensor(this.binding.ort, name, tensor);
    return new DeviceTensor(value, this.queue);
  }

  /** Releases every session this runtime created. */
  async dispose(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions].map((session) => session.dispose()));
  }

  private sessionOptionsFor(options: CreateSessionOptions): OrtSessionOptions {
    const sessionOptions: OrtSessionOptions = {
      ...this.binding.sessionDefaults,
      executionProviders: [...this.binding.executionProviders],
    };
    if (options.externalData?.length) {
      sessionOptions.externalData = options.externalData.map((file) => ({ path: file.path, data: file.data }));
    }
    if (this.binding.keepsOutputsOnDevice && options.keepOnDevice?.length) {
      sessionOptions.preferredOutputLocation = Object.fromEntries(options.keepOnDevice.map((name) => [name, 'gpu-buffer' as const]));
    }
    if (options.profilePrefix) {
      if (this.binding.backend !== 'cpu') throw new RuntimeError(`profiling is only wired for the cpu backend, not ${this.binding.backend}`);
      sessionOptions.enableProfiling = true;
      sessionOptions.profileFilePrefix = options.profilePrefix;
    }
    return sessionOptions;
  }
}
