import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { CITIES, JOBS } from '../../../src/world/cities.ts';
import {
  APPEARANCE_KEYS, appearanceDistance, createPersons, visibleDistance, VISIBLE_KEYS,
} from '../../../src/world/persons.ts';
import { APPEARANCE, OCCUPATIONS, type Region } from '../../../src/world/types.ts';

const persons = createPersons(200, new Rng(0, 'world/persons'));

describe('catalogues', () => {
  it('has 55 distinct real cities over all 7 regions', () => {
    expect(CITIES.length).toBe(55);
    expect(new Set(CITIES.map((c) => c.name)).size).toBe(55);
    const regions = new Set<Region>(CITIES.map((c) => c.region));
    expect(regions.size).toBe(7);
  });

  it('has a few job titles for each of the 17 occupations', () => {
    expect(OCCUPATIONS.length).toBe(17);
    for (const occupation of OCCUPATIONS) expect(JOBS[occupation].length).toBeGreaterThanOrEqual(3);
  });
});

describe('appearanceDistance', () => {
  it('counts differing attributes', () => {
    const a = persons[0].appearance;
    expect(appearanceDistance(a, a)).toBe(0);
    const b = { ...a, clothingColour: a.clothingColour === 'red' ? 'blue' : 'red', glasses: a.glasses === 'none' ? 'round' : 'none' } as const;
    expect(appearanceDistance(a, b)).toBe(2);
    expect(visibleDistance(a, b)).toBe(2);
  });
});

describe('createPersons', () => {
  it('gives ids 0..n-1, unique names, valid occupations, jobs, cities and attribute values', () => {
    expect(persons.map((p) => p.id)).toEqual(persons.map((_, i) => i));
    expect(new Set(persons.map((p) => p.fullName)).size).toBe(200);
    for (const p of persons) {
      expect(JOBS[p.occupation]).toContain(p.job);
      expect(CITIES.map((c) => c.name)).toContain(p.city.name);
      for (const key of APPEARANCE_KEYS) expect(APPEARANCE[key] as readonly string[]).toContain(p.appearance[key]);
    }
  });

  it('keeps every pair of identities >= 2 attributes apart, and >= 2 visible attributes apart', () => {
    let minAll = Infinity;
    let minVisible = Infinity;
    for (let i = 0; i < persons.length; i++) {
      for (let j = i + 1; j < persons.length; j++) {
        minAll = Math.min(minAll, appearanceDistance(persons[i].appearance, persons[j].appearance));
        minVisible = Math.min(minVisible, visibleDistance(persons[i].appearance, persons[j].appearance));
      }
    }
    expect(minAll).toBeGreaterThanOrEqual(2);
    expect(minVisible).toBeGreaterThanOrEqual(2);
    expect(new Set(persons.map((p) => JSON.stringify(p.appearance))).size).toBe(200);
  });

  it('spreads the big visible attributes over all their values, and occupations and cities too', () => {
    for (const key of VISIBLE_KEYS) {
      const used = new Set(persons.map((p) => p.appearance[key]));
      expect(used.size).toBe(APPEARANCE[key].length);
    }
    expect(new Set(persons.map((p) => p.occupation)).size).toBe(17);
    expect(new Set(persons.map((p) => p.city.name)).size).toBe(55);
  });
});
