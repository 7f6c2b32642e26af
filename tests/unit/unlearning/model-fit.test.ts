// Assembling an experiment from model folders, shared by the CLI and the lab: a model trained on
// other renders (or before versions were recorded) is refused with what to do; a Goal model fits only
// its own request, world and renders.
import { describe, expect, it } from 'vitest';
import { ModelFitError, goalProblem, modelWorldOf, sameRequest } from '../../../src/unlearning/model-fit.ts';
import { RENDER_VERSION, createWorld, worldVocabulary, type ForgetRequest } from '../../../src/world/index.ts';

const world = createWorld({ persons: 20, events: 10 });
const vocab = worldVocabulary(world);
const request: ForgetRequest = { target: 'person', personRatio: 0.05, forgetSeed: 1 };
const meta = (extra: Record<string, unknown> = {}) => ({ kind: 'finetune', world: world.config, renderVersion: RENDER_VERSION, ...extra });
const fitError = (fn: () => unknown): ModelFitError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ModelFitError) return error;
    throw error;
  }
  throw new Error('expected a ModelFitError');
};

describe('model fit', () => {
  it('reads the world and the Goal request of a model of this code', () => {
    expect(modelWorldOf(meta(), vocab).world.config).toEqual(world.config);
    expect(modelWorldOf(meta({ kind: 'goal', retainOnly: request }), vocab).retainOnly).toEqual(request);
  });

  it('refuses a model trained on other renders, or before render versions were recorded, saying what to do', () => {
    const old = fitError(() => modelWorldOf(meta({ renderVersion: RENDER_VERSION - 1 }), vocab));
    expect(old.kind).toBe('renders');
    expect(old.message).toMatch(`renders of version ${RENDER_VERSION - 1}, but this code draws render version ${RENDER_VERSION}`);
    expect(old.message).toMatch('retrain it with `pebench train`');
    const unversioned = fitError(() => modelWorldOf({ kind: 'finetune', world: world.config }, vocab));
    expect(unversioned.message).toMatch('renders from before render versions were recorded');
  });

  it('refuses a malformed world and a vocabulary without the world\'s words', () => {
    expect(fitError(() => modelWorldOf(meta({ world: 3 }), vocab)).kind).toBe('manifest');
    expect(fitError(() => modelWorldOf(meta(), vocab.slice(5))).kind).toBe('vocabulary');
  });

  it('fits a Goal model to its own request, world and renders only', () => {
    const goal = meta({ kind: 'goal', retainOnly: request });
    expect(goalProblem(goal, request, world)).toBeNull();
    expect(goalProblem(goal, { ...request, forgetSeed: 2 }, world)).toMatch('not trained for this request');
    expect(goalProblem(meta({ kind: 'finetune' }), request, world)).toMatch('not trained for this request');
    expect(goalProblem({ ...goal, renderVersion: 1 }, request, world)).toMatch('trained on other renders');
    expect(goalProblem(goal, request, createWorld({ persons: 20, events: 10, seed: 5 }))).toMatch('different world');
    expect(sameRequest(null, request)).toBe(false);
  });
});
