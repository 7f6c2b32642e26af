// Pinned runs for Compare, in their own IndexedDB database (idb), so they survive a reload: each
// holds the run's settings (its lab hash), live metrics, losses, last report, the probe's last answer
// and its trained weights, so it can answer questions asked after it was pinned (LoRA adapters: 384 KB
// on the default model; trained blocks: 2.4 MB each). Plain data only. Not here: what the page does with them (compare.svelte.ts).
import { openDB, type IDBPDatabase } from 'idb';
import type { PebenchReport } from '../../eval/pebench-report.ts';
import type { ProbeVerdict } from '../../eval/probe-verdict.ts';
import type { LabMetrics } from '../../unlearning/live-metrics-items.ts';
import type { RunConfig } from '../../unlearning/run-config.ts';
import type { LabState } from '../../worker/lab-protocol.ts';

export interface PinnedProbe {
  question: string;
  /** "person 3 x event 7 (variant 0)", "your image" or "no image". */
  image: string;
  base: string;
  current: string;
  verdict: ProbeVerdict['verdict'];
  step: number;
}

export interface PinnedRun {
  id: string;
  /** The run's experiment as lab hash entries without '#', page and backend (what `pin=` in the URL holds). */
  hash: string;
  config: RunConfig;
  step: number;
  metrics: LabMetrics[];
  losses: { step: number; loss: number }[];
  evaluation: { step: number; report: PebenchReport; finetune: PebenchReport; seconds: number } | null;
  probe: PinnedProbe | null;
  /** The run's trained weights at `step` (the worker's `weights` result); absent in pins kept before they were stored. */
  weights?: LabState | null;
  pinnedAt: number;
}

const DB = 'pebench-lab-compare';
const STORE = 'pins';

export class PinStore {
  private constructor(private readonly db: IDBPDatabase) {}

  static async open(): Promise<PinStore> {
    const db = await openDB(DB, 1, { upgrade: (d) => void d.createObjectStore(STORE, { keyPath: 'id' }) });
    return new PinStore(db);
  }

  async list(): Promise<PinnedRun[]> {
    const all = (await this.db.getAll(STORE)) as PinnedRun[];
    return all.sort((a, b) => a.pinnedAt - b.pinnedAt);
  }

  async put(pin: PinnedRun): Promise<void> {
    await this.db.put(STORE, pin);
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(STORE, id);
  }

  close(): void {
    this.db.close();
  }
}
