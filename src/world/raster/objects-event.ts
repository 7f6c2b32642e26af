// Painters for event gear: spotlights, microphones, stages, disco balls, podiums, balloons, banners
// and crowds. Fixed colours per kind; drawn in the object's box through an ObjectPen.

import type { Rgb } from '../types.ts';
import type { ObjectPen } from './object-pen.ts';
import { darken, lighten } from './colour.ts';

const BLACK: Rgb = [28, 28, 30];
const BALLOON_COLOURS: readonly Rgb[] = [[232, 52, 60], [250, 190, 40], [60, 130, 230], [236, 90, 170], [70, 180, 90]];
const CROWD_COLOURS: readonly Rgb[] = [
  [70, 76, 96], [110, 80, 70], [60, 96, 86], [130, 110, 90], [90, 70, 110], [50, 56, 70],
];

export function drawSpotlight(p: ObjectPen): void {
  p.glow([255, 248, 200], 0.3, 0.5, 0.7, 1.4, 3.2, -0.4, 3.2);
  p.line(0.06, BLACK, 0.5, 0, 0.5, 0.22);
  p.line(0.06, BLACK, 0.22, 0.22, 0.78, 0.22);
  p.round(0.18, 0.2, 0.82, 0.72, 0.12, [46, 46, 52]);
  p.ellipse(0.5, 0.74, 0.32, 0.1, [255, 244, 170]);
}

export function drawMicrophone(p: ObjectPen): void {
  const steel: Rgb = [150, 152, 162];
  p.ellipse(0.5, 0.96, 0.5, 0.04, steel);
  p.line(0.05, steel, 0.5, 0.96, 0.5, 0.22);
  p.line(0.07, BLACK, 0.5, 0.24, 0.62, 0.12);
  p.circle(0.66, 0.09, 0.1, [206, 208, 216]);
  p.circle(0.66, 0.09, 0.1, { kind: 'pattern', style: 'checked', base: [206, 208, 216], ink: [120, 122, 132], period: p.h * 0.05, ox: 0, oy: 0 });
}

export function drawStage(p: ObjectPen): void {
  const boards: Rgb = [150, 100, 60];
  p.rect(0, 0, 1, 0.3, lighten(boards, 0.15));
  p.rect(0, 0.3, 1, 1, [50, 34, 30]);
  p.rect(0, 0.3, 1, 0.36, darken(boards, 0.3));
  for (let k = 0; k < 6; k++) {
    const u = (k + 0.5) / 6;
    p.ellipse(u, 0.32, 0.03, 0.06, [255, 230, 120]);
  }
}

export function drawDiscoBall(p: ObjectPen): void {
  p.line(0.02, [90, 90, 96], 0.5, 0, 0.5, 0.3);
  p.circle(0.5, 0.62, 0.36, [140, 146, 160]);
  const x = p.X(0.5);
  const y = p.Y(0.62);
  p.circle(0.5, 0.62, 0.34, { kind: 'pattern', style: 'checked', base: [226, 230, 240], ink: [150, 160, 180], period: p.h * 0.16, ox: x, oy: y });
  p.circle(0.38, 0.5, 0.08, [255, 255, 255], 0.9);
  p.poly([255, 255, 220], 0.82, 0.3, 0.86, 0.4, 0.96, 0.44, 0.86, 0.48, 0.82, 0.58, 0.78, 0.48, 0.68, 0.44, 0.78, 0.4);
}

export function drawPodium(p: ObjectPen): void {
  const body: Rgb = [70, 52, 40];
  p.poly(body, 0.12, 0.18, 0.88, 0.18, 0.78, 1, 0.22, 1);
  p.poly(darken(body, 0.2), 0.02, 0.06, 0.98, 0.06, 0.92, 0.2, 0.08, 0.2);
  p.circle(0.5, 0.5, 0.12, [220, 180, 70]);
  p.circle(0.5, 0.5, 0.07, [40, 70, 140]);
}

export function drawBalloon(p: ObjectPen): void {
  const colour = BALLOON_COLOURS[Math.floor(p.obj.x * 997 + p.obj.y * 131) % BALLOON_COLOURS.length];
  p.line(0.012, [120, 120, 120], 0.5, 0.68, 0.42, 0.84, 0.56, 1);
  p.ellipse(0.5, 0.36, 0.48, 0.34, colour);
  p.poly(darken(colour, 0.2), 0.44, 0.74, 0.56, 0.74, 0.5, 0.68);
  p.ellipse(0.36, 0.24, 0.1, 0.08, lighten(colour, 0.55));
}

export function drawBanner(p: ObjectPen): void {
  const cloth: Rgb = [206, 40, 84];
  p.line(0.04, [90, 90, 96], 0, 0, 0.1, 0.12);
  p.line(0.04, [90, 90, 96], 1, 0, 0.9, 0.12);
  p.poly(cloth, 0.04, 0.12, 0.96, 0.12, 0.9, 0.56, 0.96, 1, 0.04, 1, 0.1, 0.56);
  p.rect(0.04, 0.12, 0.96, 0.22, darken(cloth, 0.2));
  for (let k = 0; k < 5; k++) {
    const u = 0.2 + k * 0.13;
    p.rect(u, 0.42, u + 0.09, 0.74, [252, 240, 220]);
  }
}

export function drawCrowd(p: ObjectPen): void {
  for (let row = 0; row < 2; row++) {
    const count = 7 - row;
    for (let k = 0; k < count; k++) {
      const u = (k + 0.5 + row * 0.5) / 7;
      const colour = CROWD_COLOURS[(k * 5 + row * 2) % CROWD_COLOURS.length];
      const headV = row === 0 ? 0.2 : 0.42;
      p.round(u - 0.062, headV + 0.18, u + 0.062, 1.05, 0.2, colour);
      p.circle(u, headV + 0.08, 0.14, darken(colour, 0.25));
    }
  }
}
