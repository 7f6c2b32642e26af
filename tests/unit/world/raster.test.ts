// The rasteriser: output format, bit-identical determinism, variation, every object kind drawn and
// distinct, listed objects visible at 64 px, 64 px ~ downsampled 256 px, events separable and
// persons identifiable by simple pixel statistics.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Canvas } from '../../../src/world/raster/canvas.ts';
import { OBJECT_META } from '../../../src/world/raster/layout-meta.ts';
import { drawObject } from '../../../src/world/raster/objects.ts';
import { renderImage, renderScene } from '../../../src/world/raster/render.ts';
import { fillRect } from '../../../src/world/raster/shapes.ts';
import { makeSceneSpec } from '../../../src/world/scene.ts';
import { SCENE_OBJECTS, type SceneObjectKind } from '../../../src/world/types.ts';
import { createWorld } from '../../../src/world/world.ts';

const world = createWorld();
const sha = (bytes: Uint8ClampedArray): string => createHash('sha256').update(bytes).digest('hex');

/** Pixels whose RGB differ by more than `threshold` (sum of absolute channel differences). */
function changedPixels(a: Uint8ClampedArray, b: Uint8ClampedArray, threshold: number): number {
  let n = 0;
  for (let k = 0; k < a.length; k += 4) {
    if (Math.abs(a[k] - b[k]) + Math.abs(a[k + 1] - b[k + 1]) + Math.abs(a[k + 2] - b[k + 2]) > threshold) n++;
  }
  return n;
}

describe('renderScene / renderImage', () => {
  it('returns opaque RGBA of size x size', () => {
    for (const size of [64, 100]) {
      const rgba = renderImage(world, { personId: 1, eventId: 2, variant: 0 }, size);
      expect(rgba).toBeInstanceOf(Uint8ClampedArray);
      expect(rgba.length).toBe(size * size * 4);
      for (let k = 3; k < rgba.length; k += 4) expect(rgba[k]).toBe(255);
    }
  });

  it('is byte-identical for the same key, in the same and in a fresh world', () => {
    const key = { personId: 11, eventId: 27, variant: 1 };
    const first = sha(renderImage(world, key, 64));
    expect(sha(renderImage(world, key, 64))).toBe(first);
    expect(sha(renderImage(createWorld(), key, 64))).toBe(first);
    expect(sha(renderImage(world, key, 256))).toBe(sha(renderImage(world, key, 256)));
  });

  it('differs between variants, seeds, persons and events', () => {
    const base = renderImage(world, { personId: 4, eventId: 9, variant: 0 }, 64);
    const others = [
      renderImage(world, { personId: 4, eventId: 9, variant: 1 }, 64),
      renderImage(world, { personId: 4, eventId: 9, variant: 2 }, 64),
      renderImage(createWorld({ seed: 5 }), { personId: 4, eventId: 9, variant: 0 }, 64),
      renderImage(world, { personId: 5, eventId: 9, variant: 0 }, 64),
      renderImage(world, { personId: 4, eventId: 10, variant: 0 }, 64),
    ];
    for (const other of others) expect(changedPixels(base, other, 30)).toBeGreaterThan(200);
  });

  it('fresh renders keep the person and event but change the picture', () => {
    for (const [personId, eventId] of [[0, 0], [17, 13], [99, 38]]) {
      const train = makeSceneSpec(world, { personId, eventId, variant: 0 });
      const trainPixels = renderScene(train, 64);
      for (const variant of [1, 2, 3]) {
        const fresh = makeSceneSpec(world, { personId, eventId, variant });
        expect(fresh.appearance).toEqual(train.appearance);
        expect(fresh.event).toBe(train.event);
        const kinds = new Set(fresh.objects.map((o) => o.kind));
        for (const kind of train.event.iconic) expect(kinds.has(kind)).toBe(true);
        expect(sha(renderScene(fresh, 64))).not.toBe(sha(trainPixels));
      }
    }
  });

  it('shows the same picture at 64 px as the 256 px render box-downsampled', () => {
    for (const eventId of [0, 13, 28, 36]) {
      const spec = makeSceneSpec(world, { personId: eventId, eventId, variant: 0 });
      const small = renderScene(spec, 64);
      const large = renderScene(spec, 256);
      let diff = 0;
      for (let y = 0; y < 64; y++) {
        for (let x = 0; x < 64; x++) {
          for (let ch = 0; ch < 3; ch++) {
            let sum = 0;
            for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += large[((4 * y + dy) * 256 + 4 * x + dx) * 4 + ch];
            diff += Math.abs(sum / 16 - small[(y * 64 + x) * 4 + ch]);
          }
        }
      }
      expect(diff / (64 * 64 * 3)).toBeLessThan(2);
    }
  });
});

