// Painters for built backdrops: street, room, hall, stage, store, platform, terminal, cabin.
// Walls take the palette's sky colour, far walls/facades its horizon colour, floors its ground
// colour. Scenery only: windows, shelves, screens etc. are SceneObjects drawn separately.

import type { BackdropContext } from './backdrops.ts';
import { band, depthLines, fanLines, ground, sky } from './backdrop-kit.ts';
import { darken, lighten, mix } from './colour.ts';
import { fillRect, fillRoundRect, strokeLine } from './shapes.ts';

export function paintStreet({ c, pal, horizon, jitter, rng }: BackdropContext): void {
  sky(c, pal.sky, horizon);
  // a row of facades with lit windows
  let x = -0.05 + jitter * 0.04;
  while (x < 1.05) {
    const w = rng.uniform(0.12, 0.22);
    const top = horizon - rng.uniform(0.22, 0.4);
    const facade = mix(pal.horizon, rng.chance(0.5) ? [255, 255, 255] : [0, 0, 0], rng.uniform(0, 0.18));
    fillRect(c, x, top, x + w - 0.006, horizon, facade);
    for (let wy = top + 0.03; wy < horizon - 0.05; wy += 0.055) {
      for (let wx = x + 0.02; wx < x + w - 0.04; wx += 0.045) {
        fillRect(c, wx, wy, wx + 0.022, wy + 0.03, lighten(pal.accent, 0.35), 0.85);
      }
    }
    x += w;
  }
  ground(c, pal.ground, horizon);
  depthLines(c, horizon, 5, 0.003, darken(pal.ground, 0.25), 0.6);
  fillRect(c, 0, horizon, 1, horizon + 0.012, darken(pal.ground, 0.35));
}

export function paintRoom({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, lighten(pal.sky, 0.08), darken(pal.sky, 0.08));
  fillRect(c, 0, horizon - 0.16, 1, horizon, mix(pal.sky, pal.horizon, 0.6));
  fillRect(c, 0, horizon - 0.165, 1, horizon - 0.155, darken(pal.horizon, 0.2));
  ground(c, pal.ground, horizon);
  fanLines(c, 0.5 + jitter * 0.2, horizon - 0.2, horizon, 12, 3.2, 0.004, darken(pal.ground, 0.22), 0.7);
  fillRect(c, 0, horizon - 0.004, 1, horizon + 0.01, darken(pal.horizon, 0.35));
}

export function paintHall({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, darken(pal.sky, 0.12), lighten(pal.sky, 0.1));
  const column = mix(pal.horizon, pal.sky, 0.3);
  for (let k = 0; k < 5; k++) {
    const x = (k + 0.1 + jitter * 0.1) / 4.5;
    fillRect(c, x - 0.035, 0, x + 0.035, horizon, column);
    fillRect(c, x - 0.045, 0.04, x + 0.045, 0.065, darken(column, 0.15));
    fillRect(c, x - 0.012, 0, x - 0.004, horizon, lighten(column, 0.2));
  }
  fillRect(c, 0, 0, 1, 0.04, darken(pal.horizon, 0.25));
  ground(c, pal.ground, horizon, lighten(pal.ground, 0.25));
  depthLines(c, horizon, 6, 0.003, darken(pal.ground, 0.18), 0.6);
}

export function paintStage({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, darken(pal.sky, 0.2), pal.sky);
  // curtains at both sides, with folds, and a valance on top
  const curtain = pal.accent;
  for (const side of [0, 1]) {
    const x0 = side === 0 ? 0 : 0.86 + jitter * 0.02;
    const x1 = side === 0 ? 0.14 + jitter * 0.02 : 1;
    fillRect(c, x0, 0, x1, horizon, curtain);
    for (let fx = x0 + 0.02; fx < x1; fx += 0.035) {
      strokeLine(c, fx, 0.06, fx, horizon, 0.008, darken(curtain, 0.3), 0.8);
    }
  }
  fillRect(c, 0, 0, 1, 0.07, darken(curtain, 0.1));
  band(c, horizon, 1, lighten(pal.ground, 0.1), darken(pal.ground, 0.3));
  depthLines(c, horizon, 5, 0.003, darken(pal.ground, 0.3), 0.6);
  fillRect(c, 0, horizon, 1, horizon + 0.01, lighten(pal.ground, 0.35));
}

