// Painters for the open-air backdrops: field, park, beach, lake, mountains, snow, night, road.
// Each paints the whole frame from the event palette (sky, horizon band, ground, accent) and the
// image's horizon/jitter. They draw only scenery, never a SceneObjectKind (objects are separate).

import type { Canvas } from './canvas.ts';
import type { BackdropContext } from './backdrops.ts';
import { band, fanLines, ground, haze, hills, sky, treeLine } from './backdrop-kit.ts';
import { darken, lighten, mix } from './colour.ts';
import { fillCircle, fillPolygon, fillRect, strokeLine } from './shapes.ts';

export function paintField({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  sky(c, pal.sky, horizon);
  hills(c, horizon, 0.07, haze(pal.horizon, pal.sky, 0.35), rng, 5, jitter * 0.05);
  ground(c, pal.ground, horizon);
  const furrow = mix(pal.ground, pal.accent, 0.55);
  const vx = 0.5 + jitter * 0.2;
  fanLines(c, vx, horizon - 0.02, horizon + 0.01, 10, 2.6, 0.012, furrow, 0.7);
}

export function paintPark({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  sky(c, pal.sky, horizon);
  treeLine(c, horizon, 0.06, pal.horizon, rng, jitter);
  ground(c, pal.ground, horizon);
  // a winding path towards the horizon
  const vx = 0.5 + jitter * 0.25;
  const path = mix(pal.ground, pal.accent, 0.55);
  fillPolygon(c, [vx - 0.015, horizon, vx + 0.015, horizon, 0.78 + jitter * 0.1, 1, 0.22 + jitter * 0.1, 1], path);
}

export function paintBeach({ c, pal, horizon, jitter }: BackdropContext): void {
  sky(c, pal.sky, horizon, 0.45);
  const shore = horizon + 0.13 + jitter * 0.02;
  band(c, horizon, shore, darken(pal.horizon, 0.1), lighten(pal.horizon, 0.25));
  for (let k = 1; k <= 3; k++) {
    const y = horizon + (shore - horizon) * (k / 4);
    strokeLine(c, 0, y, 1, y, 0.004 * k, lighten(pal.horizon, 0.45), 0.6);
  }
  ground(c, pal.ground, shore, darken(pal.ground, 0.08));
  strokeLine(c, 0, shore, 1, shore + 0.01, 0.012, [250, 250, 246], 0.9);
}

/** Lake: far shore in the horizon colour, open water in the ground colour, a grassy near bank. */
export function paintLake({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  sky(c, pal.sky, horizon);
  hills(c, horizon, 0.08, pal.horizon, rng, 6, jitter * 0.04);
  band(c, horizon, 1, lighten(pal.ground, 0.2), darken(pal.ground, 0.12));
  for (let k = 0; k < 7; k++) {
    const y = horizon + 0.025 + k * 0.045;
    const x = rng.uniform(0.02, 0.8);
    strokeLine(c, x, y, x + rng.uniform(0.08, 0.2), y, 0.006, lighten(pal.ground, 0.45), 0.7);
  }
  const bank = 0.9 + jitter * 0.02;
  fillPolygon(c, [0, bank - 0.03, 0.5, bank, 1, bank - 0.02, 1, 1.01, 0, 1.01], darken(pal.horizon, 0.1));
}

function ridge(c: Canvas, base: number, height: number, peaks: number, colour: readonly [number, number, number], rng: BackdropContext['rng'], shift: number): void {
  const pts: number[] = [-0.05, base + 0.02];
  for (let k = 0; k <= peaks * 2; k++) {
    const x = -0.05 + (1.1 * k) / (peaks * 2) + shift;
    const up = k % 2 === 1 ? height * rng.uniform(0.65, 1) : height * rng.uniform(0.1, 0.35);
    pts.push(x, base - up);
  }
  pts.push(1.05 + shift, base + 0.02);
  fillPolygon(c, pts, colour);
}

export function paintMountains({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  sky(c, pal.sky, horizon, 0.4);
  ridge(c, horizon, 0.2, 3, haze(pal.horizon, pal.sky, 0.5), rng, jitter * 0.05);
  ridge(c, horizon + 0.01, 0.11, 4, pal.horizon, rng, -jitter * 0.04);
  ground(c, pal.ground, horizon);
  const vx = 0.45 + jitter * 0.2;
  fillPolygon(c, [vx, horizon + 0.01, vx + 0.02, horizon + 0.01, 0.62 + jitter * 0.1, 1, 0.36 + jitter * 0.1, 1], pal.accent);
}

export function paintSnow({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  sky(c, pal.sky, horizon, 0.5);
  hills(c, horizon, 0.08, haze(pal.horizon, pal.sky, 0.25), rng, 5, jitter * 0.05);
  ground(c, pal.ground, horizon, lighten(pal.ground, 0.2));
  const shadow = mix(mix(pal.ground, [150, 172, 214], 0.4), pal.accent, 0.1);
  for (let k = 0; k < 4; k++) {
    const y = horizon + 0.08 + k * 0.1;
    fillPolygon(c, [0, y, 0.5 + jitter * 0.2, y - 0.03, 1, y + 0.02, 1, y + 0.035, 0, y + 0.025], shadow);
  }
}

export function paintNight({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  band(c, 0, horizon, pal.sky, mix(pal.sky, pal.horizon, 0.45));
  for (let k = 0; k < 28; k++) {
    fillCircle(c, rng.next(), rng.next() * (horizon - 0.05), rng.uniform(0.002, 0.0045), [236, 236, 255], rng.uniform(0.5, 1));
  }
  hills(c, horizon, 0.09, pal.horizon, rng, 5, jitter * 0.05);
  ground(c, pal.ground, horizon, lighten(pal.ground, 0.06));
  fillRect(c, 0, horizon, 1, horizon + 0.004, pal.accent, 0.5);
}

export function paintRoad({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  band(c, 0, horizon, darken(pal.sky, 0.05), mix(pal.sky, pal.accent, 0.45));
  hills(c, horizon, 0.06, pal.horizon, rng, 5, jitter * 0.05);
  ground(c, pal.ground, horizon);
  const vx = 0.5 + jitter * 0.15;
  const asphalt: readonly [number, number, number] = [74, 74, 80];
  fillPolygon(c, [vx - 0.01, horizon, vx + 0.01, horizon, 1.05, 1, -0.05, 1], asphalt);
  for (let k = 0; k < 5; k++) {
    const t0 = (k + 0.15) / 5;
    const t1 = (k + 0.55) / 5;
    const y0 = horizon + (1 - horizon) * t0 * t0;
    const y1 = horizon + (1 - horizon) * t1 * t1;
    strokeLine(c, vx + (0.5 - vx) * t0 * t0, y0, vx + (0.5 - vx) * t1 * t1, y1, 0.004 + 0.012 * t1, [240, 210, 70]);
  }
}
