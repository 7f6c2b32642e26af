// The render version pins the pixels: the fingerprint of a few renders must be the one recorded for
// RENDER_VERSION, so a rasteriser change that moves a pixel fails here until the version is bumped.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RENDER_FINGERPRINT, RENDER_PROBE_KEYS, RENDER_VERSION, createWorld, renderImage } from '../../../src/world/index.ts';

describe('render version', () => {
  it(`the renders are the ones of version ${RENDER_VERSION} (else bump RENDER_VERSION, update the fingerprint and retrain the shipped models)`, () => {
    const world = createWorld();
    const hash = createHash('sha256');
    for (const key of RENDER_PROBE_KEYS) hash.update(renderImage(world, key, 64));
    expect(hash.digest('hex')).toBe(RENDER_FINGERPRINT);
  });

  it('covers training and fresh variants of several persons and events', () => {
    expect(new Set(RENDER_PROBE_KEYS.map((k) => k.variant)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(RENDER_PROBE_KEYS.map((k) => k.personId)).size).toBe(RENDER_PROBE_KEYS.length);
  });
});
