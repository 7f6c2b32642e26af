// Node entry of the runtime: 'auto' and 'cpu' give onnxruntime-node (native CPU kernels),
// 'wasm' gives onnxruntime-web's WASM build running in Node (parity tests, the wasm benchmark),
// 'webgpu' gives onnxruntime-node's WebGPU provider. Never import this from browser code.
import { Runtime } from './runtime.ts';
import type { RuntimeOptions } from './types.ts';

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const backend = options.backend ?? 'auto';
  if (backend === 'wasm') {
    const { webBinding } = await import('./ort-web.ts');
    return new Runtime(await webBinding({ backend: 'wasm', threads: options.threads }));
  }
  const { nodeBinding } = await import('./ort-node.ts');
  return new Runtime(nodeBinding({ device: backend === 'webgpu' ? 'webgpu' : 'cpu', threads: options.threads }));
}
