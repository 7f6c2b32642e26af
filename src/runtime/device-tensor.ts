// A tensor the runtime holds for its caller between runs: on the GPU (WebGPU, 'gpu-buffer') or in
// ORT's CPU memory (Node, WASM). Feeding it to the next run costs no copy on WebGPU and no
// re-wrapping elsewhere. Reading it back goes through the run queue. Not a math type: no ops here.
import type { RunQueue } from './run-queue.ts';
import type { HostTensor, OrtTensor, TensorData, TensorType } from './types.ts';

export class DeviceTensor {
  private disposed = false;

  /** @internal Only src/runtime/ touches the ORT value. */
  constructor(readonly ortValue: OrtTensor, private readonly queue: RunQueue) {}

  get type(): TensorType {
    return this.ortValue.type as TensorType;
  }

  get dims(): readonly number[] {
    return this.ortValue.dims;
  }

  /** 'cpu' or 'gpu-buffer'. */
  get location(): string {
    return this.ortValue.location;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** A host copy of the values (a copy even on CPU, so callers cannot alias live training state). */
  download(): Promise<HostTensor> {
    if (this.disposed) return Promise.reject(new Error('download() of a disposed DeviceTensor: read it before the next step replaces it'));
    return this.queue.enqueue(() => readToHost(this.ortValue, true));
  }

  /** Frees the GPU buffer (WebGPU) or drops the reference (CPU). Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ortValue.dispose();
  }
}

/**
 * The values of an ORT tensor in JS memory. `copy` = false hands out the CPU tensor's own array
 * (fine for outputs nobody else holds). Must run inside the queue when the tensor is on the GPU.
 */
export async function readToHost(tensor: OrtTensor, copy: boolean): Promise<HostTensor> {
  const type = tensor.type as TensorType;
  const dims = [...tensor.dims];
  if (tensor.location === 'cpu') {
    const data = tensor.data as TensorData;
    return { type, dims, data: copy ? (data.slice() as TensorData) : data };
  }
  // getData() downloads GPU buffers; its result is already a fresh array.
  const data = (await tensor.getData()) as TensorData;
  return { type, dims, data };
}
