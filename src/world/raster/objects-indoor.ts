// Painters for indoor objects: furniture, tableware, books and shelves, wall pieces, gym and
// shopping gear. Fixed colours per kind; drawn in the object's box through an ObjectPen.

import type { Rgb } from '../types.ts';
import type { ObjectPen } from './object-pen.ts';
import { darken, lighten } from './colour.ts';
import { ring } from './trig.ts';

const BLACK: Rgb = [28, 28, 30];
const WHITE: Rgb = [248, 248, 244];
const BOOK_COLOURS: readonly Rgb[] = [
  [190, 50, 50], [50, 90, 170], [60, 140, 80], [220, 170, 50], [120, 70, 140], [230, 120, 40], [40, 130, 140],
];

export function drawTable(p: ObjectPen): void {
  const wood: Rgb = [176, 114, 62];
  const cloth: Rgb = [238, 232, 216];
  p.rect(0.1, 0.3, 0.2, 1, darken(wood, 0.3));
  p.rect(0.8, 0.3, 0.9, 1, darken(wood, 0.3));
  p.rect(0, 0, 1, 0.12, wood);
  p.poly(cloth, 0, 0.1, 1, 0.1, 1, 0.5, 0.5, 0.56, 0, 0.5);
  p.rect(0, 0.4, 1, 0.46, [200, 60, 60]);
}

export function drawChair(p: ObjectPen): void {
  const frame: Rgb = [146, 58, 42];
  p.rect(0.08, 0, 0.26, 1, darken(frame, 0.15));
  p.rect(0.08, 0.04, 0.92, 0.46, lighten(frame, 0.1));
  p.rect(0.74, 0.5, 0.92, 1, darken(frame, 0.25));
  p.rect(0.04, 0.48, 0.96, 0.64, lighten(frame, 0.25));
}

export function drawPlate(p: ObjectPen): void {
  p.ellipse(0.5, 0.6, 0.5, 0.4, [200, 200, 204]);
  p.ellipse(0.5, 0.55, 0.46, 0.34, WHITE);
  p.ellipse(0.38, 0.45, 0.14, 0.28, [90, 160, 60]);
  p.ellipse(0.6, 0.42, 0.16, 0.3, [220, 120, 50]);
}

export function drawCup(p: ObjectPen): void {
  p.ring(0.8, 0.5, 0.16, 0.08, WHITE);
  p.round(0.06, 0.14, 0.76, 1, 0.1, WHITE);
  p.ellipse(0.41, 0.17, 0.3, 0.05, [110, 66, 40]);
  p.rect(0.06, 0.5, 0.76, 0.62, [206, 60, 60]);
}

export function drawLaptop(p: ObjectPen): void {
  p.round(0.12, 0, 0.88, 0.78, 0.05, [60, 62, 70]);
  p.rect(0.16, 0.06, 0.84, 0.72, { kind: 'vgrad', y0: p.Y(0.06), y1: p.Y(0.72), top: [120, 190, 240], bottom: [50, 110, 200] });
  p.poly([196, 198, 206], 0.1, 0.8, 0.9, 0.8, 1, 1, 0, 1);
}

export function drawBook(p: ObjectPen): void {
  const cover: Rgb = [52, 84, 176];
  p.rect(0.12, 0.04, 0.94, 1, [240, 236, 220]);
  p.rect(0.06, 0, 0.86, 0.98, cover);
  p.rect(0.06, 0, 0.18, 0.98, darken(cover, 0.3));
  p.rect(0.28, 0.22, 0.76, 0.34, [236, 200, 80]);
}

export function drawBookshelf(p: ObjectPen): void {
  const wood: Rgb = [110, 70, 40];
  p.rect(0, 0, 1, 1, darken(wood, 0.25));
  const rows = 4;
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const top = 0.05 + r * 0.235;
    const bottom = top + 0.2;
    for (let u = 0.07; u < 0.9; ) {
      const width = 0.06 + ((k * 37) % 5) * 0.012;
      const height = 0.13 + ((k * 53) % 4) * 0.018;
      p.rect(u, bottom - height, Math.min(0.93, u + width), bottom, BOOK_COLOURS[k % BOOK_COLOURS.length]);
      u += width + 0.012;
      k++;
    }
    p.rect(0, bottom, 1, bottom + 0.035, wood);
  }
  p.rect(0, 0, 0.06, 1, wood);
  p.rect(0.94, 0, 1, 1, wood);
  p.rect(0, 0, 1, 0.04, wood);
}

export function drawPainting(p: ObjectPen): void {
  p.rect(0, 0, 1, 1, [196, 154, 60]);
  p.rect(0.08, 0.1, 0.92, 0.9, { kind: 'vgrad', y0: p.Y(0.1), y1: p.Y(0.6), top: [120, 170, 220], bottom: [230, 200, 150] });
  p.poly([70, 130, 80], 0.08, 0.9, 0.08, 0.62, 0.4, 0.45, 0.7, 0.64, 0.92, 0.55, 0.92, 0.9);
  p.circle(0.7, 0.32, 0.09, [250, 220, 80]);
}

export function drawSculpture(p: ObjectPen): void {
  const marble: Rgb = [224, 220, 210];
  p.rect(0.15, 0.66, 0.85, 1, darken(marble, 0.15));
  p.rect(0.1, 0.62, 0.9, 0.68, darken(marble, 0.25));
  p.poly(marble, 0.2, 0.62, 0.3, 0.38, 0.7, 0.38, 0.8, 0.62);
  p.rect(0.42, 0.28, 0.58, 0.4, marble);
  p.ellipse(0.5, 0.19, 0.22, 0.11, marble);
  p.ellipse(0.42, 0.2, 0.05, 0.04, darken(marble, 0.2));
}

