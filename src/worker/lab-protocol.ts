// Messages between the lab's UI and its worker (lab-worker.ts, driven by LabEngine). Every request
// carries an id and is answered by exactly one `result` or `error` message with that id; while it
// works the worker may send `progress` events, during unlearning one `step` event per step and
// `metrics` events, and `notice` events, all tagged with the id of the request that caused them.
// Everything here is plain data (structured clone); Float32Array buffers of checkpoint tensors, probe
// images and an exported model's zip are transferred, not copied.
// Not here: what the requests do (lab-engine.ts) or how they are sent (lab-client.ts).
import type { PebenchReport } from '../eval/pebench-report.ts';
import type { ProbeVerdict } from '../eval/probe-verdict.ts';
import type { RelearnReport } from '../eval/robustness.ts';
import type { CheckpointSummary } from '../storage/checkpoint-store.ts';
import type { LabState } from '../storage/lab-state.ts';
import type { RunState, UnlearnStep } from '../unlearning/driver.ts';
import type { ForgetConcept, ForgetRequest } from '../world/splits.ts';
import type { WorldConfig } from '../world/types.ts';
import type { RunConfig } from '../unlearning/run-config.ts';

/** The checkpoint's contract (run config record, trained state) has its home in storage/; requests carry it. */
export { LAB_STATE_SCHEMA, type LabState } from '../storage/lab-state.ts';
export type { RunConfig };

export type LabBackend = 'webgpu' | 'wasm' | 'cpu';
export const LAB_BACKENDS: readonly LabBackend[] = ['webgpu', 'wasm', 'cpu'];

export interface WorldSummary {
  config: WorldConfig;
  persons: { id: number; name: string }[];
  events: { id: number; name: string }[];
  /** Ratios a forget request may use. */
  ratios: { person: readonly number[]; event: readonly number[] };
}

/** A picture for the probe: a world render (variant 0 = training render) or any RGBA image (resized to the model's size). */
export type ProbeImage = { personId: number; eventId: number; variant: number } | { rgba: Uint8Array | Uint8ClampedArray; width: number; height: number };

export interface ProbeAnswer {
  text: string;
  /** Each generated token (final `<eos>` included) with its softmax probability. */
  tokens: { token: string; prob: number }[];
  stop: 'eos' | 'length';
}

/** Where the current run stands; `last` is the most recent step taken (null at step 0). */
export interface RunStatus {
  state: RunState;
  step: number;
  totalSteps: number;
  last: UnlearnStep | null;
  reason?: string;
  /** The backend the run steps on now (it changes to 'wasm' when a lost WebGPU device was replaced; a `notice` says so). */
  backend?: LabBackend;
}

/** The live metrics (unlearning/live-metrics-items.ts): the lab's curves and matrix, the bench's trajectories. */
export type { LabMetrics, LiveCell, LiveQuestion, LiveRow } from '../unlearning/live-metrics-items.ts';
import type { LabMetrics } from '../unlearning/live-metrics-items.ts';

/** A pinned run's weights (a `weights` result) handed back to answer a probe; `id` names them (the pin's id). */
export interface PinnedWeights {
  id: string;
  state: LabState;
}

export interface GoalInfo {
  modelHash: string;
}

