// Public types of the runtime: backends, host tensors, tensor specs, and the small slice of an
// onnxruntime module (node or web) that the rest of src/runtime/ talks to.
// Deliberately type-only: nothing here imports onnxruntime-* at run time, so any module may import
// these types without pulling a runtime into its bundle.
import type { InferenceSession, Tensor, Env } from 'onnxruntime-web';

/** Where a graph runs: onnxruntime-node on the CPU, or onnxruntime-web on WASM or WebGPU. */
export type BackendKind = 'cpu' | 'wasm' | 'webgpu';

/** What a caller may ask for; 'auto' = WebGPU when the browser gives an adapter, else WASM; CPU in Node. */
export type BackendChoice = BackendKind | 'auto';

export type TensorType = 'float32' | 'float64' | 'float16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

export type TensorData = Float32Array | Float64Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

/** A tensor whose bytes live in JS memory. An ORT CPU tensor satisfies this shape too. */
export interface HostTensor {
  readonly type: TensorType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

/** One graph input or output as the loaded session reports it; string dims are symbolic. */
export interface TensorSpec {
  readonly name: string;
  readonly type: TensorType | 'unknown';
  readonly shape: readonly (number | string)[];
}

export interface RuntimeOptions {
  /** Default 'auto'. In Node 'wasm' selects onnxruntime-web's WASM backend (parity tests, benchmarks). */
  backend?: BackendChoice;
  /** Intra-op threads (CPU) or WASM threads. Default: 2 in Node, up to 4 when cross-origin isolated. */
  threads?: number;
  /** Browser only: URL prefix of the self-hosted ORT .wasm/.mjs files. Default `<app base>/ort/`. */
  wasmPaths?: string;
}

export type OrtTensor = Tensor;
export type OrtSession = InferenceSession;
export type OrtSessionOptions = InferenceSession.SessionOptions;

/** The part of an onnxruntime module (node or web) the runtime uses. */
export interface OrtModule {
  readonly InferenceSession: {
    create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession>;
  };
  readonly Tensor: new (type: TensorType, data: TensorData, dims: readonly number[]) => Tensor;
  readonly env: Env;
}

/** One loaded onnxruntime package configured for one backend. */
export interface OrtBinding {
  readonly backend: BackendKind;
  readonly ort: OrtModule;
  readonly threads: number;
  /** Execution providers to name in session options, e.g. ['webgpu'] or ['cpu']. */
  readonly executionProviders: readonly string[];
  /** True when outputs may be kept in GPU buffers via preferredOutputLocation. */
  readonly keepsOutputsOnDevice: boolean;
  /** Session options every session of this binding starts from (threads, optimisation level). */
  readonly sessionDefaults: InferenceSession.SessionOptions;
  /** WebGPU only: copies host bytes into a GPU buffer once, so constant inputs are not re-uploaded per run. */
  uploadToDevice?(tensor: HostTensor): Promise<Tensor>;
  /** Called after a session was created: e.g. to watch the WebGPU device for loss. */
  afterSessionCreated?(): Promise<void>;
  /** Non-null once the backend became unusable (e.g. the WebGPU device was lost): what happened. */
  lostReason(): string | null;
}
