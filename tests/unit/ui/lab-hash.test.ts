// The lab's URL hash: every experiment field round-trips, only non-default parameters are written,
// and a damaged link falls back to defaults while listing what it ignored.
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPERIMENT, forgetRequestOf, fromHash, fullSettings, isBareLabHash, isGalleryHash, toHash, type LabExperiment } from '../../../src/ui/lab/lab-hash.ts';
import { methodInfos } from '../../../src/worker/lab-setup.ts';

const methods = methodInfos();

describe('lab hash', () => {
  it('round-trips a non-default experiment, parameters included', () => {
    const x: LabExperiment = {
      target: 'joint', personRatio: 0.01, eventRatio: 0.1, forgetSeed: 3, method: 'kl', settings: { lr: 0.003, steps: 25, bgdSmoothing: 0.5 },
      bgd: true, seed: 7, lastBlocks: 2, backend: 'webgpu',
    };
    const hash = toHash(x, methods);
    expect(hash).toContain('lr=0.003');
    expect(hash).toContain('bgd-smoothing=0.5');
    expect(fromHash(hash, methods)).toEqual({ experiment: x, ignored: [] });
  });

  it('writes only parameters that differ from the method defaults', () => {
    const kl = methods.find((m) => m.id === 'kl')!;
    const steps = kl.params.find((p) => p.key === 'steps')!;
    const hash = toHash({ ...DEFAULT_EXPERIMENT, method: 'kl', settings: { steps: steps.default } }, methods);
    expect(hash).not.toContain('steps=');
    expect(fullSettings({ ...DEFAULT_EXPERIMENT, method: 'kl' }, methods)!.steps).toBe(steps.default);
  });

  it('falls back to defaults for bad values and says which', () => {
    const { experiment, ignored } = fromHash('#target=aliens&pr=0.5&method=npo&lr=7&steps=2.5&seed=-1&backend=cuda&what=1', methods);
    expect(experiment).toEqual({ ...DEFAULT_EXPERIMENT, method: 'npo', settings: {} });
    expect(ignored.sort()).toEqual(['backend=cuda', 'lr=7', 'pr=0.5', 'seed=-1', 'steps=2.5', 'target=aliens', 'what=1'].sort());
  });

  it('keeps BGD only for joint requests and maps targets to forget requests', () => {
    expect(fromHash('#target=persons&bgd=1', methods).experiment.bgd).toBe(false);
    expect(forgetRequestOf({ ...DEFAULT_EXPERIMENT, target: 'events', eventRatio: 0.1, forgetSeed: 2 })).toEqual({ target: 'event', eventRatio: 0.1, forgetSeed: 2 });
    expect(forgetRequestOf({ ...DEFAULT_EXPERIMENT, target: 'joint' })).toEqual({ target: 'both', personRatio: 0.05, eventRatio: 0.05, forgetSeed: 0 });
  });

  it('tells the world atlas hash from the lab hash', () => {
    expect(isGalleryHash('#page=world&seed=3')).toBe(true);
    expect(isGalleryHash('#page=lab&method=ga')).toBe(false);
    expect(isGalleryHash('')).toBe(false);
  });

  it('tells the way back from the atlas (a lab hash naming no experiment) from a lab link', () => {
    for (const bare of ['', '#', '#page=lab']) expect(isBareLabHash(bare), bare).toBe(true);
    for (const link of ['#page=lab&method=ga', '#method=npo', '#page=world', '#page=lab&lr=0.1']) expect(isBareLabHash(link), link).toBe(false);
  });
});
