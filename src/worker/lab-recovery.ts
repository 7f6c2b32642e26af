// Going on after a lost WebGPU device: the lab keeps a host copy of the run's trained state (LoRA
// adapters or blocks, with their AdamW moments) after every completed step on WebGPU (less often
// when a copy costs more than a tenth of a step); when a step fails with BackendLostError, the
// models, the experiment and the run are opened again on WASM (same config: the same batches by
// step, the same reference values), the copy is loaded, and the run goes on from the step after
// it. On the same kernels that gives exactly the weights of an uninterrupted run. Known gap: BGD's smoothed concept weights restart from their initial value,
// as they do after any restore (they are not part of the trained state).
// Not here: deciding when to recover (lab-engine.ts).
import type { HostTensor } from '../runtime/types.ts';
import type { UnlearnRun } from '../unlearning/driver.ts';
import type { LabExperiment } from './lab-experiment.ts';
import type { LabModels, ModelLoaders } from './lab-models.ts';
import type { RunConfig } from '../unlearning/run-config.ts';


/** The trained state after a completed step, on the host. */
export interface StateSnapshot {
  step: number;
  tensors: Record<string, HostTensor>;
}

/** A snapshot may take this share of a step's time; a dearer one is taken every few steps instead. */
export const SNAPSHOT_SHARE = 0.1;
export const MAX_SNAPSHOT_GAP = 10;

/** The latest snapshot of the current run's lineage, and when the next one is due. */
/** A snapshot costing at most this (ms) is taken after every step whatever the step costs. */
const CHEAP_SNAPSHOT_MS = 10;

export class SnapshotKeeper {
  private latest: StateSnapshot | null = null;
  private nextStep = 0;
  /** Time the last snapshot took (ms). */
  lastMs = 0;

  /** The weights changed other than by a step: they are now `start` (a restored state) or the run's fresh start (null). */
  reset(start: StateSnapshot | null): void {
    this.latest = start;
    this.nextStep = 0;
  }

  get current(): StateSnapshot | null {
    return this.latest;
  }

  /** After a completed step that took `stepMs`: copies the run's trained state when one is due. */
  async afterStep(run: UnlearnRun, stepMs: number): Promise<void> {
    if (run.step < this.nextStep) return;
    const t0 = performance.now();
    this.latest = { step: run.step, tensors: await run.trainedState() };
    this.lastMs = performance.now() - t0;
    // A copy that costs little in absolute terms is always worth it (and keeps the rule independent of timing noise).
    const gap = this.lastMs <= CHEAP_SNAPSHOT_MS ? 1 : Math.ceil(this.lastMs / (SNAPSHOT_SHARE * Math.max(stepMs, 1)));
    this.nextStep = run.step + Math.min(MAX_SNAPSHOT_GAP, Math.max(1, gap));
  }
}

export interface RunPieces {
  loaded: LabModels;
  experiment: LabExperiment;
  run: UnlearnRun;
}

/**
 * The pieces of a run reopened on WASM from `snapshot` (null: the run's fresh start); the old ones
 * are released (errors of the lost device ignored). `notice` says what happened, for the user.
 */
export async function reopenOnWasm(
  loaders: ModelLoaders, old: RunPieces, config: RunConfig, snapshot: StateSnapshot | null, reason: string,
): Promise<RunPieces & { notice: string }> {
  const from = (snapshot?.step ?? 0) + 1;
  const notice = `the WebGPU device was lost at step ${old.run.step + 1} (${reason}); the run goes on on WASM from step ${from}`;
  const loaded = await old.loaded.reopen(loaders, 'wasm', notice);
  let experiment: LabExperiment | null = null;
  try {
    experiment = await old.experiment.reopen(loaded.runtime, loaded);
    const run = await experiment.createRun(config);
    if (snapshot) await run.loadTrainedState(snapshot.tensors, snapshot.step);
    // The status's last step and the history stay those of the steps already taken.
    run.history.push(...old.run.history.filter((s) => s.step < from));
    const ignoreLost = (release: Promise<void>) => release.catch(() => undefined);
    await ignoreLost(old.run.dispose());
    await ignoreLost(old.experiment.dispose());
    await ignoreLost(old.loaded.dispose());
    return { loaded, experiment, run, notice };
  } catch (error) {
    await experiment?.dispose();
    await loaded.dispose();
    throw error;
  }
}
