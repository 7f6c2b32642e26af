// The lab checkpoint's contract: a run's config (RunConfig, from unlearning/run-config.ts; a checkpoint
// restores only into the same config) and its trained tensors at one step (LabState), as the worker makes them and the checkpoint file and store keep them. Its home is
// here, below the worker (which re-exports it in its protocol). Not here: the file's bytes
// (checkpoint-file.ts) or whether a state fits the running graph (worker/lab-state.ts).
import type { RunConfig } from '../unlearning/run-config.ts';

export const LAB_STATE_SCHEMA = 'pebench-lab-state/1';

/** The trained tensors of a run at one step (adapters or blocks, plus AdamW moments). */
export interface LabState {
  schema: typeof LAB_STATE_SCHEMA;
  /** Model hash of the Finetune model the run started from. */
  modelHash: string;
  config: RunConfig;
  step: number;
  tensors: Record<string, { dims: number[]; data: Float32Array }>;
}
