// What the lab's engine derives from loaded models and from `load` and `configure` payloads, as pure
// functions: the world a Finetune model was trained on (from its manifest), the world as plain data for
// the UI, whether a Goal model fits a request, the checked load payload and
// run config (bad input becomes a LabError of kind bad-input that lists what is valid), and errors sorted into
// the protocol's kinds; the lab's evaluation sample. Not here: anything that runs a model (lab-engine.ts).
import type { Unavailable } from '../eval/pebench-report.ts';
import type { LoadedModel } from '../model/export.ts';
import { ModelFilesError } from '../model/manifest.ts';
import { BackendLostError, SessionCreateError } from '../runtime/errors.ts';
import { MethodError } from '../unlearning/cards.ts';
import type { EvalCaps } from '../unlearning/evaluate.ts';
import { RunConfigError, checkRunConfig, type RunConfig } from '../unlearning/run-config.ts';
import { ModelFitError, goalProblem, modelWorldOf } from '../unlearning/model-fit.ts';
import { EVENT_RATIOS, PERSON_RATIOS, type ForgetRequest, type World } from '../world/index.ts';
import { LAB_BACKENDS, LabError, type GoalInfo, type LabErrorInfo, type LabPayload, type WorldSummary } from './lab-protocol.ts';

/**
 * The lab's evaluation sample: about a quarter of `pebench bench`'s (src/unlearning/evaluate.ts) so a
 * report takes seconds in a browser tab; every number in the report carries its n.
 */
export const LAB_EVAL_CAPS: EvalCaps = { forget: 60, generality: 80, retain: 80, scope: 60, utility: 60, text: 60, scored: 24 };

/** The world named in the model's manifest (meta.world); a model whose vocabulary lacks its words is refused. */
export function modelWorld(model: LoadedModel, label: string): World {
  try {
    return modelWorldOf(model.manifest.meta, model.tokenizer.vocab).world;
  } catch (error) {
    if (error instanceof ModelFitError) throw new LabError('model', `${label}: ${error.message}; load a model folder written by \`pebench train\``);
    throw error;
  }
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

/** The loaded Goal model when it was trained for exactly this request on this world, else why not. */
export function goalFor(goal: LoadedModel | Unavailable, request: ForgetRequest, world: World): { model: LoadedModel; info: GoalInfo } | Unavailable {
  if ('unavailable' in goal) return goal;
  const problem = goalProblem(goal.manifest.meta, request, world);
  if (problem) return { unavailable: `the loaded Goal model does not fit: ${problem}; load the Goal model of this request` };
  return { model: goal, info: { modelHash: goal.manifest.modelHash } };
}

/** The configure payload as a complete run config; throws LabError('bad-input') listing every problem. */
export function runConfigOf(payload: LabPayload<'configure'>, world: World, decoderLayers: number): RunConfig {
  if (!payload || typeof payload !== 'object') throw new LabError('bad-input', 'configure needs { request, method, settings, bgd, seed, lastBlocks }');
  try {
    return checkRunConfig(payload, { world, decoderLayers });
  } catch (error) {
    if (error instanceof RunConfigError) throw new LabError('bad-input', error.message);
    throw error;
  }
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
