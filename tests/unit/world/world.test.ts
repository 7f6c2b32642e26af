import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PERSONS } from '../../../src/world/names.ts';
import { createWorld, imageKeyId, imageKeys, validateWorldConfig } from '../../../src/world/world.ts';
import { DEFAULT_WORLD_CONFIG } from '../../../src/world/types.ts';

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('createWorld', () => {
  it('is deterministic: same seed, deep-equal world with the same JSON hash', () => {
    const a = createWorld({ seed: 42 });
    const b = createWorld({ seed: 42 });
    expect(b).toEqual(a);
    expect(hash(b)).toBe(hash(a));
  });

  it('differs between seeds', () => {
    const a = createWorld({ seed: 1 });
    const b = createWorld({ seed: 2 });
    expect(hash(b)).not.toBe(hash(a));
    expect(b.persons.map((p) => p.fullName)).not.toEqual(a.persons.map((p) => p.fullName));
    expect(b.persons.map((p) => p.appearance)).not.toEqual(a.persons.map((p) => p.appearance));
  });

  it('uses the defaults: 200 persons with unique names, 40 events', () => {
    const world = createWorld();
    expect(world.config).toEqual(DEFAULT_WORLD_CONFIG);
    expect(world.persons.length).toBe(200);
    expect(new Set(world.persons.map((p) => p.fullName)).size).toBe(200);
    expect(world.events.length).toBe(40);
  });

  it('honours smaller sizes', () => {
    const world = createWorld({ persons: 3, events: 2, freshPerPair: 1 });
    expect(world.persons.length).toBe(3);
    expect(world.events.map((e) => e.name)).toEqual(['media interview', 'park jogging']);
  });
});

describe('validateWorldConfig', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ seed: -1 }, /seed must be an integer from 0 to 4294967295/],
    [{ seed: 2 ** 32 }, /seed/],
    [{ seed: 1.5 }, /seed/],
    [{ persons: 0 }, new RegExp(`persons must be an integer from 1 to ${MAX_PERSONS}`)],
    [{ persons: MAX_PERSONS + 1 }, /persons/],
    [{ events: 41 }, /events must be an integer from 1 to 40/],
    [{ freshPerPair: 17 }, /freshPerPair must be an integer from 0 to 16/],
    [{ modelSize: 31 }, /modelSize must be an integer from 32 to 512/],
    [{ displaySize: 4096 }, /displaySize must be an integer from 64 to 2048/],
    [{ displaySize: '256' }, /displaySize/],
    [{ colour: 3 }, /unknown world config field "colour"/],
  ];
  for (const [config, message] of cases) {
    it(`rejects ${JSON.stringify(config)}`, () => {
      expect(() => validateWorldConfig(config)).toThrow(message);
      expect(() => createWorld(config)).toThrow(message);
    });
  }

  it('accepts the range ends', () => {
    expect(validateWorldConfig({ seed: 0xffffffff, freshPerPair: 0, modelSize: 512, displaySize: 64 }).seed).toBe(0xffffffff);
  });
});

describe('imageKeys', () => {
  it('lists one train render per pair and freshPerPair fresh renders per pair, all distinct', () => {
    const world = createWorld({ persons: 4, events: 3, freshPerPair: 2 });
    const train = imageKeys(world, 'train');
    const fresh = imageKeys(world, 'fresh');
    expect(train.length).toBe(12);
    expect(train.every((k) => k.variant === 0)).toBe(true);
    expect(fresh.length).toBe(24);
    expect(new Set(fresh.map((k) => k.variant))).toEqual(new Set([1, 2]));
    expect(new Set([...train, ...fresh].map(imageKeyId)).size).toBe(36);
    expect(imageKeys(createWorld({ persons: 2, events: 2, freshPerPair: 0 }), 'fresh')).toEqual([]);
  });
});
