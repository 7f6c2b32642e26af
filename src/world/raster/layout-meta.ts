// Sizes and placement layers of scene objects, and the horizon line of each backdrop: the facts that
// both the scene planner (scene.ts, which places objects so they stay visible) and the painters need.
// Data and tiny box helpers only; no drawing here.

import type { Backdrop, SceneObjectKind } from '../types.ts';

/**
 * Where an object may stand. high: sky or upper wall (sun, clock); far: on the horizon or against
 * the back wall (mountain, bookshelf); ground: on the ground/floor beside the person (bench, cow);
 * tabletop: on a table or desk when the scene has one, else on the ground.
 */
export type ObjectLayer = 'high' | 'far' | 'ground' | 'tabletop';

export interface ObjectMeta {
  /** width / height of the object's box. */
  aspect: number;
  layer: ObjectLayer;
  /** Height range as a fraction of the image height. */
  size: readonly [number, number];
  /** May appear more than once in one image (several trees, stars). */
  multi: boolean;
}

const m = (aspect: number, layer: ObjectLayer, lo: number, hi: number, multi = false): ObjectMeta => ({
  aspect,
  layer,
  size: [lo, hi],
  multi,
});

export const OBJECT_META: Record<SceneObjectKind, ObjectMeta> = {
  sun: m(1, 'high', 0.13, 0.18),
  moon: m(1, 'high', 0.11, 0.15),
  star: m(1, 'high', 0.08, 0.11, true),
  cloud: m(1.9, 'high', 0.08, 0.12, true),
  tree: m(0.72, 'ground', 0.3, 0.42, true),
  pine: m(0.55, 'ground', 0.3, 0.42, true),
  flower: m(0.55, 'ground', 0.13, 0.17, true),
  mountain: m(1.8, 'far', 0.2, 0.3),
  wave: m(2, 'far', 0.1, 0.14),
  umbrella: m(0.95, 'ground', 0.28, 0.36),
  boat: m(1.7, 'far', 0.13, 0.18),
  fish: m(1.8, 'ground', 0.08, 0.11, true),
  fishingRod: m(0.75, 'ground', 0.3, 0.4),
  car: m(2, 'ground', 0.14, 0.19),
  bicycle: m(1.6, 'ground', 0.16, 0.21),
  train: m(2.6, 'far', 0.17, 0.23),
  airplane: m(2, 'high', 0.08, 0.11),
  building: m(0.6, 'far', 0.3, 0.42, true),
  streetLamp: m(0.28, 'ground', 0.36, 0.48),
  bench: m(2, 'ground', 0.11, 0.14),
  table: m(1.6, 'ground', 0.13, 0.17),
  chair: m(0.6, 'ground', 0.18, 0.23, true),
  plate: m(2.2, 'tabletop', 0.055, 0.07),
  cup: m(0.85, 'tabletop', 0.08, 0.1),
  laptop: m(1.35, 'tabletop', 0.1, 0.12),
  book: m(0.8, 'tabletop', 0.1, 0.12),
  bookshelf: m(0.72, 'far', 0.4, 0.5),
  painting: m(1.2, 'high', 0.13, 0.18),
  sculpture: m(0.5, 'ground', 0.26, 0.34),
  spotlight: m(0.8, 'high', 0.09, 0.12, true),
  microphone: m(0.35, 'ground', 0.3, 0.38),
  camera: m(0.65, 'ground', 0.3, 0.38),
  stage: m(2.5, 'far', 0.12, 0.16),
  discoBall: m(0.7, 'high', 0.11, 0.15),
  podium: m(0.75, 'ground', 0.22, 0.28),
  screen: m(1.6, 'high', 0.16, 0.21),
  desk: m(1.8, 'ground', 0.14, 0.17),
  dumbbell: m(2.2, 'ground', 0.07, 0.09, true),
  cart: m(1.2, 'ground', 0.16, 0.21),
  shelf: m(1.2, 'far', 0.3, 0.38),
  cow: m(1.5, 'ground', 0.14, 0.19),
  fence: m(3, 'far', 0.08, 0.1),
  barn: m(1.1, 'far', 0.22, 0.3),
  giraffe: m(0.7, 'ground', 0.36, 0.46),
  telescope: m(0.85, 'ground', 0.25, 0.32),
  cabin: m(1.3, 'far', 0.2, 0.27),
  fireplace: m(1.1, 'far', 0.2, 0.25),
  balloon: m(0.6, 'high', 0.13, 0.17, true),
  banner: m(2.6, 'high', 0.08, 0.1),
  clock: m(1, 'high', 0.1, 0.12),
  suitcase: m(0.8, 'ground', 0.14, 0.18),
  snowman: m(0.62, 'ground', 0.22, 0.3),
  tent: m(1.4, 'far', 0.15, 0.21),
  plant: m(0.6, 'ground', 0.18, 0.24, true),
  window: m(0.9, 'high', 0.18, 0.24, true),
  crowd: m(2.4, 'ground', 0.12, 0.15),
};

/** Ground/floor line (y, 0 = top) of each backdrop before jitter; far objects stand on it. */
export const HORIZON: Record<Backdrop, number> = {
  field: 0.55, park: 0.55, beach: 0.52, lake: 0.5, mountains: 0.58, snow: 0.55, night: 0.62,
  street: 0.6, road: 0.55, room: 0.62, hall: 0.6, stage: 0.66, store: 0.6, platform: 0.62,
  terminal: 0.64, cabin: 0.64,
};

/** The horizon of one image: the backdrop's line moved by the image's jitter (-1..1). */
export function horizonOf(backdrop: Backdrop, jitter: number): number {
  return HORIZON[backdrop] + 0.03 * jitter;
}

/** Axis-aligned box in normalised image coordinates. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The box of an object placed at (x = centre, y = bottom) with height `scale`. */
export function objectBox(kind: SceneObjectKind, x: number, y: number, scale: number): Box {
  const halfWidth = (OBJECT_META[kind].aspect * scale) / 2;
  return { x0: x - halfWidth, y0: y - scale, x1: x + halfWidth, y1: y };
}

export function boxArea(b: Box): number {
  return Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
}

export function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}
