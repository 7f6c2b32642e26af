// What the lab's engine derives from loaded models and from `load` and `configure` payloads, as pure
// functions: the world a Finetune model was trained on (from its manifest), the registry and the
// world as plain data for the UI, whether a Goal model fits a request, the checked load payload and
// run config (bad input becomes a LabError of kind bad-input that lists what is valid), and errors sorted into
// the protocol's kinds. Not here: anything that runs a model (lab-engine.ts).
import type { Unavailable } from '../eval/pebench-report.ts';
import type { LoadedModel } from '../model/export.ts';
import { ModelFilesError } from '../model/manifest.ts';
import { BackendLostError, SessionCreateError } from '../runtime/errors.ts';
import { BGD_SMOOTHING } from '../unlearning/bgd.ts';
import { METHODS, MethodError, getMethod, methodParams, resolveSettings } from '../unlearning/registry.ts';
import {
  EVENT_RATIOS, PERSON_RATIOS, createWorld, requestProblem, worldVocabulary, type ForgetRequest, type World, type WorldConfig,
} from '../world/index.ts';
import { LAB_BACKENDS, LabError, type GoalInfo, type LabErrorInfo, type LabPayload, type LabRunConfig, type MethodInfo, type WorldSummary } from './lab-protocol.ts';

/** The world named in the model's manifest (meta.world); a model whose vocabulary lacks its words is refused. */
export function modelWorld(model: LoadedModel, label: string): World {
  const world = createWorld((model.manifest.meta as { world?: Partial<WorldConfig> }).world ?? {});
  const unknown = worldVocabulary(world).filter((w) => !model.tokenizer.vocab.includes(w));
  if (unknown.length) {
    throw new LabError('model', `${label} was not trained on the world its manifest names: ${unknown.length} of the world's words (e.g. "${unknown[0]}") are not in its vocabulary; load a model folder written by \`pebench train\``);
  }
  return world;
}

export function methodInfos(): MethodInfo[] {
  return METHODS.map((m) => ({
    id: m.id, label: m.label, summary: m.summary, objective: m.objective, citation: m.citation,
    params: methodParams(m), bgdParams: m.bgd ? [BGD_SMOOTHING] : [], needs: { ...m.needs }, bgd: m.bgd,
  }));
}

export function worldSummary(world: World): WorldSummary {
  return {
    config: { ...world.config },
    persons: world.persons.map((p) => ({ id: p.id, name: p.fullName })),
    events: world.events.map((e) => ({ id: e.id, name: e.name })),
    ratios: { person: [...PERSON_RATIOS], event: [...EVENT_RATIOS] },
  };
}

/** A `load` payload as the engine needs it: a model folder URL, a known backend, files as ArrayBuffers or none. */
export function checkLoadPayload(payload: LabPayload<'load'>): void {
  if (!payload || typeof payload.modelUrl !== 'string' || payload.modelUrl === '') throw new LabError('bad-input', 'load needs { modelUrl, backend }: the model folder URL');
  if (!LAB_BACKENDS.includes(payload.backend)) throw new LabError('bad-input', `unknown backend "${String(payload.backend)}". Valid backends: ${LAB_BACKENDS.join(', ')}`);
  const files = payload.files;
  if (files !== undefined && (typeof files !== 'object' || files === null || !Object.values(files).every((f) => f instanceof ArrayBuffer))) {
    throw new LabError('bad-input', 'files must map model file paths to ArrayBuffers (files downloaded ahead), or be absent');
  }
}

export const sameRequest = (a: ForgetRequest, b: ForgetRequest): boolean =>
  a.target === b.target && a.personRatio === b.personRatio && a.eventRatio === b.eventRatio && a.forgetSeed === b.forgetSeed;

