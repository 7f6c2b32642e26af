// The lab's experiment as a URL hash, so a link replays it: the run config's hash codec
// (unlearning/run-config.ts: target, pr, er, fs, method, bgd, seed, lb and every parameter that
// differs from the method's default, by its CLI flag name) plus the page's own keys, page=lab and
// backend=webgpu|wasm; and a pinned run's hash (a `pin=` entry: run keys, `at` when pinned early).
// Unknown or invalid values fall back to the defaults and are listed, so a damaged link still opens
// a lab and says what it ignored. Pure functions; the method cards are imported directly, so the
// hash is read once, before the worker starts.
// Not here: reading or writing location (LabPage.svelte), the checks the worker makes again.
import { configFromHash, defaultRunConfig, hashEntries, type RunConfig } from '../../unlearning/run-config.ts';
import type { LabBackend } from '../../worker/lab-protocol.ts';
import { VIEW_KEYS } from '../lessons/lesson-view.ts';

export { TARGET_KINDS, targetKindOf, type TargetKind } from '../../unlearning/run-config.ts';
export type UiBackend = Exclude<LabBackend, 'cpu'>;
const UI_BACKENDS: readonly UiBackend[] = ['webgpu', 'wasm'];

/** What the page runs: a run config and the backend it runs on. */
export type LabExperiment = RunConfig & { backend: UiBackend };

/** The lab's default experiment: NPO on 5% of the persons (the best-kept retain in our person table), on WASM. */
export const DEFAULT_EXPERIMENT: LabExperiment = { ...defaultRunConfig(), backend: 'wasm' };

/** The run config of an experiment (what the worker is asked to configure). */
export function runConfigOf({ backend: _backend, ...config }: LabExperiment): RunConfig {
  return config;
}

export function toHash(x: LabExperiment): string {
  return `#${new URLSearchParams([['page', 'lab'], ...hashEntries(x), ['backend', x.backend]])}`;
}

/** The experiment a hash names, and what it had to ignore. */
export function fromHash(hash: string): { experiment: LabExperiment; ignored: string[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const { config, ignored } = configFromHash(q, ['page', 'backend', ...VIEW_KEYS]);
  const raw = q.get('backend');
  const backend = UI_BACKENDS.find((b) => b === raw);
  if (raw !== null && !backend) ignored.push(`backend=${raw}`);
  return { experiment: { ...config, backend: backend ?? DEFAULT_EXPERIMENT.backend }, ignored };
}

/**
 * True for a hash that names the lab but no experiment ('', '#', '#page=lab'): the way back from the
 * atlas, which keeps the experiment the lab already has instead of resetting it to the defaults.
 */
export const isBareLabHash = (hash: string): boolean => [...new URLSearchParams(hash.replace(/^#/, '')).entries()].every(([k, v]) => k === 'page' && v === 'lab');

/** True when the hash is the world gallery's rather than the lab's. */
export const isGalleryHash = (hash: string): boolean => new URLSearchParams(hash.replace(/^#/, '')).get('page') === 'world';

/** The key of a pin's hash that names the step it was pinned at, when that is before its last step. */
export const PIN_STEP_KEY = 'at';

/**
 * The experiment as a pin's hash: the run keys only (no page, backend or view keys), plus `at=step`
 * when the run was pinned before its last step (a link's replay stops there).
 */
export function pinHash(experiment: LabExperiment, step?: number, totalSteps?: number): string {
  const q = new URLSearchParams(toHash(experiment).slice(1));
  q.delete('page');
  q.delete('backend');
  if (step !== undefined && totalSteps !== undefined && step < totalSteps) q.append(PIN_STEP_KEY, String(step));
  return q.toString();
}

/**
 * A pin's hash read back: its experiment's hash entries and the step it was pinned at (null: its
 * last). An `at` that is not a step stays in the entries, so fromHash lists it as ignored.
 */
export function readPinHash(hash: string): { experimentHash: string; at: number | null } {
  const q = new URLSearchParams(hash);
  const raw = q.get(PIN_STEP_KEY);
  const at = raw !== null && /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : null;
  if (at !== null) q.delete(PIN_STEP_KEY);
  return { experimentHash: `#${q}`, at };
}
