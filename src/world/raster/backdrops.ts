// The registry of backdrop painters, one per Backdrop kind, and the context they receive.
// The painters live in backdrops-outdoor.ts and backdrops-built.ts.

import { Rng } from '../../core/rng.ts';
import type { Backdrop, EventDef } from '../types.ts';
import type { Canvas } from './canvas.ts';
import { horizonOf } from './layout-meta.ts';
import {
  paintCabin, paintHall, paintPlatform, paintRoom, paintStage, paintStore, paintStreet, paintTerminal,
} from './backdrops-built.ts';
import {
  paintBeach, paintField, paintLake, paintMountains, paintNight, paintPark, paintRoad, paintSnow,
} from './backdrops-outdoor.ts';

export interface BackdropContext {
  c: Canvas;
  pal: EventDef['palette'];
  /** Ground/floor line of this image. */
  horizon: number;
  /** Per-image variation, -1..1. */
  jitter: number;
  /** Fixed per event, so an event's scenery keeps its shape from image to image. */
  rng: Rng;
}

export const BACKDROP_PAINTERS: Record<Backdrop, (ctx: BackdropContext) => void> = {
  field: paintField, park: paintPark, beach: paintBeach, lake: paintLake, mountains: paintMountains,
  snow: paintSnow, night: paintNight, road: paintRoad, street: paintStreet, room: paintRoom,
  hall: paintHall, stage: paintStage, store: paintStore, platform: paintPlatform,
  terminal: paintTerminal, cabin: paintCabin,
};

export function paintBackdrop(c: Canvas, event: EventDef, jitter: number): void {
  const painter = BACKDROP_PAINTERS[event.backdrop];
  if (!painter) throw new Error(`no painter for backdrop "${event.backdrop}" (event ${event.id}): add one to raster/backdrops.ts`);
  painter({
    c,
    pal: event.palette,
    horizon: horizonOf(event.backdrop, jitter),
    jitter,
    rng: new Rng(event.id, `backdrop/${event.name}`),
  });
}
