// The lab checkpoint's contract: a run's config record (LabRunConfig) and its trained tensors at one
// step (LabState), as the worker makes them and the checkpoint file and store keep them. Its home is
// here, below the worker (which re-exports it in its protocol). Not here: the file's bytes
// (checkpoint-file.ts) or whether a state fits the running graph (worker/lab-state.ts).
import type { MethodId } from '../unlearning/method.ts';
import type { ForgetRequest } from '../world/splits.ts';

/** Everything that makes a run replayable; a checkpoint restores only into the same config. */
export interface LabRunConfig {
  request: ForgetRequest;
  method: MethodId;
  /** Every parameter of the method with its value (resolved). */
  settings: Record<string, number>;
  bgd: boolean;
  seed: number;
  /** Train the last k decoder blocks instead of LoRA adapters (0 = LoRA). */
  lastBlocks: number;
}

export const LAB_STATE_SCHEMA = 'pebench-lab-state/1';

/** The trained tensors of a run at one step (adapters or blocks, plus AdamW moments). */
export interface LabState {
  schema: typeof LAB_STATE_SCHEMA;
  /** Model hash of the Finetune model the run started from. */
  modelHash: string;
  config: LabRunConfig;
  step: number;
  tensors: Record<string, { dims: number[]; data: Float32Array }>;
}
