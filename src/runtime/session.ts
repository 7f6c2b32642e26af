// One loaded ONNX graph: checks feeds against its declared inputs, runs through the backend's
// queue, and hands outputs back either as host tensors (`run`) or as DeviceTensors that stay where
// ORT put them (`runOnDevice`, used for weights kept on the GPU between training steps).
// Not a training loop (train-session.ts) and not a backend chooser (node.ts / browser.ts).
import { DeviceTensor, readToHost } from './device-tensor.ts';
import { BackendLostError, RuntimeError } from './errors.ts';
import { assertFeedsMatch, isTensorType, toOrtTensor } from './feeds.ts';
import type { RunQueue } from './run-queue.ts';
import type { HostTensor, OrtBinding, OrtSession, OrtTensor, TensorSpec } from './types.ts';

export type Feed = HostTensor | DeviceTensor;
export type Feeds = Readonly<Record<string, Feed>>;

export class RuntimeSession {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  private released = false;

  /** @internal Created by Runtime.createSession. */
  constructor(
    readonly label: string,
    private readonly binding: OrtBinding,
    private readonly queue: RunQueue,
    private readonly session: OrtSession,
    private readonly onRelease: (session: RuntimeSession) => void,
  ) {
    this.inputs = session.inputMetadata.map(specOf);
    this.outputs = session.outputMetadata.map(specOf);
  }

  get backend(): string {
    return this.binding.backend;
  }

  /** Runs the graph and returns the requested outputs (default: all) as host tensors. */
  async run(feeds: Feeds, options: { outputs?: readonly string[] } = {}): Promise<Record<string, HostTensor>> {
    const names = options.outputs ?? this.outputs.map((spec) => spec.name);
    this.checkOutputNames(names);
    return this.enqueueRun(feeds, names, async (results) => {
      const host: Record<string, HostTensor> = {};
      for (const name of names) {
        host[name] = await readToHost(results[name], false);
        if (results[name].location !== 'cpu') results[name].dispose();
      }
      return host;
    });
  }

  /**
   * Runs the graph and returns every output as a DeviceTensor: outputs the session was created to
   * keep on the device stay in GPU buffers (WebGPU); the rest are CPU tensors. The caller owns them.
   */
  async runOnDevice(feeds: Feeds): Promise<Record<string, DeviceTensor>> {
    const names = this.outputs.map((spec) => spec.name);
    return this.enqueueRun(feeds, names, async (results) => {
      const kept: Record<string, DeviceTensor> = {};
      for (const name of names) kept[name] = new DeviceTensor(results[name], this.queue);
      return kept;
    });
  }

  /** Node CPU sessions created with `profilePrefix`: stops profiling and writes the JSON file. */
  endProfiling(): void {
    this.session.endProfiling();
  }

  /** Releases the ORT session (after queued runs finish). Safe to call twice. */
  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.onRelease(this);
    await this.queue.enqueue(() => this.session.release());
  }

  private checkOutputNames(names: readonly string[]): void {
    const known = new Set(this.outputs.map((spec) => spec.name));
    const unknown = names.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new RuntimeError(`${this.label} has no output(s) ${unknown.join(', ')}; its outputs are ${[...known].join(', ')}`);
    }
  }

  private enqueueRun<T>(feeds: Feeds, outputNames: readonly string[], collect: (results: Record<string, OrtTensor>) => Promise<T>): Promise<T> {
    if (this.released) return Promise.reject(new RuntimeError(`${this.label}: run() after dispose(); create the session again`));
    try {
      assertFeedsMatch(this.label, this.inputs, feeds);
      for (const [name, feed] of Object.entries(feeds)) {
        if (feed instanceof DeviceTensor && feed.isDisposed) {
          throw new RuntimeError(`${this.label}: input "${name}" is a disposed DeviceTensor (a later step replaced it); feed the current one`);
        }
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.queue.enqueue(async () => {
      this.throwIfLost();
      const ortFeeds: Record<string, OrtTensor> = {};
      for (const [name, feed] of Object.entries(feeds)) {
        ortFeeds[name] = feed instanceof DeviceTensor ? feed.ortValue : toOrtTensor(this.binding.ort, name, feed);
      }
      let results: Record<string, OrtTensor>;
      try {
        results = (await this.session.run(ortFeeds, outputNames)) as Record<string, OrtTensor>;
      } catch (error) {
        this.throwIfLost();
        const reason = error instanceof Error ? error.message : String(error);
        throw new RuntimeError(`running ${this.label} on ${this.binding.backend} failed: ${reason}`, { cause: error });
      }
      return collect(results);
    });
  }

  private throwIfLost(): void {
    const reason = this.binding.lostReason();
    if (reason) throw new BackendLostError(this.binding.backend, reason);
  }
}

function specOf(meta: OrtSession['inputMetadata'][number]): TensorSpec {
  if (!meta.isTensor) return { name: meta.name, type: 'unknown', shape: [] };
  return { name: meta.name, type: isTensorType(meta.type) ? meta.type : 'unknown', shape: [...meta.shape] };
}