export function paintStore({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, lighten(pal.sky, 0.15), pal.sky);
  fillRect(c, 0, horizon - 0.26, 1, horizon - 0.2, pal.accent);
  for (let k = 0; k < 4; k++) {
    const x = 0.08 + k * 0.26 + jitter * 0.03;
    fillRoundRect(c, x, 0.03, x + 0.16, 0.05, 0.01, [252, 252, 240]);
  }
  ground(c, pal.ground, horizon, lighten(pal.ground, 0.2));
  fanLines(c, 0.5 + jitter * 0.15, horizon - 0.25, horizon, 8, 2.6, 0.003, darken(pal.ground, 0.18), 0.7);
  depthLines(c, horizon, 5, 0.003, darken(pal.ground, 0.18), 0.7);
}

export function paintPlatform({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, lighten(pal.sky, 0.1), pal.sky);
  // canopy roof with posts
  fillRect(c, 0, 0, 1, 0.09, pal.horizon);
  fillRect(c, 0, 0.09, 1, 0.1, darken(pal.horizon, 0.3));
  for (let k = 0; k < 3; k++) {
    const x = 0.15 + k * 0.35 + jitter * 0.03;
    fillRect(c, x - 0.012, 0.09, x + 0.012, horizon, darken(pal.horizon, 0.15));
  }
  // track bed, then the platform edge with its safety line
  const edge = horizon + 0.06;
  fillRect(c, 0, horizon, 1, edge, [70, 64, 60]);
  strokeLine(c, 0, horizon + 0.02, 1, horizon + 0.02, 0.005, [170, 170, 176]);
  strokeLine(c, 0, horizon + 0.045, 1, horizon + 0.045, 0.006, [170, 170, 176]);
  ground(c, pal.ground, edge);
  fillRect(c, 0, edge, 1, edge + 0.02, pal.accent);
  depthLines(c, edge + 0.02, 4, 0.003, darken(pal.ground, 0.2), 0.6);
}

export function paintTerminal({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, darken(pal.sky, 0.05), pal.sky);
  // tall glazing showing the outside, with mullions
  const y0 = 0.08;
  const y1 = horizon - 0.06;
  fillRect(c, 0, y0, 1, y1, { kind: 'vgrad', y0, y1, top: [150, 196, 236], bottom: [214, 230, 240] });
  for (let k = 0; k <= 6; k++) {
    const x = (k + jitter * 0.3) / 6;
    fillRect(c, x - 0.006, y0, x + 0.006, y1, pal.horizon);
  }
  fillRect(c, 0, y0 - 0.008, 1, y0 + 0.004, pal.horizon);
  fillRect(c, 0, (y0 + y1) / 2 - 0.004, 1, (y0 + y1) / 2 + 0.004, pal.horizon);
  fillRect(c, 0, y1 - 0.004, 1, y1 + 0.01, pal.horizon);
  band(c, horizon, 1, lighten(pal.ground, 0.3), darken(pal.ground, 0.1));
  fillRect(c, 0, horizon + 0.03, 1, horizon + 0.07, lighten(pal.ground, 0.45), 0.5);
  fillRect(c, 0, horizon - 0.004, 1, horizon + 0.008, pal.accent);
}

export function paintCabin({ c, pal, horizon, jitter }: BackdropContext): void {
  band(c, 0, horizon, lighten(pal.sky, 0.05), darken(pal.sky, 0.12));
  for (let y = 0.03 + jitter * 0.01; y < horizon; y += 0.055) {
    strokeLine(c, 0, y, 1, y, 0.006, darken(pal.sky, 0.35), 0.8);
    strokeLine(c, 0, y + 0.008, 1, y + 0.008, 0.003, lighten(pal.sky, 0.2), 0.5);
  }
  ground(c, pal.ground, horizon);
  fanLines(c, 0.5 + jitter * 0.2, horizon - 0.2, horizon, 10, 3, 0.004, darken(pal.ground, 0.3), 0.7);
  fillRect(c, 0, horizon - 0.004, 1, horizon + 0.012, darken(pal.sky, 0.45));
}
