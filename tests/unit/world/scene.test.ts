// Scene planning: determinism, variation between variants and seeds, iconic objects always
// present, objects placed where the person does not hide them, a large person, valid keys.
import { describe, expect, it } from 'vitest';
import { makeSceneSpec } from '../../../src/world/scene.ts';
import { boxArea, objectBox, overlapArea } from '../../../src/world/raster/layout-meta.ts';
import { personBoxes } from '../../../src/world/raster/person-geometry.ts';
import { createWorld } from '../../../src/world/world.ts';

const world = createWorld();

describe('makeSceneSpec', () => {
  it('is deterministic for one key', () => {
    const key = { personId: 7, eventId: 13, variant: 0 };
    expect(makeSceneSpec(world, key)).toEqual(makeSceneSpec(world, key));
    expect(makeSceneSpec(createWorld(), key)).toEqual(makeSceneSpec(world, key));
  });

  it('gives different variation to fresh variants and other seeds, same person and event', () => {
    const train = makeSceneSpec(world, { personId: 3, eventId: 5, variant: 0 });
    const fresh = makeSceneSpec(world, { personId: 3, eventId: 5, variant: 1 });
    const otherSeed = makeSceneSpec(createWorld({ seed: 99 }), { personId: 3, eventId: 5, variant: 0 });
    expect(fresh.pose).not.toEqual(train.pose);
    expect(fresh.jitter).not.toBe(train.jitter);
    expect(otherSeed.pose).not.toEqual(train.pose);
    expect(fresh.appearance).toEqual(train.appearance);
    expect(fresh.event.id).toBe(train.event.id);
  });

  it('always includes every iconic object and only the event objects', () => {
    for (const event of world.events) {
      for (let personId = 0; personId < 10; personId++) {
        for (const variant of [0, 1, 2]) {
          const spec = makeSceneSpec(world, { personId, eventId: event.id, variant });
          const kinds = new Set(spec.objects.map((o) => o.kind));
          for (const kind of event.iconic) expect(kinds.has(kind), `${event.name} lacks ${kind}`).toBe(true);
          for (const kind of kinds) expect([...event.iconic, ...event.optional]).toContain(kind);
          expect(spec.bystanders.length).toBeLessThanOrEqual(3);
        }
      }
    }
  });

  it('adds optional props to some images but not all', () => {
    let withOptional = 0;
    let total = 0;
    for (const event of world.events) {
      for (let personId = 0; personId < 5; personId++) {
        const spec = makeSceneSpec(world, { personId, eventId: event.id, variant: 0 });
        total++;
        if (spec.objects.some((o) => !event.iconic.includes(o.kind))) withOptional++;
      }
    }
    expect(withOptional).toBeGreaterThan(total * 0.4);
    expect(withOptional).toBeLessThan(total);
  });

  it('keeps objects mostly in frame and out from behind the person', () => {
    let worst = 1;
    let sum = 0;
    let count = 0;
    for (const event of world.events) {
      for (let personId = 0; personId < 10; personId++) {
        const spec = makeSceneSpec(world, { personId, eventId: event.id, variant: personId % 3 });
        const blockers = personBoxes(spec.pose);
        for (const o of spec.objects) {
          const box = objectBox(o.kind, o.x, o.y, o.scale);
          const inFrame = overlapArea(box, { x0: 0, y0: 0, x1: 1, y1: 1 }) / boxArea(box);
          const hidden = blockers.reduce((s, b) => s + overlapArea(box, b), 0) / boxArea(box);
          const visible = inFrame - hidden;
          worst = Math.min(worst, visible);
          sum += visible;
          count++;
        }
      }
    }
    expect(sum / count).toBeGreaterThan(0.85);
    expect(worst).toBeGreaterThan(0.5);
  });

  it('frames the person large: skull top to the bottom edge is at least half the image', () => {
    for (let personId = 0; personId < 50; personId++) {
      const { pose } = makeSceneSpec(world, { personId, eventId: personId % 40, variant: 0 });
      expect(1 - pose.y).toBeGreaterThanOrEqual(0.5);
      expect(pose.x).toBeGreaterThan(0.25);
      expect(pose.x).toBeLessThan(0.75);
    }
  });

  it('rejects unknown persons, events and bad variants with a helpful message', () => {
    expect(() => makeSceneSpec(world, { personId: 9999, eventId: 0, variant: 0 })).toThrow(/no person with id 9999/);
    expect(() => makeSceneSpec(world, { personId: 0, eventId: 99, variant: 0 })).toThrow(/no event with id 99/);
    expect(() => makeSceneSpec(world, { personId: 0, eventId: 0, variant: -1 })).toThrow(/variant/);
  });
});
