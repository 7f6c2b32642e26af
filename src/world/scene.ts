// Plans one image: turns an ImageKey (person, event, variant) into a SceneSpec — pose, framing,
// lighting, jitter, placed objects and bystanders — deterministically from the world's seed.
// Objects are placed where the person does not hide them, so every listed object is visible.
// Not the pixels (raster/ draws a SceneSpec) and not the questions (qa.ts reads spec.objects).

import { Rng } from '../core/rng.ts';
import type {
  EventDef, ImageKey, Person, PlacedObject, Pose, Rgb, SceneObjectKind, SceneSpec, World,
} from './types.ts';
import {
  OBJECT_META, boxArea, horizonOf, objectBox, overlapArea, type Box, type ObjectLayer,
} from './raster/layout-meta.ts';
import { personBoxes } from './raster/person-geometry.ts';

type Bystander = SceneSpec['bystanders'][number];

/** Muted body colours for bystander silhouettes (never one of a person's clothing names). */
const BYSTANDER_COLOURS: readonly Rgb[] = [
  [92, 100, 118], [118, 96, 84], [84, 110, 96], [130, 118, 100], [104, 88, 112], [70, 78, 92],
  [140, 120, 110], [96, 108, 84],
];

/** Smallest object height (image fraction): about 5 pixels at 64 px. */
const MIN_OBJECT_SCALE = 0.075;

const ARMS: readonly Pose['arms'][] = ['down', 'wave', 'hips', 'holding'];
const LAYER_ORDER: Record<ObjectLayer, number> = { high: 0, far: 1, ground: 2, tabletop: 3 };

export function makeSceneSpec(world: World, key: ImageKey): SceneSpec {
  if (!Number.isInteger(key.variant) || key.variant < 0) {
    throw new RangeError(`image variant must be an integer >= 0 (0 = training render), got ${key.variant}`);
  }
  const person = findPerson(world, key.personId);
  const event = findEvent(world, key.eventId);
  const rng = new Rng(world.config.seed, `scene/${key.personId}/${key.eventId}/${key.variant}`);
  const jitter = rng.fork('jitter').uniform(-1, 1);
  const lightRng = rng.fork('light');
  const light = { gain: lightRng.uniform(0.94, 1.06), warmth: lightRng.uniform(-0.03, 0.03) };
  const horizon = horizonOf(event.backdrop, jitter);
  // Try a few poses and keep the one whose required objects are best seen.
  const poseRng = rng.fork('pose');
  const objectRng = rng.fork('objects');
  let best: { pose: Pose; placed: Placement } | null = null;
  for (let attempt = 0; attempt < 4; attempt++) {
    const pose = makePose(poseRng, attempt);
    const placed = placeObjects(event, horizon, personBoxes(pose), objectRng.fork(`try${attempt}`));
    if (!best || placed.worstRequired > best.placed.worstRequired) best = { pose, placed };
    if (placed.worstRequired >= 0.75) break;
  }
  const { pose, placed } = best!;
  const objects = placed.objects;
  const bystanders = placeBystanders(horizon, personBoxes(pose), objects, rng.fork('bystanders'));
  return { key: { ...key }, event, appearance: person.appearance, pose, light, jitter, objects, bystanders };
}

/** The person with id `id`, or a RangeError naming how many the world has. */
export function findPerson(world: World, id: number): Person {
  const direct = world.persons[id];
  const person = direct?.id === id ? direct : world.persons.find((p) => p.id === id);
  if (!person) throw new RangeError(`no person with id ${id} in this world (it has ${world.persons.length} persons)`);
  return person;
}

function findEvent(world: World, id: number): EventDef {
  const direct = world.events[id];
  const event = direct?.id === id ? direct : world.events.find((e) => e.id === id);
  if (!event) throw new RangeError(`no event with id ${id} in this world (it has ${world.events.length} events)`);
  return event;
}

/**
 * A large, bust-framed person: skull top to waist is 60-73% of the image height (the face 15-18 px
 * at 64 px). Later attempts (when objects did not fit) push the person further to one side and make
 * them a little smaller.
 */
function makePose(rng: Rng, attempt: number): Pose {
  const scale = rng.uniform(0.6, 0.73 - 0.03 * attempt);
  const waist = rng.uniform(0.9, 1.04);
  const side = rng.chance(0.5) ? -1 : 1;
  return {
    x: 0.5 + side * rng.uniform(0.04 + 0.05 * attempt, 0.2 + 0.01 * attempt),
    y: waist - scale,
    scale,
    lean: rng.uniform(-0.1, 0.1),
    arms: rng.pick(ARMS),
  };
}

/** How many copies of a kind to draw. */
function copiesOf(kind: SceneObjectKind, rng: Rng): number {
  if (!OBJECT_META[kind].multi) return 1;
  if (kind === 'star') return 2 + rng.int(3);
  return 1 + rng.int(2);
}

function chooseKinds(event: EventDef, rng: Rng): { kind: SceneObjectKind; required: boolean }[] {
  const chosen: { kind: SceneObjectKind; required: boolean }[] = [];
  for (const kind of event.iconic) {
    const copies = copiesOf(kind, rng);
    for (let c = 0; c < copies; c++) chosen.push({ kind, required: c === 0 });
  }
  const optional = event.optional.filter((k) => !event.iconic.includes(k));
  const count = rng.int(Math.min(3, optional.length) + 1);
  for (const kind of rng.sample(optional, count)) chosen.push({ kind, required: false });
  // Big things first: they are the hardest to fit.
  const bulk = (k: SceneObjectKind): number => OBJECT_META[k].size[1] * OBJECT_META[k].size[1] * OBJECT_META[k].aspect;
  return chosen
    .map((c, i) => ({ ...c, i }))
    .sort((a, b) => Number(b.required) - Number(a.required) || bulk(b.kind) - bulk(a.kind) || a.i - b.i)
    .map(({ kind, required }) => ({ kind, required }));
}

