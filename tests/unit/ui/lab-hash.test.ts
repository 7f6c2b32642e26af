// The lab's URL hash: every experiment field round-trips, only non-default parameters are written,
// and a damaged link falls back to defaults while listing what it ignored.
import { describe, expect, it } from 'vitest';
import { getCard, methodParams } from '../../../src/unlearning/cards.ts';
import { withBgd, withMethod, withRequest, withSetting } from '../../../src/unlearning/run-config.ts';
import { DEFAULT_EXPERIMENT, fromHash, isBareLabHash, isGalleryHash, pinHash, readPinHash, runConfigOf, toHash, type LabExperiment } from '../../../src/ui/lab/lab-hash.ts';

describe('lab hash', () => {
  it('round-trips a non-default experiment, parameters included', () => {
    let config = withMethod(withRequest(DEFAULT_EXPERIMENT, { target: 'both', personRatio: 0.01, eventRatio: 0.1, forgetSeed: 3 }), 'kl');
    config = withSetting(withSetting(withSetting(withBgd(config, true), 'lr', 0.003), 'steps', 25), 'bgdSmoothing', 0.5);
    const x: LabExperiment = { ...config, seed: 7, lastBlocks: 2, backend: 'webgpu' };
    const hash = toHash(x);
    expect(hash).toContain('lr=0.003');
    expect(hash).toContain('bgd-smoothing=0.5');
    expect(fromHash(hash)).toEqual({ experiment: x, ignored: [] });
    expect(runConfigOf(x)).not.toHaveProperty('backend');
  });

  it('writes only parameters that differ from the method defaults', () => {
    const kl = withMethod(DEFAULT_EXPERIMENT, 'kl');
    const steps = methodParams(getCard('kl'), false, 'person').find((p) => p.key === 'steps')!;
    expect(kl.settings.steps).toBe(steps.default);
    expect(toHash({ ...kl, backend: 'wasm' })).not.toContain('steps=');
    expect(toHash({ ...withSetting(kl, 'steps', steps.default + 1), backend: 'wasm' })).toContain(`steps=${steps.default + 1}`);
  });

  it('falls back to defaults for bad values and says which', () => {
    const { experiment, ignored } = fromHash('#target=aliens&pr=0.5&method=npo&lr=7&steps=2.5&seed=-1&backend=cuda&what=1');
    expect(experiment).toEqual(DEFAULT_EXPERIMENT);
    expect(ignored.sort()).toEqual(['backend=cuda', 'lr=7', 'pr=0.5', 'seed=-1', 'steps=2.5', 'target=aliens', 'what=1'].sort());
  });

  it('keeps BGD only for joint requests and maps targets to forget requests', () => {
    expect(fromHash('#target=persons&bgd=1').experiment.bgd).toBe(false);
    expect(fromHash('#target=events&er=0.1&fs=2').experiment.request).toEqual({ target: 'event', eventRatio: 0.1, forgetSeed: 2 });
    expect(fromHash('#target=joint').experiment.request).toEqual({ target: 'both', personRatio: 0.05, eventRatio: 0.05, forgetSeed: 0 });
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

describe('pin hash', () => {
  const ga: LabExperiment = { ...withMethod(DEFAULT_EXPERIMENT, 'ga'), backend: 'webgpu' };

  it('holds the run keys only, and reads back to the same experiment on any backend', () => {
    const hash = pinHash(ga, 40, 40);
    expect(hash).not.toMatch(/(^|&)(page|backend|at)=/);
    const back = readPinHash(hash);
    expect(back.at).toBeNull();
    const { experiment, ignored } = fromHash(back.experimentHash);
    expect(ignored).toEqual([]);
    expect({ ...experiment, backend: 'webgpu' }).toEqual(ga);
  });

  it('names the step of a run pinned before its end, and a damaged step is left for fromHash to list', () => {
    const early = pinHash(ga, 12, 40);
    expect(readPinHash(early).at).toBe(12);
    expect(fromHash(readPinHash(early).experimentHash).ignored).toEqual([]);
    expect(readPinHash(early.replace('at=12', 'at=soon')).at).toBeNull();
    expect(fromHash(readPinHash(early.replace('at=12', 'at=soon')).experimentHash).ignored).toContain('at=soon');
  });
});
