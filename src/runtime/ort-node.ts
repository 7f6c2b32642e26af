// The Node binding: onnxruntime-node with its native CPU kernels (MLAS), or its WebGPU execution
// provider when asked for 'webgpu' in Node. Imported only from node.ts, so browser bundles never
// see onnxruntime-node. Not for onnxruntime-web in Node: that is ort-web.ts with backend 'wasm'.
import * as ortNode from 'onnxruntime-node';
import type { OrtBinding, OrtModule } from './types.ts';

export interface NodeBindingOptions {
  device: 'cpu' | 'webgpu';
  /** Intra-op threads; default 2 (the benchmark's setting; more cores rarely help small graphs). */
  threads?: number;
}

export function nodeBinding(options: NodeBindingOptions): OrtBinding {
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  const ort = ortNode as unknown as OrtModule;
  return {
    backend: options.device,
    ort,
    threads,
    executionProviders: options.device === 'webgpu' ? ['webgpu', 'cpu'] : ['cpu'],
    keepsOutputsOnDevice: false,
    sessionDefaults: {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // Errors only: ORT warns about CPU fallback of shape ops on WebGPU, which is expected.
      logSeverityLevel: 3,
    },
    lostReason: () => null,
  };
}
