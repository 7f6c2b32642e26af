// Public entry of the rasteriser: a SceneSpec (or a world + image key) to opaque RGBA bytes at any
// square size. Paints back to front: backdrop, sky/far objects, bystanders, ground objects, the
// person, then lighting. Same spec at 64 and 256 px gives the same picture.

import { makeSceneSpec } from '../scene.ts';
import type { ImageKey, SceneSpec, World } from '../types.ts';
import { paintBackdrop } from './backdrops.ts';
import { drawBystander } from './bystanders.ts';
import { Canvas } from './canvas.ts';
import { OBJECT_META } from './layout-meta.ts';
import { drawObject } from './objects.ts';
import { drawPerson } from './person.ts';

/** Draws the scene; `size` x `size` pixels, RGBA row-major, alpha always 255. */
export function renderScene(spec: SceneSpec, size: number): Uint8ClampedArray {
  const c = new Canvas(size);
  paintBackdrop(c, spec.event, spec.jitter);
  let bystandersDrawn = false;
  const drawBystanders = (): void => {
    if (bystandersDrawn) return;
    bystandersDrawn = true;
    for (const b of spec.bystanders) drawBystander(c, b);
  };
  for (const obj of spec.objects) {
    const layer = OBJECT_META[obj.kind].layer;
    if (layer === 'ground' || layer === 'tabletop') drawBystanders();
    drawObject(c, obj);
  }
  drawBystanders();
  drawPerson(c, spec.appearance, spec.pose);
  return c.toRgba(spec.light.gain, spec.light.warmth);
}

/** Plans and draws one image of the world. */
export function renderImage(world: World, key: ImageKey, size: number): Uint8ClampedArray {
  return renderScene(makeSceneSpec(world, key), size);
}
