// The lab's checkpoint shelf: has the worker save the run's state into IndexedDB (the worker encodes
// and writes it, off this thread), and through src/storage/checkpoint-store.ts lists, restores
// (re-preparing the run first when the checkpoint was made with another experiment), deletes,
// exports to a file and imports one (validated before anything is written), exports the current
// model as a transformers.js zip, and keeps one autosave so a reload mid-run finds the last
// completed state. Storage problems become a message; the run goes on.
import { CheckpointStore, StorageError, type CheckpointSummary } from '../../storage/checkpoint-store.ts';
import type { LabRunConfig, MethodInfo } from '../../worker/lab-protocol.ts';
import { paramsOf, type LabExperiment, type TargetKind } from './lab-hash.ts';
import type { LabSession } from './lab-session.svelte.ts';

const KIND_OF: Record<LabRunConfig['request']['target'], TargetKind> = { person: 'persons', event: 'events', both: 'joint' };

export class CheckpointShelf {
  list = $state<CheckpointSummary[]>([]);
  autosave = $state<CheckpointSummary | null>(null);
  /** null while opening; false when this browser cannot store checkpoints (message says why). */
  available = $state<boolean | null>(null);
  message = $state<string | null>(null);
  busy = $state(false);
  private store: CheckpointStore | null = null;

  constructor(private readonly session: LabSession) {}

  async open(): Promise<void> {
    try {
      this.store = await CheckpointStore.open();
      this.available = true;
      await this.refresh();
    } catch (error) {
      this.available = false;
      this.message = messageOf(error);
    }
  }

  async refresh(): Promise<void> {
    if (!this.store) return;
    const all = await this.store.list();
    this.list = all.filter((c) => !c.autosave);
    this.autosave = all.find((c) => c.autosave) ?? null;
  }

  async save(label?: string): Promise<void> {
    await this.guard('saving', async () => {
      this.requireStore();
      const saved = await this.session.request('saveCheckpoint', { label: label || undefined, metrics: this.lastMetrics() });
      this.message = `saved “${saved.label}”`;
    });
  }

  /** Keeps the last completed state in the autosave slot (silent unless it fails). */
  async autosaveNow(): Promise<void> {
    if (!this.store || this.busy) return;
    try {
      await this.session.request('saveCheckpoint', { autosave: true, metrics: this.lastMetrics() });
      await this.refresh();
    } catch (error) {
      this.message = `autosave failed: ${messageOf(error)}`;
    }
  }

  async restore(id: number): Promise<void> {
    await this.guard('restoring', async () => {
      const { state } = await this.requireStore().load(id);
      await this.session.restoreState(state, experimentOf(state.config, this.session.experiment, this.session.methods));
      this.message = `restored step ${state.step}`;
    });
  }

  async remove(id: number): Promise<void> {
    await this.guard('deleting', () => this.requireStore().delete(id));
  }

  async exportFile(id: number): Promise<void> {
    await this.guard('exporting', async () => {
      const { bytes, fileName } = await this.requireStore().exportFile(id);
      download(bytes, fileName, 'application/octet-stream');
    });
  }

  async importFile(file: File): Promise<void> {
    await this.guard('importing', async () => {
      const modelHash = this.session.loaded?.modelHash;
      if (!modelHash) throw new Error('the model is not loaded yet: wait until it is ready');
      const summary = await this.requireStore().importFile(new Uint8Array(await file.arrayBuffer()), { modelHash });
      this.message = `imported “${summary.label}” (step ${summary.step})`;
    });
  }

  async exportModel(): Promise<void> {
    await this.guard('exporting the model', async () => {
      const { zip, fileName } = await this.session.request('exportModel', {});
      download(zip, fileName, 'application/zip');
      this.message = `exported ${fileName}`;
    });
  }

  /** The latest live metrics as plain data (Svelte state is a proxy, which postMessage cannot clone). */
  private lastMetrics(): unknown {
    return $state.snapshot(this.session.metrics.at(-1) ?? null);
  }

  private requireStore(): CheckpointStore {
    if (!this.store) throw new Error(this.message ?? 'checkpoints are not available in this browser');
    return this.store;
  }

  private async guard(doing: string, work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    try {
      await work();
      await this.refresh();
    } catch (error) {
      this.message = `${doing} failed: ${messageOf(error)}`;
    } finally {
      this.busy = false;
    }
  }
}

/** The experiment a checkpoint's run config describes (backend kept; settings at their default left out, as in the hash). */
export function experimentOf(config: LabRunConfig, current: LabExperiment, methods: readonly MethodInfo[]): LabExperiment {
  const { request } = config;
  const method = methods.find((m) => m.id === config.method);
  const defaults = new Map(method ? paramsOf(method, config.bgd).map((p) => [p.key, p.default]) : []);
  const settings = Object.fromEntries(Object.entries(config.settings).filter(([key, value]) => defaults.get(key) !== value));
  return {
    ...current,
    target: KIND_OF[request.target],
    personRatio: request.personRatio ?? current.personRatio,
    eventRatio: request.eventRatio ?? current.eventRatio,
    forgetSeed: request.forgetSeed,
    method: config.method,
    settings,
    bgd: config.bgd,
    seed: config.seed,
    lastBlocks: config.lastBlocks,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof StorageError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function download(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