describe('scene objects', () => {
  const kinds = Object.keys(SCENE_OBJECTS) as SceneObjectKind[];
  /** Each kind alone, centred on a grey canvas, as tall as fits. */
  const alone = new Map(kinds.map((kind) => {
    const c = new Canvas(64);
    fillRect(c, 0, 0, 1, 1, [128, 128, 128]);
    const scale = Math.min(0.7, 0.9 / OBJECT_META[kind].aspect);
    drawObject(c, { kind, x: 0.5, y: 0.5 + scale / 2, scale, flip: false });
    return [kind, c.toRgba(1, 0)] as const;
  }));
  const grey = (() => {
    const c = new Canvas(64);
    fillRect(c, 0, 0, 1, 1, [128, 128, 128]);
    return c.toRgba(1, 0);
  })();

  it('draws every kind, each as a shape distinct from every other kind', () => {
    for (const kind of kinds) expect(changedPixels(alone.get(kind)!, grey, 30), kind).toBeGreaterThan(100);
    for (let i = 0; i < kinds.length; i++) {
      for (let j = i + 1; j < kinds.length; j++) {
        const differing = changedPixels(alone.get(kinds[i])!, alone.get(kinds[j])!, 60);
        expect(differing, `${kinds[i]} vs ${kinds[j]}`).toBeGreaterThan(100);
      }
    }
  });

  it('keeps every listed object visible at 64 px (removing it changes the image)', () => {
    for (const event of world.events) {
      for (const personId of [0, 1, 2]) {
        const spec = makeSceneSpec(world, { personId, eventId: event.id, variant: personId });
        const full = renderScene(spec, 64);
        spec.objects.forEach((o, index) => {
          const without = renderScene({ ...spec, objects: spec.objects.filter((_, i) => i !== index) }, 64);
          expect(changedPixels(full, without, 40), `${event.name}: ${o.kind}`).toBeGreaterThanOrEqual(8);
        });
      }
    }
  });
});

/** Soft (linearly interpolated) 6x6x6 colour histogram, square-rooted: a simple scene statistic. */
function colourHistogram(rgba: Uint8ClampedArray): Float64Array {
  const levels = 6;
  const h = new Float64Array(levels ** 3);
  const idx = [0, 0, 0];
  const w = [0, 0, 0];
  for (let k = 0; k < rgba.length; k += 4) {
    for (let c = 0; c < 3; c++) {
      const t = (rgba[k + c] / 255) * (levels - 1);
      idx[c] = Math.min(levels - 2, Math.floor(t));
      w[c] = t - idx[c];
    }
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 2; b++) {
        for (let d = 0; d < 2; d++) {
          const weight = (a ? w[0] : 1 - w[0]) * (b ? w[1] : 1 - w[1]) * (d ? w[2] : 1 - w[2]);
          h[((idx[0] + a) * levels + idx[1] + b) * levels + idx[2] + d] += weight;
        }
      }
    }
  }
  const n = rgba.length / 4;
  return h.map((v) => Math.sqrt(v / n));
}

function distance2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

function nearest(query: ArrayLike<number>, refs: readonly ArrayLike<number>[]): number {
  let best = 0;
  for (let i = 1; i < refs.length; i++) if (distance2(query, refs[i]) < distance2(query, refs[best])) best = i;
  return best;
}

describe('learnability by pixel statistics', () => {
  it('classifies events by nearest colour-histogram centroid (>= 95%)', () => {
    const centroids = world.events.map((event) => {
      const sum = new Float64Array(216);
      for (const personId of [0, 1, 2, 3, 4]) {
        colourHistogram(renderImage(world, { personId, eventId: event.id, variant: 0 }, 64)).forEach((v, i) => (sum[i] += v / 5));
      }
      return sum;
    });
    let correct = 0;
    let total = 0;
    for (const event of world.events) {
      for (const [personId, variant] of [[5, 0], [6, 0], [7, 1], [8, 1], [9, 2]]) {
        const h = colourHistogram(renderImage(world, { personId, eventId: event.id, variant }, 64));
        if (nearest(h, centroids) === event.id) correct++;
        total++;
      }
    }
    expect(correct / total).toBeGreaterThanOrEqual(0.95);
  });

  it('identifies persons across events by colours of their hair, face and clothing regions', () => {
    /** Mean colours of four regions placed from the pose: top of head, face, eye line, torso. */
    const personFeature = (personId: number, eventId: number): number[] => {
      const spec = makeSceneSpec(world, { personId, eventId, variant: 0 });
      const rgba = renderScene(spec, 64);
      const h = spec.pose.scale / 2.6;
      const cx = spec.pose.x + spec.pose.lean * h * 1.25;
      const top = spec.pose.y;
      const regions = [
        [cx - 0.3 * h, top - 0.1 * h, cx + 0.3 * h, top + 0.25 * h],
        [cx - 0.3 * h, top + 0.35 * h, cx + 0.3 * h, top + 0.9 * h],
        [cx - 0.5 * h, top + 0.45 * h, cx - 0.05 * h, top + 0.65 * h],
        [spec.pose.x - 0.6 * h, top + 1.5 * h, spec.pose.x + 0.6 * h, top + 2.3 * h],
      ];
      const out: number[] = [];
      for (const [x0, y0, x1, y1] of regions) {
        const sum = [0, 0, 0];
        let n = 0;
        for (let y = Math.max(0, Math.floor(y0 * 64)); y < Math.min(64, Math.ceil(y1 * 64)); y++) {
          for (let x = Math.max(0, Math.floor(x0 * 64)); x < Math.min(64, Math.ceil(x1 * 64)); x++) {
            for (let c = 0; c < 3; c++) sum[c] += rgba[(y * 64 + x) * 4 + c];
            n++;
          }
        }
        out.push(...sum.map((v) => v / Math.max(1, n)));
      }
      return out;
    };
    const persons = 40;
    const references = Array.from({ length: persons }, (_, p) => personFeature(p, 0));
    let correct = 0;
    let total = 0;
    for (let p = 0; p < persons; p++) {
      for (const eventId of [5, 21, 29, 37]) {
        if (nearest(personFeature(p, eventId), references) === p) correct++;
        total++;
      }
    }
    // chance is 1/40; identity colours should make most matches right
    expect(correct / total).toBeGreaterThan(0.7);
  });
});
