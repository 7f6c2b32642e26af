// The lab's experiment as a URL hash, so a link replays it: the forget request, the method, every
// parameter that differs from the method's default (by its CLI flag name), BGD, the run seed, the
// last-blocks choice and the backend. Pure functions; unknown or invalid values fall back to the
// defaults and are listed, so a damaged link still opens a lab and says what it ignored.
// Keys (documented in the README): page=lab, target=persons|events|joint, pr (person ratio),
// er (event ratio), fs (forget seed), method, bgd=1, seed, lb (last blocks), backend=webgpu|wasm,
// then parameters by flag, e.g. lr=0.003&steps=40.
// Not here: reading or writing location (LabPage.svelte), the checks the worker makes again.
import type { ParamSpec } from '../../unlearning/method.ts';
import type { LabBackend, MethodInfo } from '../../worker/lab-protocol.ts';
import { DEFAULT_REQUESTS, EVENT_RATIOS, PERSON_RATIOS, type ForgetRequest } from '../../world/splits.ts';

export type TargetKind = 'persons' | 'events' | 'joint';
export const TARGET_KINDS: readonly TargetKind[] = ['persons', 'events', 'joint'];
export type UiBackend = Exclude<LabBackend, 'cpu'>;

export interface LabExperiment {
  target: TargetKind;
  personRatio: number;
  eventRatio: number;
  forgetSeed: number;
  method: string;
  /** Parameters that differ from the method's defaults, by parameter key. */
  settings: Record<string, number>;
  bgd: boolean;
  seed: number;
  lastBlocks: number;
  backend: UiBackend;
}

/** The lab's default experiment: NPO on 5% of the persons (the best-kept retain in our person table). */
export const DEFAULT_EXPERIMENT: LabExperiment = {
  target: 'persons', personRatio: DEFAULT_REQUESTS.persons.personRatio, eventRatio: DEFAULT_REQUESTS.events.eventRatio,
  forgetSeed: 0, method: 'npo', settings: {}, bgd: false, seed: 0, lastBlocks: 0, backend: 'wasm',
};

const TARGET_OF: Record<TargetKind, ForgetRequest['target']> = { persons: 'person', events: 'event', joint: 'both' };

export function forgetRequestOf(x: LabExperiment): ForgetRequest {
  const request: ForgetRequest = { target: TARGET_OF[x.target], forgetSeed: x.forgetSeed };
  if (x.target !== 'events') request.personRatio = x.personRatio;
  if (x.target !== 'persons') request.eventRatio = x.eventRatio;
  return request;
}

/** Every parameter of the experiment's method (defaults filled in), or null for an unknown method. */
export function fullSettings(x: LabExperiment, methods: readonly MethodInfo[]): Record<string, number> | null {
  const method = methods.find((m) => m.id === x.method);
  if (!method) return null;
  const out: Record<string, number> = {};
  for (const p of paramsOf(method, x.bgd)) out[p.key] = x.settings[p.key] ?? p.default;
  return out;
}

export function paramsOf(method: MethodInfo, bgd: boolean): ParamSpec[] {
  return bgd ? [...method.params, ...method.bgdParams] : method.params;
}

export function toHash(x: LabExperiment, methods: readonly MethodInfo[]): string {
  const q = new URLSearchParams({ page: 'lab', target: x.target });
  if (x.target !== 'events') q.set('pr', String(x.personRatio));
  if (x.target !== 'persons') q.set('er', String(x.eventRatio));
  q.set('fs', String(x.forgetSeed));
  q.set('method', x.method);
  if (x.bgd) q.set('bgd', '1');
  q.set('seed', String(x.seed));
  if (x.lastBlocks) q.set('lb', String(x.lastBlocks));
  q.set('backend', x.backend);
  const method = methods.find((m) => m.id === x.method);
  for (const p of method ? paramsOf(method, x.bgd) : []) {
    const value = x.settings[p.key];
    if (value !== undefined && value !== p.default) q.set(p.flag, String(value));
  }
  return `#${q}`;
}

/** The experiment a hash names, and what it had to ignore. */
export function fromHash(hash: string, methods: readonly MethodInfo[]): { experiment: LabExperiment; ignored: string[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const ignored: string[] = [];
  const x: LabExperiment = { ...DEFAULT_EXPERIMENT, settings: {} };
  const pick = <T>(key: string, valid: (v: string) => T | undefined, set: (v: T) => void) => {
    const raw = q.get(key);
    if (raw === null) return;
    const value = valid(raw);
    if (value === undefined) ignored.push(`${key}=${raw}`);
    else set(value);
  };
  const uint = (raw: string) => (/^\d+$/.test(raw) && Number(raw) <= 0xffffffff ? Number(raw) : undefined);
  const oneOf = <T extends string | number>(list: readonly T[], parse: (raw: string) => T) => (raw: string) => (list.includes(parse(raw)) ? parse(raw) : undefined);
  pick('target', oneOf(TARGET_KINDS, (r) => r as TargetKind), (v) => (x.target = v));
  pick('pr', oneOf(PERSON_RATIOS as readonly number[], Number), (v) => (x.personRatio = v));
  pick('er', oneOf(EVENT_RATIOS as readonly number[], Number), (v) => (x.eventRatio = v));
  pick('fs', uint, (v) => (x.forgetSeed = v));
  pick('method', oneOf(methods.map((m) => m.id as string), String), (v) => (x.method = v));
  pick('bgd', oneOf(['0', '1'], String), (v) => (x.bgd = v === '1' && x.target === 'joint'));
  pick('seed', uint, (v) => (x.seed = v));
  pick('lb', uint, (v) => (x.lastBlocks = v));
  pick('backend', oneOf(['webgpu', 'wasm'] as UiBackend[], (r) => r as UiBackend), (v) => (x.backend = v));
  const method = methods.find((m) => m.id === x.method);
  const known = new Set(['page', 'target', 'pr', 'er', 'fs', 'method', 'bgd', 'seed', 'lb', 'backend']);
  for (const [key, raw] of q) {
    if (known.has(key)) continue;
    const spec = method && paramsOf(method, x.bgd).find((p) => p.flag === key);
    const value = Number(raw);
    if (!spec || raw.trim() === '' || !Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
      ignored.push(`${key}=${raw}`);
      continue;
    }
    x.settings[spec.key] = value;
  }
  return { experiment: x, ignored };
}

/**
 * True for a hash that names the lab but no experiment ('', '#', '#page=lab'): the way back from the
 * atlas, which keeps the experiment the lab already has instead of resetting it to the defaults.
 */
export const isBareLabHash = (hash: string): boolean => [...new URLSearchParams(hash.replace(/^#/, '')).entries()].every(([k, v]) => k === 'page' && v === 'lab');

/** True when the hash is the world gallery's rather than the lab's. */
export const isGalleryHash = (hash: string): boolean => new URLSearchParams(hash.replace(/^#/, '')).get('page') === 'world';
