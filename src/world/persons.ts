// The world's fictitious persons: a unique invented name, an occupation and job title, a home city,
// and a visual identity (one value per appearance attribute) that differs from every other person's
// in at least two attributes, and (while the world is not huge) in at least two *big visible* ones.
// Not how a person is drawn (raster/) or asked about (qa.ts).

import type { Rng } from '../core/rng.ts';
import { CITIES, JOBS } from './cities.ts';
import { createNames } from './names.ts';
import { APPEARANCE, OCCUPATIONS, type Appearance, type AppearanceKey, type Person } from './types.ts';

export const APPEARANCE_KEYS = Object.keys(APPEARANCE) as AppearanceKey[];

/** Attributes that cover many pixels at 64 px; identities are spread over these first. */
export const VISIBLE_KEYS: readonly AppearanceKey[] = [
  'clothingColour', 'hairColour', 'hairStyle', 'skinTone', 'headwear', 'glasses',
];

/** Identities must differ in at least this many attributes (and this many visible ones, while possible). */
export const MIN_APPEARANCE_DISTANCE = 2;

/** Hamming distance: in how many attributes two identities differ. */
export function appearanceDistance(a: Appearance, b: Appearance): number {
  let d = 0;
  for (const key of APPEARANCE_KEYS) if (a[key] !== b[key]) d++;
  return d;
}

/** Differences in VISIBLE_KEYS only; hair colour does not count between two bald persons. */
export function visibleDistance(a: Appearance, b: Appearance): number {
  let d = 0;
  for (const key of VISIBLE_KEYS) {
    if (key === 'hairColour' && a.hairStyle === 'bald' && b.hairStyle === 'bald') continue;
    if (a[key] !== b[key]) d++;
  }
  return d;
}

/** Draws values in shuffled rounds, so every value is used about equally often (balanced answers). */
class Deck<T> {
  private queue: T[] = [];
  constructor(private readonly values: readonly T[], private readonly rng: Rng) {}
  draw(): T {
    if (this.queue.length === 0) this.queue = this.rng.shuffle(this.values);
    return this.queue.pop() as T;
  }
}

/** Attempts that insist on visible distance before settling for plain Hamming distance. */
const STRICT_ATTEMPTS = 80;
const MAX_ATTEMPTS = 400;

export function createPersons(count: number, rng: Rng): Person[] {
  const names = createNames(count, rng.fork('names'));
  const occupations = new Deck(OCCUPATIONS, rng.fork('occupations'));
  const cities = new Deck(CITIES, rng.fork('cities'));
  const jobRng = rng.fork('jobs');
  const appearances = createAppearances(count, rng.fork('appearance'));
  return names.map((name, id) => {
    const occupation = occupations.draw();
    return {
      id,
      givenName: name.givenName,
      familyName: name.familyName,
      fullName: name.fullName,
      occupation,
      job: jobRng.pick(JOBS[occupation]),
      city: { ...cities.draw() },
      appearance: appearances[id],
    };
  });
}

/** `count` identities, each at least MIN_APPEARANCE_DISTANCE from all earlier ones. */
export function createAppearances(count: number, rng: Rng): Appearance[] {
  const decks = new Map<AppearanceKey, Deck<string>>(
    VISIBLE_KEYS.map((key) => [key, new Deck<string>(APPEARANCE[key], rng.fork(`deck/${key}`))]),
  );
  const out: Appearance[] = [];
  for (let i = 0; i < count; i++) {
    const base = {} as Record<AppearanceKey, string>;
    for (const key of APPEARANCE_KEYS) base[key] = decks.get(key)?.draw() ?? rng.pick(APPEARANCE[key]);
    let accepted: Appearance | null = null;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !accepted; attempt++) {
      const candidate = attempt === 0 ? base : mutate(base, rng);
      if (isFarEnough(candidate as Appearance, out, attempt < STRICT_ATTEMPTS)) accepted = candidate as Appearance;
    }
    if (!accepted) {
      throw new Error(
        `could not find a distinct appearance for person ${i} of ${count}: ask for fewer persons`,
      );
    }
    out.push(accepted);
  }
  return out;
}

/** The base identity with two visible attributes and one other attribute redrawn at random. */
function mutate(base: Record<AppearanceKey, string>, rng: Rng): Record<AppearanceKey, string> {
  const next = { ...base };
  for (const key of rng.sample(VISIBLE_KEYS, 2)) next[key] = rng.pick(APPEARANCE[key]);
  const other = rng.pick(APPEARANCE_KEYS);
  next[other] = rng.pick(APPEARANCE[other]);
  return next;
}

function isFarEnough(candidate: Appearance, others: readonly Appearance[], strict: boolean): boolean {
  for (const other of others) {
    if (appearanceDistance(candidate, other) < MIN_APPEARANCE_DISTANCE) return false;
    if (strict && visibleDistance(candidate, other) < MIN_APPEARANCE_DISTANCE) return false;
  }
  return true;
}
