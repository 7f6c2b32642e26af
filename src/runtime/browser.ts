// Browser (and Web Worker) entry of the runtime: onnxruntime-web only, WebGPU when an adapter is
// available, else WASM with its files served from the app's own origin. Importing this never
// pulls onnxruntime-node into a bundle.
import { webBinding } from './ort-web.ts';
import { Runtime } from './runtime.ts';
import type { RuntimeOptions } from './types.ts';

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  return new Runtime(await webBinding({ backend: options.backend ?? 'auto', threads: options.threads, wasmPaths: options.wasmPaths }));
}