/** The loaded Goal model when it was trained for exactly this request on this world, else why not. */
export function goalFor(goal: LoadedModel | Unavailable, request: ForgetRequest, world: World): { model: LoadedModel; info: GoalInfo } | Unavailable {
  if ('unavailable' in goal) return goal;
  const meta = goal.manifest.meta as { kind?: string; retainOnly?: ForgetRequest | null; world?: unknown };
  if (meta.kind !== 'goal' || !meta.retainOnly || !sameRequest(meta.retainOnly, request)) {
    return { unavailable: `the loaded Goal model was trained for ${JSON.stringify(meta.retainOnly ?? null)}, not for this request ${JSON.stringify(request)}: load the Goal model of this request` };
  }
  if (JSON.stringify(createWorld((meta.world ?? {}) as Partial<WorldConfig>).config) !== JSON.stringify(world.config)) {
    return { unavailable: 'the loaded Goal model was trained on a different world than the Finetune model' };
  }
  return { model: goal, info: { modelHash: goal.manifest.modelHash } };
}

const isIntIn = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** The configure payload as a complete run config; throws LabError('bad-input') naming what is valid. */
export function runConfigOf(payload: LabPayload<'configure'>, world: World, decoderLayers: number): LabRunConfig {
  const bad = (message: string): never => {
    throw new LabError('bad-input', message);
  };
  if (!payload || typeof payload !== 'object') bad('configure needs { request, method, settings, bgd, seed }');
  const { request, settings, bgd, seed } = payload;
  if (!request || typeof request !== 'object') bad("request must be { target: 'person' | 'event' | 'both', personRatio?, eventRatio?, forgetSeed }");
  const cleanRequest: ForgetRequest = { target: request.target, forgetSeed: request.forgetSeed };
  if (request.personRatio !== undefined) cleanRequest.personRatio = request.personRatio;
  if (request.eventRatio !== undefined) cleanRequest.eventRatio = request.eventRatio;
  const problem = requestProblem(world, cleanRequest);
  if (problem) bad(`cannot make this forget request: ${problem}`);
  if (typeof bgd !== 'boolean') bad('bgd must be true or false');
  if (bgd && cleanRequest.target !== 'both') bad("bgd balances person and event forgetting: use it with target 'both'");
  if (!isIntIn(seed, 0, 0xffffffff)) bad(`seed must be an integer from 0 to 4294967295, got ${String(seed)}`);
  const lastBlocks = payload.lastBlocks ?? 0;
  if (!isIntIn(lastBlocks, 0, decoderLayers)) bad(`lastBlocks must be an integer from 0 (LoRA) to ${decoderLayers} (the decoder's blocks), got ${String(lastBlocks)}`);
  if (settings !== undefined && (settings === null || typeof settings !== 'object')) bad('settings must be an object of parameter values');
  try {
    const method = getMethod(String(payload.method));
    const resolved = resolveSettings(method, settings ?? {}, bgd);
    return { request: cleanRequest, method: method.id, settings: resolved, bgd, seed, lastBlocks };
  } catch (error) {
    if (error instanceof MethodError) bad(error.message);
    throw error;
  }
}

export function sameConfig(a: LabRunConfig, b: LabRunConfig): boolean {
  const keys = (s: Record<string, number>) => Object.keys(s).sort();
  return sameRequest(a.request, b.request) && a.method === b.method && a.bgd === b.bgd && a.seed === b.seed && a.lastBlocks === b.lastBlocks
    && JSON.stringify(keys(a.settings)) === JSON.stringify(keys(b.settings)) && keys(a.settings).every((k) => a.settings[k] === b.settings[k]);
}

/** Sorts any error into the protocol's kinds, keeping its message. */
export function labErrorInfo(error: unknown): LabErrorInfo {
  if (error instanceof LabError) return { kind: error.kind, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof BackendLostError) return { kind: 'backend-lost', message };
  if (error instanceof ModelFilesError || error instanceof SessionCreateError) return { kind: 'model', message };
  if (error instanceof MethodError) return { kind: 'bad-input', message };
  return { kind: 'internal', message };
}
