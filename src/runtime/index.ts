// The runtime's public surface: openRuntime() picks onnxruntime-node in Node and onnxruntime-web in
// a browser or worker, plus the session, training-step and error types. The Node entry is loaded
// through a specifier bundlers do not follow, so browser builds never contain onnxruntime-node.
// Composition roots that know their environment may import node.ts or browser.ts directly.
import type { Runtime } from './runtime.ts';
import type { RuntimeOptions } from './types.ts';

export { Runtime, type CreateSessionOptions, type ExternalDataFile } from './runtime.ts';
export { RuntimeSession, type Feed, type Feeds } from './session.ts';
export { DeviceTensor } from './device-tensor.ts';
export { TrainSession, DEFAULT_TRAIN_STEP_NAMES, type TrainSessionOptions, type TrainStepNames, type StepHyper, type StepResult } from './train-session.ts';
export { RuntimeError, SessionCreateError, FeedMismatchError, BackendLostError } from './errors.ts';
export { RunQueue } from './run-queue.ts';
export { Answerer, type Answer, type AnswerOptions, type AnswerableModel, type Question } from './answerer.ts';
export { generate, openInferenceSessions, type Generation, type GenerationRequest, type InferenceSessions } from './generate.ts';
export type { BackendKind, BackendChoice, HostTensor, TensorSpec, TensorType, TensorData, RuntimeOptions } from './types.ts';

// A variable, not a literal: Vite and Rollup leave `import(variable)` alone.
const NODE_ENTRY = './node.ts';

export function isNodeProcess(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

export async function openRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const entry: { openRuntime(options: RuntimeOptions): Promise<Runtime> } = isNodeProcess()
    ? await import(/* @vite-ignore */ NODE_ENTRY)
    : await import('./browser.ts');
  return entry.openRuntime(options);
}
