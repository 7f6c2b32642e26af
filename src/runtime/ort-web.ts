// The onnxruntime-web binding: WebGPU when the browser hands out an adapter (or when asked), else
// multi-threaded WASM. In the browser the .wasm/.mjs files come from the app's own origin
// (`<base>/ort/`, put there by vite-plugin-ort.ts), never from a CDN, and each backend loads only
// its own build: WASM the plain one (`onnxruntime-web/wasm`, 14 MB), WebGPU the JSEP one (28 MB),
// which in Chromium on 2 cores starts ~40% faster and runs our CPU kernels faster too. In Node the
// package's Node entry runs its WASM build from node_modules (parity tests, benchmarks).
// Not a place for session logic.
import type * as OrtWebModule from 'onnxruntime-web';
import { RuntimeError } from './errors.ts';
import type { BackendChoice, HostTensor, OrtBinding, OrtModule, OrtTensor } from './types.ts';

export interface WebBindingOptions {
  backend: BackendChoice;
  threads?: number;
  wasmPaths?: string;
}

/** The few WebGPU shapes used here (no @webgpu/types in this project). */
interface GpuDeviceLike {
  readonly lost: Promise<{ reason?: string; message?: string }>;
  readonly queue: { writeBuffer(buffer: GpuBufferLike, offset: number, data: ArrayBufferView): void };
  createBuffer(descriptor: { size: number; usage: number }): GpuBufferLike;
}
interface GpuBufferLike {
  destroy(): void;
}
interface GpuNavigator {
  readonly gpu?: { requestAdapter(): Promise<unknown | null> };
}

// GPUBufferUsage.STORAGE | COPY_SRC | COPY_DST, the usage ORT gives its own tensor buffers.
const STORAGE_BUFFER_USAGE = 0x80 | 0x04 | 0x08;

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

type OrtWeb = typeof OrtWebModule;

/** One module instance per build, each with its own `env`. */
const modules: { wasm?: Promise<OrtWeb>; webgpu?: Promise<OrtWeb> } = {};
const configured = new WeakSet<object>();
/** The module of the WebGPU backend, once it was loaded (device access, GPU tensors). */
let gpuModule: OrtWeb | null = null;

function ortModule(backend: 'wasm' | 'webgpu'): Promise<OrtWeb> {
  // Node resolves the package's own Node entry for any subpath we could name here: use the main one.
  if (backend === 'webgpu' || isNode()) return (modules.webgpu ??= import('onnxruntime-web'));
  return (modules.wasm ??= import('onnxruntime-web/wasm'));
}

let lost: string | null = null;
let watchingDevice = false;

/** True when `navigator.gpu.requestAdapter()` gives an adapter (false in Node and in most headless browsers). */
export async function webGpuAvailable(): Promise<boolean> {
  if (isNode()) return false;
  const gpu = (globalThis.navigator as GpuNavigator | undefined)?.gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

export async function webBinding(options: WebBindingOptions): Promise<OrtBinding> {
  if (options.backend === 'cpu') {
    throw new RuntimeError("the 'cpu' backend is onnxruntime-node (Node only): in the browser choose 'auto', 'webgpu' or 'wasm'");
  }
  let backend = options.backend;
  if (backend === 'auto') backend = (await webGpuAvailable()) ? 'webgpu' : 'wasm';
  if (backend === 'webgpu' && isNode()) {
    throw new RuntimeError("onnxruntime-web has no WebGPU in Node: use backend 'webgpu' through onnxruntime-node (src/runtime/node.ts), or 'wasm'");
  }
  if (backend === 'webgpu' && !(await webGpuAvailable())) {
    throw new RuntimeError("WebGPU was requested but navigator.gpu.requestAdapter() gave no adapter: use backend 'auto' or 'wasm' " +
      '(in headless Chromium start it with --enable-unsafe-webgpu)');
  }
  const webgpu = backend === 'webgpu';
  const ortWeb = await ortModule(webgpu ? 'webgpu' : 'wasm');
  if (webgpu) gpuModule = ortWeb;
  const ort = ortWeb as unknown as OrtModule;
  configureWasm(ortWeb, options);
  return {
    backend,
    ort,
    threads: ortWeb.env.wasm.numThreads ?? 1,
    executionProviders: webgpu ? ['webgpu', 'wasm'] : ['wasm'],
    keepsOutputsOnDevice: webgpu,
    sessionDefaults: { graphOptimizationLevel: 'all', logSeverityLevel: 3 },
    afterSessionCreated: webgpu ? watchDevice : undefined,
    uploadToDevice: webgpu ? uploadToDevice : undefined,
    lostReason: () => lost,
  };
}

/** env.wasm is global to a module: the first binding's settings stay for the page's lifetime. */
function configureWasm(ortWeb: OrtWeb, options: WebBindingOptions): void {
  if (configured.has(ortWeb.env)) return;
  configured.add(ortWeb.env);
  ortWeb.env.logLevel = 'error';
  ortWeb.env.wasm.proxy = false;
  ortWeb.env.wasm.numThreads = options.threads ?? defaultThreads();
  if (!isNode()) ortWeb.env.wasm.wasmPaths = options.wasmPaths ?? defaultWasmPrefix();
}

function defaultThreads(): number {
  if (isNode()) return 2;
  // Threads need SharedArrayBuffer, which needs cross-origin isolation (COOP/COEP headers).
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, globalThis.navigator?.hardwareConcurrency ?? 1));
}

/** `<app base>/ort/`, resolved against the page or worker location. */
export function defaultWasmPrefix(): string {
  const base = import.meta.env?.BASE_URL ?? '/';
  return new URL(`${base.replace(/\/?$/, '/')}ort/`, globalThis.location.href).href;
}

async function webGpuDevice(): Promise<GpuDeviceLike> {
  if (!gpuModule) throw new RuntimeError('the WebGPU backend is not loaded');
  return (await gpuModule.env.webgpu.device) as unknown as GpuDeviceLike;
}

async function watchDevice(): Promise<void> {
  if (watchingDevice) return;
  watchingDevice = true;
  const device = await webGpuDevice();
  void device.lost.then((info) => {
    lost = `the WebGPU device was lost (${info.reason ?? 'unknown'}${info.message ? `: ${info.message}` : ''})`;
  });
}

async function uploadToDevice(tensor: HostTensor): Promise<OrtTensor> {
  if (lost) throw new RuntimeError(lost);
  const device = await webGpuDevice();
  const bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  // Buffer sizes and writeBuffer lengths must be multiples of 4; ORT itself rounds to 16.
  const size = Math.max(16, Math.ceil(bytes.byteLength / 16) * 16);
  const buffer = device.createBuffer({ size, usage: STORAGE_BUFFER_USAGE });
  const padded = bytes.byteLength % 4 === 0 ? bytes : copyPadded(bytes);
  device.queue.writeBuffer(buffer, 0, padded);
  return gpuModule!.Tensor.fromGpuBuffer(buffer as never, {
    dataType: tensor.type as 'float32',
    dims: tensor.dims,
    dispose: () => buffer.destroy(),
  }) as OrtTensor;
}

function copyPadded(bytes: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  padded.set(bytes);
  return padded;
}
