// How an experiment is assembled from model folders, the same for the CLI and the lab's worker: the
// world a model was trained on (its manifest's meta.world, refused when malformed, when the model's
// vocabulary lacks the world's words, or when it learnt other renders than this code draws), whether two forget requests are the same, and whether a Goal
// model fits a request (kind goal, trained for exactly this request, on the same world). Pure; each
// surface words the failure for its user (CLI: the manifest's path and how to restore it; lab: the
// protocol's error kinds). Not here: reading folders (cli/model-dir.ts, worker/lab-models.ts).
import { RENDER_VERSION, createWorld, requestProblem, worldVocabulary, type ForgetRequest, type World, type WorldConfig } from '../world/index.ts';

/** A model's manifest does not describe a world it can serve. */
export class ModelFitError extends Error {
  override name = 'ModelFitError';
  /** 'manifest': meta is malformed or names an impossible world; 'vocabulary': the model was trained on another world; 'renders': on other pictures. */
  constructor(message: string, readonly kind: 'manifest' | 'vocabulary' | 'renders') {
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
  if (m.renderVersion !== RENDER_VERSION) {
    const was = m.renderVersion === undefined ? 'renders from before render versions were recorded' : `renders of version ${JSON.stringify(m.renderVersion)}`;
    throw new ModelFitError(`it was trained on ${was}, but this code draws render version ${RENDER_VERSION}: its numbers would be measured on pictures it never saw; retrain it with \`pebench train\` (or use the code it was trained with)`, 'renders');
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
  if (meta.renderVersion !== RENDER_VERSION) return `it was trained on other renders (render version ${JSON.stringify(meta.renderVersion ?? null)}; this code draws ${RENDER_VERSION}): retrain it`;
  let goalWorld: string;
  try {
    goalWorld = JSON.stringify(createWorld((isObject(meta.world) ? meta.world : {}) as Partial<WorldConfig>).config);
  } catch {
    return 'its manifest names a world that cannot be built';
  }
  return goalWorld === JSON.stringify(world.config) ? null : 'it was trained on a different world than the Finetune model';
}
