import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { ALL_FAMILY_NAMES, ALL_GIVEN_NAMES, MAX_PERSONS, NAME_POOLS, createNames } from '../../../src/world/names.ts';

describe('name pools', () => {
  it('hold single ASCII words, no word in two places (given/family or two pools)', () => {
    const all = [...ALL_GIVEN_NAMES, ...ALL_FAMILY_NAMES];
    for (const name of all) expect(name).toMatch(/^[A-Z][a-z]+(?:[A-Z][a-z]+)?$/);
    const lower = all.map((n) => n.toLowerCase());
    expect(new Set(lower).size).toBe(lower.length);
  });

  it('are culturally diverse and allow well over 200 persons', () => {
    expect(NAME_POOLS.length).toBeGreaterThanOrEqual(8);
    for (const pool of NAME_POOLS) expect(Math.min(pool.given.length, pool.family.length)).toBeGreaterThanOrEqual(20);
    expect(MAX_PERSONS).toBeGreaterThanOrEqual(2000);
  });
});

describe('createNames', () => {
  it('gives 200 unique full names with distinct given and family words, pairing across pools', () => {
    const names = createNames(200, new Rng(7, 'names'));
    expect(new Set(names.map((n) => n.fullName)).size).toBe(200);
    expect(new Set(names.map((n) => n.givenName)).size).toBe(200);
    expect(new Set(names.map((n) => n.familyName)).size).toBe(200);
    for (const n of names) {
      expect(n.fullName).toBe(`${n.givenName} ${n.familyName}`);
      expect(n.givenCulture).not.toBe(n.familyCulture);
    }
  });

  it('reaches MAX_PERSONS unique names and refuses one more, naming the maximum', () => {
    const names = createNames(MAX_PERSONS, new Rng(1, 'names'));
    expect(new Set(names.map((n) => n.fullName)).size).toBe(MAX_PERSONS);
    expect(() => createNames(MAX_PERSONS + 1, new Rng(1, 'names'))).toThrow(String(MAX_PERSONS));
  });

  it('is deterministic per rng stream and differs between seeds', () => {
    const a = createNames(50, new Rng(3, 'n')).map((n) => n.fullName);
    expect(createNames(50, new Rng(3, 'n')).map((n) => n.fullName)).toEqual(a);
    expect(createNames(50, new Rng(4, 'n')).map((n) => n.fullName)).not.toEqual(a);
  });
});
