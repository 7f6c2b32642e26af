// Hair (style and colour) and headwear. Hair is drawn in two passes: the back pass before the body
// and face (long hair, curls, bun, ponytail), the front pass over the forehead (fringe, spikes, side
// locks). Headwear colours are fixed per style so they never answer a clothing-colour question.

import { COLOURS, type Appearance, type Rgb } from '../types.ts';
import { darken, lighten } from './colour.ts';
import { faceHalfWidth } from './person-head.ts';
import type { PersonPen } from './person-pen.ts';
import { fillEllipse } from './shapes.ts';
import { ring } from './trig.ts';

export function drawHairBack(p: PersonPen, a: Appearance): void {
  const hair = COLOURS[a.hairColour];
  const rx = faceHalfWidth(a.faceShape);
  switch (a.hairStyle) {
    case 'long':
      p.headRound(-rx - 0.14, -0.06, rx + 0.14, 1.85, 0.45, darken(hair, 0.12));
      break;
    case 'curly': {
      const curls = ring(0, 0.5, rx + 0.1, 0.6, 18, 0.5);
      for (let k = 0; k < 18; k++) {
        if (curls[2 * k + 1] > 0.95) continue;
        p.headEllipse(curls[2 * k], curls[2 * k + 1], 0.19, 0.19, k % 2 ? hair : darken(hair, 0.12));
      }
      break;
    }
    case 'bun':
      // a top knot, or a low bun at the nape when a hat would hide it
      if (a.headwear === 'none' || a.headwear === 'headband') p.headEllipse(0, -0.1, 0.22, 0.2, darken(hair, 0.08));
      else p.headEllipse(rx - 0.04, 1.0, 0.18, 0.16, darken(hair, 0.08));
      break;
    case 'ponytail':
      p.headPoly(darken(hair, 0.1), rx * 0.5, 0.1, rx + 0.3, 0.35, rx + 0.34, 1.0, rx + 0.18, 1.3, rx + 0.06, 0.7);
      p.headEllipse(rx + 0.14, 0.3, 0.08, 0.08, [220, 60, 90]);
      break;
    default:
      break;
  }
}

export function drawHairFront(p: PersonPen, a: Appearance): void {
  const hair = COLOURS[a.hairColour];
  const rx = faceHalfWidth(a.faceShape);
  if (a.hairStyle === 'bald') {
    p.headEllipse(-0.12, 0.12, 0.12, 0.05, [255, 255, 255], 0.18);
    return;
  }
  // the fringe cap: the top of a slightly larger head, cut at the hairline
  const c = p.c;
  const hairline = a.hairStyle === 'curly' ? 0.2 : 0.27;
  c.clip = { x0: 0, y0: 0, x1: 1, y1: p.y(hairline) };
  fillEllipse(c, p.hx(0), p.y(0.46), p.len(rx + 0.06), p.len(0.52), hair);
  c.clip = null;
  if (a.hairStyle !== 'curly') {
    for (const s of [-1, 1]) p.headPoly(hair, s * (rx + 0.03), 0.2, s * (rx + 0.03), 0.5, s * (rx - 0.05), 0.44, s * (rx - 0.07), 0.22);
  }
  switch (a.hairStyle) {
    case 'long':
      // tapering locks falling over the shoulders
      for (const s of [-1, 1]) {
        p.headPoly(hair, s * (rx - 0.08), 0.22, s * (rx + 0.15), 0.2, s * (rx + 0.22), 1.2, s * (rx + 0.12), 1.68,
          s * (rx + 0.02), 1.5, s * (rx - 0.04), 0.9);
      }
      break;
    case 'curly':
      for (let k = 0; k <= 6; k++) {
        const u = -rx * 0.85 + (k * rx * 1.7) / 6;
        p.headEllipse(u, k % 2 ? 0.14 : 0.2, 0.12, 0.12, k % 2 ? darken(hair, 0.1) : hair);
      }
      break;
    case 'spiky':
      for (let k = 0; k < 6; k++) {
        const u = -rx * 0.8 + (k * rx * 1.6) / 5;
        p.headPoly(hair, u - 0.12, 0.14, u + 0.02 * (k - 2.5), -0.24, u + 0.12, 0.14);
      }
      break;
    default:
      break;
  }
}

const HAT = {
  cap: [204, 50, 50] as Rgb,
  beanie: [52, 128, 110] as Rgb,
  fedora: [84, 70, 58] as Rgb,
  headband: [246, 196, 36] as Rgb,
  beret: [140, 28, 62] as Rgb,
};

export function drawHeadwear(p: PersonPen, a: Appearance): void {
  const rx = faceHalfWidth(a.faceShape);
  switch (a.headwear) {
    case 'cap':
      p.c.clip = { x0: 0, y0: 0, x1: 1, y1: p.y(0.3) };
      fillEllipse(p.c, p.hx(0), p.y(0.36), p.len(rx + 0.07), p.len(0.5), HAT.cap);
      p.c.clip = null;
      p.headEllipse(0.12, 0.3, rx + 0.2, 0.07, darken(HAT.cap, 0.25));
      p.headEllipse(0, -0.1, 0.05, 0.04, darken(HAT.cap, 0.3));
      break;
    case 'beanie':
      p.c.clip = { x0: 0, y0: 0, x1: 1, y1: p.y(0.28) };
      fillEllipse(p.c, p.hx(0), p.y(0.4), p.len(rx + 0.08), p.len(0.58), HAT.beanie);
      p.c.clip = null;
      p.headRound(-rx - 0.09, 0.16, rx + 0.09, 0.34, 0.06, darken(HAT.beanie, 0.18));
      p.headEllipse(0, -0.2, 0.11, 0.11, lighten(HAT.beanie, 0.4));
      break;
    case 'fedora':
      p.headPoly(HAT.fedora, -0.34, 0.2, -0.3, -0.2, -0.1, -0.28, 0, -0.2, 0.1, -0.28, 0.3, -0.2, 0.34, 0.2);
      p.headRound(-0.34, 0.06, 0.34, 0.16, 0.01, [40, 32, 28]);
      p.headEllipse(0, 0.2, rx + 0.32, 0.075, darken(HAT.fedora, 0.15));
      break;
    case 'headband':
      p.headRound(-rx - 0.05, 0.12, rx + 0.05, 0.32, 0.06, HAT.headband);
      break;
    case 'beret':
      p.headEllipse(0.1, 0.05, rx + 0.14, 0.17, HAT.beret);
      p.headEllipse(0.1, 0.12, rx + 0.02, 0.05, darken(HAT.beret, 0.25));
      p.headLine(0.04, HAT.beret, 0.1, -0.1, 0.14, -0.18);
      break;
    default:
      break;
  }
}
