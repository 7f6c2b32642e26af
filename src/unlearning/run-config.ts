// One run's configuration, the one shape every surface shares: the forget request, the method, every
// parameter's value, BGD, the run seed and what is trained (LoRA or the last decoder blocks). One
// check (checkRunConfig) reports every problem at once (RunConfigError), named the way the surface
// names them (payload fields, CLI flags); codecs turn a config into and out of the lab's URL hash
// (lenient: what cannot be used is listed and left at its default, so a damaged link still opens),
// the CLI's flags, and the record saved with checkpoints, reports and unlearned models. The page,
// the worker and the CLI all go through here; edits the page makes (another method, target or
// parameter) are here too, so the settings stay complete and valid.
// Pure: no engine, no DOM, no Node. Not here: the method cards (cards.ts), opening models or running.
import {
  BGD_SMOOTHING, METHOD_CARDS, METHOD_IDS, allParamSpecs, getCard, isMethodId, methodParams, paramProblem,
  type MethodCard, type MethodId, type MethodSettings, type ParamSpec,
} from './cards.ts';
import { DEFAULT_REQUESTS, EVENT_RATIOS, PERSON_RATIOS, requestProblem, requestShapeProblem, type ForgetRequest } from '../world/splits.ts';
import type { World } from '../world/types.ts';

export interface RunConfig {
  request: ForgetRequest;
  method: MethodId;
  /** Every parameter of the method (and BGD's with bgd), defaults filled in. */
  settings: MethodSettings;
  bgd: boolean;
  /** Seed of batches, refusal choice and LoRA initialisation. */
  seed: number;
  /** Train the last k decoder blocks instead of LoRA adapters (0 = LoRA). */
  lastBlocks: number;
}

/**
 * What a config is checked against: the model's world and its decoder's depth. Where a function
 * takes `RunLimits | null`, null checks all that can be known before a model is opened (the CLI does
 * that first, so a bad flag is refused before any work) and leaves the rest for the second check.
 */
export interface RunLimits {
  world: World;
  decoderLayers: number;
}

/** Any surface's values before the check. */
export interface RunConfigInput {
  request?: unknown;
  method?: unknown;
  /** Some or all parameters by key; the rest take the method's defaults. */
  settings?: unknown;
  bgd?: unknown;
  seed?: unknown;
  lastBlocks?: unknown;
}

