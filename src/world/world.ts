// Builds the whole fictitious world from a config: validates it, then derives persons and events
// deterministically from the seed (same seed, same world, in Node and every browser). Also lists the
// world's image keys. Not the pictures (scene.ts, raster/) and not the questions (qa.ts).

import { Rng } from '../core/rng.ts';
import { createEvents, EVENTS } from './events.ts';
import { MAX_PERSONS } from './names.ts';
import { createPersons } from './persons.ts';
import { DEFAULT_WORLD_CONFIG, type ImageKey, type World, type WorldConfig } from './types.ts';

/** Valid range of each numeric config field (inclusive). */
export const WORLD_CONFIG_RANGES: Readonly<Record<keyof WorldConfig, readonly [number, number]>> = {
  seed: [0, 0xffffffff],
  persons: [1, MAX_PERSONS],
  events: [1, EVENTS.length],
  freshPerPair: [0, 16],
  modelSize: [32, 512],
  displaySize: [64, 2048],
};

/** The full config with defaults filled in; throws a RangeError naming the field and its valid range. */
export function validateWorldConfig(config: Partial<WorldConfig> = {}): WorldConfig {
  const full: WorldConfig = { ...DEFAULT_WORLD_CONFIG };
  for (const [field, value] of Object.entries(config) as [keyof WorldConfig, unknown][]) {
    if (value === undefined) continue;
    const range = WORLD_CONFIG_RANGES[field];
    if (!range) {
      throw new RangeError(
        `unknown world config field "${field}"; valid fields: ${Object.keys(WORLD_CONFIG_RANGES).join(', ')}`,
      );
    }
    const [lo, hi] = range;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
      throw new RangeError(`world config: ${field} must be an integer from ${lo} to ${hi}, got ${String(value)}`);
    }
    full[field] = value;
  }
  return full;
}

export function createWorld(config: Partial<WorldConfig> = {}): World {
  const full = validateWorldConfig(config);
  const rng = new Rng(full.seed, 'world');
  return {
    config: full,
    persons: createPersons(full.persons, rng.fork('persons')),
    events: createEvents(full.events),
  };
}

export type ImageKind = 'train' | 'fresh';

/**
 * Every image key of one kind, person-major: 'train' gives variant 0 of each person-event pair,
 * 'fresh' gives variants 1..freshPerPair of each pair (never used for training).
 */
export function imageKeys(world: World, kind: ImageKind): ImageKey[] {
  const variants = kind === 'train'
    ? [0]
    : Array.from({ length: world.config.freshPerPair }, (_, i) => i + 1);
  const keys: ImageKey[] = [];
  for (const person of world.persons) {
    for (const event of world.events) {
      for (const variant of variants) keys.push({ personId: person.id, eventId: event.id, variant });
    }
  }
  return keys;
}

/** A stable string for an image key, e.g. "p12-e3-v0" (used to compare and index items). */
export function imageKeyId(key: ImageKey): string {
  return `p${key.personId}-e${key.eventId}-v${key.variant}`;
}
