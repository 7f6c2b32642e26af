// How an experiment is assembled from model folders, the same for the CLI and the lab's worker: the
// world a model was trained on (its manifest's meta.world, refused when malformed or when the model's
// vocabulary lacks the world's words), whether two forget requests are the same, and whether a Goal
// model fits a request (kind goal, trained for exactly this request, on the same world). Pure; each
// surface words the failure for its user (CLI: the manifest's path and how to restore it; lab: the
// protocol's error kinds). Not here: reading folders (cli/model-dir.ts, worker/lab-models.ts).
import { createWorld, requestProblem, worldVocabulary, type ForgetRequest, type World, type WorldConfig } from '../world/index.ts';

/** A model's manifest does not describe a world it can serve. */
export class ModelFitError extends Error {
  override name = 'ModelFitError';
  /** 'manifest': meta is malformed or names an impossible world; 'vocabulary': the model was trained on another world. */
  constructor(message: string, readonly kind: 'manifest' | 'vocabulary') {
    super(message);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

export const sameRequest = (a: ForgetRequest | null | undefined, b: ForgetRequest): boolean =>
  !!a && a.target === b.target && a.personRatio === b.personRatio && a.eventRatio === b.eventRatio && a.forgetSeed === b.forgetSeed;

/** The world a model's manifest meta names (the default world when it names none) and its Goal request; throws ModelFitError. */
export function modelWorldOf(meta: unknown, vocab: readonly string[]): { world: World; retainOnly: ForgetRequest | null } {
  const m = isObject(meta) ? meta : {};
  if (m.world !== undefined && !isObject(m.world)) throw new ModelFitError(`meta.world must be an object (the world config), got ${JSON.stringify(m.world)}`, 'manifest');
  if (m.retainOnly !== undefined && m.retainOnly !== null && !isObject(m.retainOnly)) {
    throw new ModelFitError(`meta.retainOnly must be a forget request or null, got ${JSON.stringify(m.retainOnly)}`, 'manifest');
  }
  const retainOnly = (m.retainOnly ?? null) as ForgetRequest | null;
  let world: World;
  try {
    world = createWorld((m.world ?? {}) as Partial<WorldConfig>);
    const problem = retainOnly ? requestProblem(world, retainOnly) : null;
    if (problem) throw new RangeError(`meta.retainOnly: ${problem}`);
  } catch (error) {
    throw new ModelFitError(`it describes a world or forget request that cannot be built (${error instanceof Error ? error.message : String(error)})`, 'manifest');
  }
  const unknown = worldVocabulary(world).filter((w) => !vocab.includes(w));
  if (unknown.length) {
    throw new ModelFitError(`it was not trained on the world its manifest names: ${unknown.length} of the world's words (e.g. "${unknown[0]}") are not in its vocabulary`, 'vocabulary');
  }
  return { world, retainOnly };
}

/** Why a model with manifest meta `goalMeta` is not the Goal model of `request` on `world`, or null when it is. */
export function goalProblem(goalMeta: unknown, request: ForgetRequest, world: World): string | null {
  const meta = isObject(goalMeta) ? goalMeta : {};
  const retainOnly = isObject(meta.retainOnly) ? (meta.retainOnly as unknown as ForgetRequest) : null;
  if (meta.kind !== 'goal' || !sameRequest(retainOnly, request)) {
    return `it was not trained for this request (its manifest: kind ${String(meta.kind ?? '?')}, retainOnly ${JSON.stringify(meta.retainOnly ?? null)}; this request: ${JSON.stringify(request)})`;
  }
  let goalWorld: string;
  try {
    goalWorld = JSON.stringify(createWorld((isObject(meta.world) ? meta.world : {}) as Partial<WorldConfig>).config);
  } catch {
    return 'its manifest names a world that cannot be built';
  }
  return goalWorld === JSON.stringify(world.config) ? null : 'it was trained on a different world than the Finetune model';
}