/** Each request's payload and result, by type. */
export interface LabRequests {
  load: {
    /** `files`: files of the model folder the page already downloaded, by path (transferred). */
    payload: { modelUrl: string; goalUrl?: string; backend: LabBackend; files?: Record<string, ArrayBuffer> };
    result: {
      backend: LabBackend;
      /** Why the backend differs from the one asked for (WebGPU unavailable: WASM instead). */
      fallback?: string;
      loadMs: number;
      modelHash: string;
      world: WorldSummary;
      /** The Goal model, or why there is none. */
      goal: GoalInfo | { unavailable: string };
    };
  };
  configure: {
    payload: { request: ForgetRequest; method: string; settings: Record<string, number>; bgd: boolean; seed: number; lastBlocks?: number };
    result: {
      config: RunConfig;
      totalSteps: number;
      targets: { concept: ForgetConcept; id: number; name: string; forgetImages: number }[];
      /** Goal-model metrics of the report are available only when the loaded Goal model was trained for this request. */
      goal: GoalInfo | { unavailable: string };
      prepareMs: number;
      /**
       * The live metrics at step 0 (the Finetune weights), for the curves' first point, when already
       * measured for this request; else the `metrics` request measures them (with progress events).
       */
      metrics?: LabMetrics;
    };
  };
  ask: {
    /** `weights`: answer with a pinned run's weights (its `weights` result, named `id`) instead of the current run's. */
    payload: { question: string; image: ProbeImage | null; weights?: PinnedWeights };
    result: {
      base: ProbeAnswer; current: ProbeAnswer; step: number; unknownWords: string[];
      /** Each answer judged against the world's ground truth (eval/probe-verdict.ts). */
      verdict: { base: ProbeVerdict; current: ProbeVerdict };
    };
  };
  step: { payload: Record<string, never>; result: RunStatus };
  run: { payload: Record<string, never>; result: RunStatus };
  pause: { payload: Record<string, never>; result: RunStatus };
  resume: { payload: Record<string, never>; result: RunStatus };
  cancel: { payload: Record<string, never>; result: RunStatus };
  reset: { payload: Record<string, never>; result: RunStatus };
  evaluate: {
    payload: Record<string, never>;
    result: { step: number; report: PebenchReport; finetune: PebenchReport; seconds: number };
  };
  state: { payload: Record<string, never>; result: LabState };
  /** The current run's trained weights alone (no optimizer state), for a pinned run that answers later probes. */
  weights: { payload: Record<string, never>; result: LabState };
  /**
   * Stores the current state in the lab's IndexedDB (the worker writes it): a new checkpoint named
   * `label` (default "<METHOD> step <k>"), or the autosave slot of tab `tab`; `metrics` is kept with it as given.
   */
  saveCheckpoint: { payload: { label?: string; autosave?: boolean; tab?: string; metrics?: unknown }; result: CheckpointSummary };
  /** The live metrics of the current weights (also sent as `metrics` events during steps and runs). */
  metrics: { payload: Record<string, never>; result: LabMetrics };
  /**
   * Prepares, in the worker's spare turns, what the configured run's later steps will need (image
   * features, reference values), with progress events; fails with kind cancelled once the run is replaced.
   */
  warm: { payload: Record<string, never>; result: { pieces: number; ms: number } };
  /** The current weights (LoRA merged) as a transformers.js LLaVA folder, zipped (store-only). */
  exportModel: { payload: { pytorch?: boolean }; result: { zip: Uint8Array; fileName: string; files: number } };
  restore: { payload: { state: LabState }; result: RunStatus };
  /**
   * The relearning attack on a copy of the current weights (the run is kept): K steps (default 10) on
   * `on` ('generality' or 'text'), Efficacy of the held-out targets before and after, and with `goal`
   * (default true) the Goal model's baseline; progress events per step. attackSeconds: without the Goal part.
   */
  relearn: { payload: { steps?: number; on?: 'generality' | 'text'; goal?: boolean }; result: { step: number; attackSeconds: number; relearn: RelearnReport } };
}

export type LabRequestType = keyof LabRequests;
export type LabPayload<T extends LabRequestType> = LabRequests[T]['payload'];
export type LabResult<T extends LabRequestType> = LabRequests[T]['result'];

export type LabRequest = { [T in LabRequestType]: { id: number; type: T; payload: LabPayload<T> } }[LabRequestType];

/**
 * cancelled: the request was stopped (cancel, reset); bad-input: the payload is invalid (nothing
 * changed); model: a model file is missing, corrupt or foreign; backend-lost: the WebGPU device
 * is gone (reload on WASM and restore the last state); storage: saving or reading checkpoints;
 * internal: a bug.
 */
export type LabErrorKind = 'cancelled' | 'bad-input' | 'model' | 'backend-lost' | 'storage' | 'internal';

export interface LabErrorInfo {
  message: string;
  kind: LabErrorKind;
}

export interface LabProgress {
  /** What is being done, e.g. 'model', 'goal', 'prepare', 'evaluate finetune', 'evaluate current'. */
  phase: string;
  done: number;
  total: number;
  /** The relearning attack: the held-out forget answers' loss after each step so far (the curve, live). */
  curve?: number[];
}

export type LabResponse =
  | { type: 'result'; id: number; result: LabResult<LabRequestType> }
  | { type: 'error'; id: number; error: LabErrorInfo }
  | { type: 'progress'; id: number; progress: LabProgress }
  | { type: 'step'; id: number; step: UnlearnStep }
  | { type: 'metrics'; id: number; metrics: LabMetrics }
  | { type: 'notice'; id: number; notice: string };

/** Events a request may cause before its answer. */
export type LabEvent =
  | { type: 'progress'; progress: LabProgress }
  | { type: 'step'; step: UnlearnStep }
  | { type: 'metrics'; metrics: LabMetrics }
  /** Something the user should know that is not an error, e.g. WebGPU lost, the run goes on on WASM. */
  | { type: 'notice'; notice: string };

export class LabError extends Error {
  override name = 'LabError';
  constructor(readonly kind: LabErrorKind, message: string) {
    super(message);
  }
}

/** ArrayBuffers inside a message that can be transferred instead of copied. */
export function transferables(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6 || v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) found.add(v.buffer);
      return;
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child, depth + 1);
  };
  visit(value, 0);
  return [...found];
}

/** The lab worker's name for a page that will load `backend` (the worker starts it at once). */
export const labWorkerName = (backend: LabBackend): string => `pebench-lab:${backend}`;

export function backendOfWorkerName(name: string | undefined): LabBackend | null {
  const backend = /^pebench-lab:(\w+)$/.exec(name ?? '')?.[1];
  return backend === 'webgpu' || backend === 'wasm' || backend === 'cpu' ? backend : null;
}