interface Candidate {
  placed: PlacedObject;
  box: Box;
  score: number;
}

/** Fraction of `box` inside the frame and not behind the person; 1 is fully visible. */
function visibleFraction(box: Box, blockers: readonly Box[]): number {
  const area = boxArea(box);
  const inFrame = overlapArea(box, { x0: 0, y0: 0, x1: 1, y1: 1 }) / area;
  let hidden = 0;
  for (const b of blockers) hidden += overlapArea(box, b);
  return Math.max(0, inFrame - hidden / area);
}

/** Worst overlap with already placed objects, as a fraction of the smaller box. */
function crowding(box: Box, placed: readonly Candidate[], support: Box | null): number {
  let worst = 0;
  for (const other of placed) {
    if (other.box === support) continue;
    const shared = overlapArea(box, other.box) / Math.min(boxArea(box), boxArea(other.box));
    worst = Math.max(worst, shared);
  }
  return worst;
}

function propose(kind: SceneObjectKind, horizon: number, support: Box | null, shrink: number, rng: Rng): Candidate {
  const meta = OBJECT_META[kind];
  let scale = rng.uniform(meta.size[0], meta.size[1]) * shrink;
  let y: number;
  let x = rng.uniform(0.03, 0.97);
  if (meta.layer === 'high') {
    y = rng.uniform(0.04 + scale, Math.max(0.05 + scale, horizon - 0.02));
  } else if (meta.layer === 'far') {
    y = horizon + rng.uniform(0.005, 0.07);
  } else if (meta.layer === 'tabletop' && support) {
    y = support.y0 + 0.004;
    const half = (meta.aspect * scale) / 2;
    x = rng.uniform(support.x0 + half, Math.max(support.x0 + half, support.x1 - half));
  } else {
    y = rng.uniform(horizon + 0.12, 1.0);
    scale *= 0.8 + (0.4 * (y - horizon)) / (1 - horizon);
  }
  // never so small that the object stops being recognisable at the model's 64 px
  scale = Math.max(scale, MIN_OBJECT_SCALE, meta.size[0] * 0.85);
  const placed: PlacedObject = { kind, x, y, scale, flip: rng.chance(0.5) };
  return { placed, box: objectBox(kind, x, y, scale), score: 0 };
}

interface Placement {
  objects: PlacedObject[];
  /** Lowest visibility score among the iconic objects (1 = fully visible). */
  worstRequired: number;
}

function placeObjects(event: EventDef, horizon: number, blockers: readonly Box[], rng: Rng): Placement {
  const placed: Candidate[] = [];
  let worstRequired = 1;
  for (const { kind, required } of chooseKinds(event, rng)) {
    const layer = OBJECT_META[kind].layer;
    const supports = layer === 'tabletop'
      ? placed.filter((c) => c.placed.kind === 'table' || c.placed.kind === 'desk').map((c) => c.box)
      : [];
    let best: Candidate | null = null;
    for (let attempt = 0; attempt < 40; attempt++) {
      const shrink = 1 - 0.015 * attempt;
      const support = supports.length > 0 ? supports[attempt % supports.length] : null;
      const c = propose(kind, horizon, support, shrink, rng);
      const crowd = crowding(c.box, placed, support);
      c.score = visibleFraction(c.box, blockers) - 1.5 * Math.max(0, crowd - 0.12);
      if (!best || c.score > best.score) best = c;
      if (c.score >= 0.8 && crowd <= 0.12) break;
    }
    if (best && required) worstRequired = Math.min(worstRequired, best.score);
    if (best && (required || best.score >= 0.75)) placed.push(best);
  }
  const objects = placed
    .map((c) => c.placed)
    .sort((a, b) => LAYER_ORDER[OBJECT_META[a.kind].layer] - LAYER_ORDER[OBJECT_META[b.kind].layer] || a.y - b.y);
  return { objects, worstRequired };
}

function placeBystanders(
  horizon: number, blockers: readonly Box[], objects: readonly PlacedObject[], rng: Rng,
): Bystander[] {
  const count = rng.int(4);
  const objectBoxes = objects.map((o) => objectBox(o.kind, o.x, o.y, o.scale));
  const out: Bystander[] = [];
  const taken: Box[] = [];
  for (let i = 0; i < count; i++) {
    const colour = rng.pick(BYSTANDER_COLOURS);
    for (let attempt = 0; attempt < 24; attempt++) {
      const y = rng.uniform(horizon + 0.14, 1.06);
      const scale = rng.uniform(0.2, 0.3) * (0.8 + (0.4 * (y - horizon)) / (1 - horizon));
      const x = rng.uniform(0.04, 0.96);
      const box: Box = { x0: x - 0.24 * scale, y0: y - scale, x1: x + 0.24 * scale, y1: y };
      const area = boxArea(box);
      const behindPerson = blockers.reduce((s, b) => s + overlapArea(box, b), 0) / area;
      const coversObject = objectBoxes.some((o) => overlapArea(box, o) > 0.1 * boxArea(o));
      const crowded = taken.some((t) => overlapArea(box, t) > 0.3 * area);
      if (behindPerson <= 0.35 && !coversObject && !crowded) {
        out.push({ x, y, scale, colour });
        taken.push(box);
        break;
      }
    }
  }
  return out;
}