export function drawDesk(p: ObjectPen): void {
  const wood: Rgb = [104, 76, 58];
  p.rect(0.04, 0.12, 0.36, 1, darken(wood, 0.15));
  for (const v of [0.3, 0.55, 0.8]) p.rect(0.17, v, 0.23, v + 0.05, [210, 200, 180]);
  p.rect(0.88, 0.12, 0.94, 1, darken(wood, 0.3));
  p.rect(0, 0, 1, 0.14, wood);
}

export function drawShelf(p: ObjectPen): void {
  const metal: Rgb = [150, 156, 166];
  p.rect(0, 0, 1, 1, [214, 218, 224]);
  let k = 0;
  for (let r = 0; r < 4; r++) {
    const bottom = 0.22 + r * 0.25;
    for (let u = 0.04; u < 0.94; u += 0.12) {
      const c = BOOK_COLOURS[(k * 3) % BOOK_COLOURS.length];
      p.round(u, bottom - 0.16 + (k % 2) * 0.03, u + 0.1, bottom, 0.02, lighten(c, 0.1));
      k++;
    }
    p.rect(0, bottom, 1, bottom + 0.03, metal);
  }
  p.rect(0, 0, 0.03, 1, metal);
  p.rect(0.97, 0, 1, 1, metal);
}

export function drawCart(p: ObjectPen): void {
  const wire: Rgb = [176, 180, 190];
  p.poly([214, 52, 52], 0.1, 0.12, 0.9, 0.12, 0.78, 0.62, 0.2, 0.62);
  p.line(0.04, wire, 0.1, 0.12, 0.9, 0.12, 0.78, 0.62, 0.2, 0.62, 0.1, 0.12);
  for (let k = 1; k < 5; k++) p.line(0.02, wire, 0.1 + k * 0.16, 0.12, 0.2 + k * 0.116, 0.62);
  p.line(0.02, wire, 0.14, 0.3, 0.86, 0.3);
  p.line(0.02, wire, 0.17, 0.46, 0.82, 0.46);
  p.line(0.045, wire, 0.2, 0.62, 0.24, 0.86, 0.8, 0.86);
  p.line(0.06, [60, 60, 66], 0.9, 0.12, 1, 0.02);
  p.circle(0.26, 0.93, 0.06, BLACK);
  p.circle(0.76, 0.93, 0.06, BLACK);
}

export function drawDumbbell(p: ObjectPen): void {
  p.rect(0.2, 0.38, 0.8, 0.62, [196, 200, 208]);
  for (const u of [0.04, 0.2, 0.66, 0.82]) p.round(u, 0.0, u + 0.14, 1, 0.12, [214, 60, 50]);
}

export function drawFireplace(p: ObjectPen): void {
  const brick: Rgb = [150, 66, 48];
  p.rect(0, 0.12, 1, 1, brick);
  for (let v = 0.2; v < 1; v += 0.12) p.rect(0, v, 1, v + 0.015, darken(brick, 0.3));
  p.rect(-0.04, 0.06, 1.04, 0.16, [96, 64, 44]);
  p.round(0.2, 0.36, 0.8, 1, 0.15, [30, 22, 20]);
  p.poly([244, 120, 30], 0.28, 1, 0.36, 0.62, 0.46, 0.78, 0.52, 0.5, 0.62, 0.74, 0.7, 0.6, 0.72, 1);
  p.poly([255, 214, 70], 0.38, 1, 0.44, 0.8, 0.52, 0.7, 0.6, 0.84, 0.62, 1);
}

export function drawWindow(p: ObjectPen): void {
  p.rect(0, 0, 1, 1, [246, 244, 236]);
  p.rect(0.08, 0.06, 0.92, 0.94, { kind: 'vgrad', y0: p.Y(0.06), y1: p.Y(0.94), top: [120, 180, 235], bottom: [200, 228, 246] });
  p.rect(0.46, 0.06, 0.54, 0.94, [246, 244, 236]);
  p.rect(0.08, 0.46, 0.92, 0.53, [246, 244, 236]);
}

export function drawClock(p: ObjectPen): void {
  p.circle(0.5, 0.5, 0.5, [40, 40, 46]);
  p.circle(0.5, 0.5, 0.42, WHITE);
  const ticks = ring(0.5, 0.5, 0.34, 0.34, 12);
  for (let k = 0; k < 12; k++) p.circle(ticks[2 * k], ticks[2 * k + 1], 0.03, BLACK);
  p.line(0.06, BLACK, 0.5, 0.5, 0.5, 0.22);
  p.line(0.05, BLACK, 0.5, 0.5, 0.7, 0.58);
  p.circle(0.5, 0.5, 0.05, [200, 40, 40]);
}

export function drawScreen(p: ObjectPen): void {
  p.rect(0, 0, 1, 1, [36, 38, 44]);
  p.rect(0.04, 0.06, 0.96, 0.94, { kind: 'vgrad', y0: p.Y(0.06), y1: p.Y(0.94), top: [236, 244, 252], bottom: [190, 214, 240] });
  const bars: readonly Rgb[] = [[60, 120, 210], [230, 120, 50], [70, 170, 90], [200, 60, 80]];
  for (let k = 0; k < 4; k++) {
    const u = 0.14 + k * 0.2;
    p.rect(u, 0.8 - 0.14 * (k + 1), u + 0.12, 0.82, bars[k]);
  }
}