export class RunConfigError extends Error {
  override name = 'RunConfigError';
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`);
  }
}

type Field = 'request' | 'target' | 'forget' | 'forgetSeed' | 'method' | 'bgd' | 'seed' | 'lastBlocks';

/** How a surface names what a problem is about. */
export interface Naming {
  field(field: Field): string;
  param(spec: ParamSpec): string;
}

/** Payload fields (the worker's configure request, records). */
export const FIELD_NAMES: Naming = {
  field: (f) => (f === 'forget' ? 'personRatio/eventRatio' : f),
  param: (spec) => spec.key,
};

const FLAG_OF: Record<Field, string> = {
  request: '--target/--forget', target: '--target', forget: '--forget', forgetSeed: '--forget-seed', method: '--method', bgd: '--bgd', seed: '--seed', lastBlocks: '--last-blocks',
};

/** CLI flags. */
export const FLAG_NAMES: Naming = { field: (f) => FLAG_OF[f], param: (spec) => `--${spec.flag}` };

export const MAX_SEED = 0xffffffff;
const isIntIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The checked config; throws RunConfigError listing every problem, named by `names`. */
export function checkRunConfig(input: RunConfigInput, limits: RunLimits | null, names: Naming = FIELD_NAMES): RunConfig {
  const problems: string[] = [];
  const n = names.field;
  const request = checkRequest(input.request, limits?.world ?? null, names, problems);
  let card: MethodCard | null = null;
  if (input.method === undefined) problems.push(`${n('method')} is required. Valid methods: ${METHOD_IDS.join(', ')}`);
  else if (typeof input.method !== 'string' || !isMethodId(input.method)) problems.push(`unknown method "${String(input.method)}". Valid methods: ${METHOD_IDS.join(', ')}`);
  else card = getCard(input.method);
  const bgd = input.bgd ?? false;
  if (typeof bgd !== 'boolean') problems.push(`${n('bgd')} must be true or false`);
  else if (bgd && request && request.target !== 'both') problems.push(`${n('bgd')} balances person and event forgetting: use it with ${n('target')} both`);
  else if (bgd && card && !card.bgd) problems.push(`${card.id} cannot be combined with BGD; methods with a BGD form: ${METHOD_CARDS.filter((m) => m.bgd).map((m) => m.id).join(', ')}`);
  const seed = input.seed ?? 0;
  if (!isIntIn(seed, 0, MAX_SEED)) problems.push(`${n('seed')} must be an integer from 0 to ${MAX_SEED}, got ${String(seed)}`);
  const lastBlocks = input.lastBlocks ?? 0;
  const layers = limits?.decoderLayers ?? Number.MAX_SAFE_INTEGER;
  if (!isIntIn(lastBlocks, 0, layers)) {
    problems.push(`${n('lastBlocks')} must be an integer from 0 (LoRA) to ${limits ? `${layers} (the decoder's blocks)` : "the decoder's blocks"}, got ${String(lastBlocks)}`);
  }
  const settings = card ? checkSettings(card, input.settings, bgd === true, request?.target, names, problems) : null;
  if (problems.length || !request || !card || !settings) throw new RunConfigError(problems);
  return { request, method: card.id, settings, bgd: bgd === true, seed: seed as number, lastBlocks: lastBlocks as number };
}

/** In place of a request whose problems a codec has already reported. */
const REPORTED = Symbol('request already reported');

function checkRequest(raw: unknown, world: World | null, names: Naming, problems: string[]): ForgetRequest | null {
  if (raw === REPORTED) return null;
  if (!isRecord(raw)) {
    problems.push(`${names.field('request')}: a forget request { target: 'person' | 'event' | 'both', personRatio?, eventRatio?, forgetSeed } is needed`);
    return null;
  }
  const request = { target: raw.target, forgetSeed: raw.forgetSeed } as ForgetRequest;
  if (raw.personRatio !== undefined) request.personRatio = raw.personRatio as number;
  if (raw.eventRatio !== undefined) request.eventRatio = raw.eventRatio as number;
  const problem = world ? requestProblem(world, request) : requestShapeProblem(request);
  if (!problem) return request;
  problems.push(`cannot make this forget request: ${problem}`);
  return null;
}

/** Every parameter of the method with a value; unknown or out-of-range values go to `problems`. */
function checkSettings(
  card: MethodCard, raw: unknown, bgd: boolean, target: ForgetRequest['target'] | undefined, names: Naming, problems: string[],
): MethodSettings | null {
  if (raw !== undefined && !isRecord(raw)) {
    problems.push('settings must be an object of parameter values');
    return null;
  }
  const specs = methodParams(card, bgd, target);
  const out: MethodSettings = Object.fromEntries(specs.map((s) => [s.key, s.default]));
  const before = problems.length;
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.key === key);
    if (!spec) {
      const known = allParamSpecs().find((s) => s.key === key);
      const named = known ? names.param(known) : `"${key}"`;
      problems.push(`${named} is not a parameter of ${card.id}${known?.key === BGD_SMOOTHING.key ? ` without ${names.field('bgd')}` : ''}; its parameters: ${specs.map((s) => names.param(s)).join(', ')}`);
    } else if (typeof value !== 'number' || paramProblem(spec, value)) {
      problems.push(`${spec.key} (--${spec.flag}) must be ${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}, got ${String(value)}`);
    } else {
      out[key] = value;
    }
  }
  return problems.length === before ? out : null;
}

/** The lab's default run: NPO on 5% of the persons (the best-kept retain in our person table). */
export function defaultRunConfig(): RunConfig {
  return { request: { ...DEFAULT_REQUESTS.persons }, method: 'npo', settings: defaultSettings(getCard('npo'), false, 'person'), bgd: false, seed: 0, lastBlocks: 0 };
}

function defaultSettings(card: MethodCard, bgd: boolean, target: ForgetRequest['target']): MethodSettings {
  return Object.fromEntries(methodParams(card, bgd, target).map((s) => [s.key, s.default]));
}

/** The settings of `config` moved to another method form or kind of request: values left at the old defaults take the new ones, values the user set stay. */
function movedSettings(config: RunConfig, card: MethodCard, bgd: boolean, target: ForgetRequest['target']): MethodSettings {
  const before = new Map(paramsOfConfig(config).map((p) => [p.key, p.default]));
  return Object.fromEntries(methodParams(card, bgd, target).map((p) => {
    const value = config.settings[p.key];
    return [p.key, value === undefined || value === before.get(p.key) ? p.default : value];
  }));
}

// ---- edits (the page's panels) ------------------------------------------------------------

/** Another method: its default settings (BGD kept where it has a BGD form). */
export function withMethod(config: RunConfig, id: MethodId): RunConfig {
  const card = getCard(id);
  const bgd = config.bgd && card.bgd;
  return { ...config, method: id, bgd, settings: defaultSettings(card, bgd, config.request.target) };
}

/** BGD on or off (only for a joint request and a method with a BGD form); its parameter follows. */
export function withBgd(config: RunConfig, on: boolean): RunConfig {
  const card = getCard(config.method);
  const bgd = on && card.bgd && config.request.target === 'both';
  return { ...config, bgd, settings: movedSettings(config, card, bgd, config.request.target) };
}

/** A changed request: ratios a target kind does not take are dropped, missing ones take the default request's; BGD only stays for 'both'. */
export function withRequest(config: RunConfig, patch: Partial<ForgetRequest>): RunConfig {
  const merged = { ...config.request, ...patch };
  const request: ForgetRequest = { target: merged.target, forgetSeed: merged.forgetSeed };
  if (merged.target !== 'event') request.personRatio = merged.personRatio ?? DEFAULT_REQUESTS.persons.personRatio;
  if (merged.target !== 'person') request.eventRatio = merged.eventRatio ?? DEFAULT_REQUESTS.events.eventRatio;
  const card = getCard(config.method);
  const bgd = config.bgd && card.bgd && request.target === 'both';
  return { ...config, request, bgd, settings: movedSettings(config, card, bgd, request.target) };
}

/** One parameter's value (the caller has checked it with paramProblem). */
export function withSetting(config: RunConfig, key: string, value: number): RunConfig {
  return { ...config, settings: { ...config.settings, [key]: value } };
}

/** The parameters of the config's method, with its defaults for the config's kind of request. */
export function paramsOfConfig(config: RunConfig): ParamSpec[] {
  return methodParams(getCard(config.method), config.bgd, config.request.target);
}

// ---- URL hash -----------------------------------------------------------------------------
// Keys: target=persons|events|joint, pr (person ratio), er (event ratio), fs (forget seed), method,
// bgd=1, seed, lb (last blocks), then every parameter that differs from the method's default by its
// CLI flag name (lr=0.003&steps=40). The page adds page=lab and backend.

export type TargetKind = 'persons' | 'events' | 'joint';
export const TARGET_KINDS: readonly TargetKind[] = ['persons', 'events', 'joint'];
const TARGET_OF: Record<TargetKind, ForgetRequest['target']> = { persons: 'person', events: 'event', joint: 'both' };
const KIND_OF: Record<ForgetRequest['target'], TargetKind> = { person: 'persons', event: 'events', both: 'joint' };
export const targetKindOf = (request: ForgetRequest): TargetKind => KIND_OF[request.target];
export const RUN_HASH_KEYS: readonly string[] = ['target', 'pr', 'er', 'fs', 'method', 'bgd', 'seed', 'lb'];

/** The config as hash entries, in a fixed order. */
export function hashEntries(config: RunConfig): [string, string][] {
  const { request } = config;
  const out: [string, string][] = [['target', KIND_OF[request.target]]];
  if (request.personRatio !== undefined) out.push(['pr', String(request.personRatio)]);
  if (request.eventRatio !== undefined) out.push(['er', String(request.eventRatio)]);
  out.push(['fs', String(request.forgetSeed)], ['method', config.method]);
  if (config.bgd) out.push(['bgd', '1']);
  out.push(['seed', String(config.seed)]);
  if (config.lastBlocks) out.push(['lb', String(config.lastBlocks)]);
  for (const spec of paramsOfConfig(config)) {
    const value = config.settings[spec.key];
    if (value !== spec.default) out.push([spec.flag, String(value)]);
  }
  return out;
}

/**
 * The config a hash names, each part that is missing or unusable at its default and listed in
 * `ignored` (key=value). Keys in `otherKeys` belong to the page and are skipped. The request's fit
 * to a world and the last-blocks bound are the worker's check (checkRunConfig).
 */
export function configFromHash(params: URLSearchParams, otherKeys: readonly string[] = []): { config: RunConfig; ignored: string[] } {
  const ignored: string[] = [];
  const pick = <T>(key: string, valid: (raw: string) => T | undefined): T | undefined => {
    const raw = params.get(key);
    if (raw === null) return undefined;
    const value = valid(raw);
    if (value === undefined) ignored.push(`${key}=${raw}`);
    return value;
  };
  const uint = (raw: string) => (/^\d+$/.test(raw) && Number(raw) <= MAX_SEED ? Number(raw) : undefined);
  const among = <T extends string | number>(list: readonly T[], parse: (raw: string) => T) => (raw: string) => (list.includes(parse(raw)) ? parse(raw) : undefined);
  let config = defaultRunConfig();
  const kind = pick('target', among(TARGET_KINDS, (r) => r as TargetKind)) ?? 'persons';
  config = withRequest(config, {
    target: TARGET_OF[kind],
    personRatio: pick('pr', among(PERSON_RATIOS as readonly number[], Number)),
    eventRatio: pick('er', among(EVENT_RATIOS as readonly number[], Number)),
    forgetSeed: pick('fs', uint) ?? 0,
  });
  const method = pick('method', among(METHOD_IDS, (r) => r as MethodId));
  if (method) config = withMethod(config, method);
  const bgd = pick('bgd', among(['0', '1'], String));
  if (bgd === '1') config = withBgd(config, true);
  config.seed = pick('seed', uint) ?? 0;
  config.lastBlocks = pick('lb', uint) ?? 0;
  const specs = paramsOfConfig(config);
  const skip = new Set([...RUN_HASH_KEYS, ...otherKeys]);
  for (const [key, raw] of params) {
    if (skip.has(key)) continue;
    const spec = specs.find((p) => p.flag === key);
    const value = Number(raw);
    if (!spec || raw.trim() === '' || paramProblem(spec, value)) ignored.push(`${key}=${raw}`);
    else config = withSetting(config, spec.key, value);
  }
  return { config, ignored };
}

// ---- CLI flags ----------------------------------------------------------------------------

/** The shape of a CLI flag spec (src/cli/args.ts FlagSpec), declared here so this module needs no CLI code. */
export interface RunFlagSpec {
  kind: 'string' | 'int' | 'number' | 'boolean';
  help: string;
  default?: string | number | boolean;
  min?: number;
  max?: number;
}

/** The flags of a run config; every method parameter is one flag (its default depends on the method). */
export function runConfigFlags(): Record<string, RunFlagSpec> {
  const params: Record<string, RunFlagSpec> = {};
  for (const spec of allParamSpecs()) params[spec.flag] = { kind: spec.integer ? 'int' : 'number', help: `${spec.help} [${spec.min}-${spec.max}; default per method]` };
  return {
    method: { kind: 'string', help: `unlearning method: ${METHOD_IDS.join(', ')}` },
    target: { kind: 'string', help: `what to forget: ${FORGET_TARGETS.join(', ')}`, default: 'person' },
    forget: { kind: 'string', help: 'forget ratio (persons 0.01, 0.05, 0.1; events 0.05, 0.1); both: R or R,R', default: '0.05' },
    'forget-seed': { kind: 'int', help: 'which persons/events are forgotten', default: 0, min: 0, max: MAX_SEED },
    bgd: { kind: 'boolean', help: 'balanced gradient difference (joint requests; gd, kl, npo)', default: false },
    ...params,
    'last-blocks': { kind: 'int', help: 'train the last K decoder blocks instead of LoRA adapters (0 = LoRA)', default: 0, min: 0 },
    seed: { kind: 'int', help: 'seed of batches, refusal choice and LoRA initialisation', default: 0, min: 0, max: MAX_SEED },
  };
}

export const FORGET_TARGETS: readonly ForgetRequest['target'][] = ['person', 'event', 'both'];

/** The request --target, --forget (R, or R,R for both) and --forget-seed name on `world`; problems are pushed as flag messages. */
export function requestFromFlags(target: unknown, forget: unknown, forgetSeed: unknown, world: World | null, problems: string[]): ForgetRequest | undefined {
  if (target !== 'person' && target !== 'event' && target !== 'both') {
    problems.push(`unknown --target "${String(target)}". Valid targets: ${FORGET_TARGETS.join(', ')}`);
    return undefined;
  }
  const text = String(forget);
  const ratios = text.split(',').map((r) => r.trim());
  if (target !== 'both' && ratios.length !== 1) problems.push(`--forget takes one ratio for --target ${target}, got "${text}"`);
  else if (ratios.length > 2) problems.push(`--forget takes at most two ratios (persons,events), got "${text}"`);
  else if (ratios.some((r) => r === '' || !Number.isFinite(Number(r)))) problems.push(`--forget "${text}" is not a ratio: write e.g. --forget 0.05 (both: --forget 0.05 or 0.05,0.1)`);
  else {
    const [first, last] = [Number(ratios[0]), Number(ratios[ratios.length - 1])];
    const seed = forgetSeed as number;
    const request: ForgetRequest = target === 'person' ? { target, personRatio: first, forgetSeed: seed }
      : target === 'event' ? { target, eventRatio: first, forgetSeed: seed }
      : { target, personRatio: first, eventRatio: last, forgetSeed: seed };
    const problem = world ? requestProblem(world, request) : requestShapeProblem(request);
    if (!problem) return request;
    problems.push(`cannot make this forget request: ${problem}`);
  }
  return undefined;
}

/** The checked config the parsed flags name (values as parseFlags gives them); RunConfigError lists every problem by flag. */
export function configFromFlags(values: Readonly<Record<string, unknown>>, limits: RunLimits | null): RunConfig {
  const problems: string[] = [];
  const request = requestFromFlags(values.target ?? 'person', values.forget ?? '0.05', values['forget-seed'] ?? 0, limits?.world ?? null, problems);
  const settings: Record<string, unknown> = {};
  for (const spec of allParamSpecs()) if (values[spec.flag] !== undefined) settings[spec.key] = values[spec.flag];
  try {
    const config = checkRunConfig(
      { request: request ?? REPORTED, method: values.method, settings, bgd: values.bgd, seed: values.seed, lastBlocks: values['last-blocks'] },
      limits, FLAG_NAMES,
    );
    if (problems.length) throw new RunConfigError(problems);
    return config;
  } catch (error) {
    if (error instanceof RunConfigError) throw new RunConfigError([...problems, ...error.problems]);
    throw error;
  }
}

/** The flags that replay `config` (parameters at their default left out). */
export function flagsOf(config: RunConfig): string[] {
  const { request } = config;
  const forget = request.target === 'person' ? `${request.personRatio}` : request.target === 'event' ? `${request.eventRatio}` : `${request.personRatio},${request.eventRatio}`;
  const out = ['--method', config.method, '--target', request.target, '--forget', forget, '--forget-seed', String(request.forgetSeed)];
  if (config.bgd) out.push('--bgd');
  for (const spec of paramsOfConfig(config)) if (config.settings[spec.key] !== spec.default) out.push(`--${spec.flag}`, String(config.settings[spec.key]));
  if (config.lastBlocks) out.push('--last-blocks', String(config.lastBlocks));
  out.push('--seed', String(config.seed));
  return out;
}

// ---- record -------------------------------------------------------------------------------

/** The config as saved with reports and unlearned models: the config itself plus what is trained, spelled out. */
export interface RunRecord extends RunConfig {
  trainable: { kind: 'lora'; rank: number } | { kind: 'lastBlocks'; count: number };
}

export function runRecord(config: RunConfig): RunRecord {
  const copy = structuredClone(config);
  return { ...copy, trainable: config.lastBlocks ? { kind: 'lastBlocks', count: config.lastBlocks } : { kind: 'lora', rank: config.settings.loraRank } };
}

/** The config a saved record (or a bare config) holds, checked; `trainable` is derived, so it is not read. */
export function configFromRecord(record: unknown, limits: RunLimits): RunConfig {
  if (!isRecord(record)) throw new RunConfigError(['a run record must be an object with request, method, settings, bgd, seed and lastBlocks']);
  const { request, method, settings, bgd, seed, lastBlocks } = record;
  return checkRunConfig({ request, method, settings, bgd, seed, lastBlocks }, limits);
}

/** Same request, method, settings, BGD, seed and trained part. */
export function sameRunConfig(a: RunConfig, b: RunConfig): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(c: RunConfig): unknown[] {
  const r = c.request;
  return [r.target, r.personRatio ?? null, r.eventRatio ?? null, r.forgetSeed, c.method, c.bgd, c.seed, c.lastBlocks, Object.entries(c.settings).sort(([a], [b]) => a.localeCompare(b))];
}
