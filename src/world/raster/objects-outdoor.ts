// Painters for man-made outdoor objects: vehicles, buildings, camping and viewing gear, street
// furniture. Fixed colours per kind; drawn in the object's box through an ObjectPen.

import type { Rgb } from '../types.ts';
import type { ObjectPen } from './object-pen.ts';
import { darken, lighten } from './colour.ts';
import { arc } from './trig.ts';

const BLACK: Rgb = [28, 28, 30];
const GLASS: Rgb = [170, 210, 236];
const WOOD: Rgb = [140, 92, 50];

function wheel(p: ObjectPen, u: number, v: number, r: number): void {
  p.circle(u, v, r, BLACK);
  p.circle(u, v, r * 0.45, [170, 170, 178]);
}

export function drawUmbrella(p: ObjectPen): void {
  p.line(0.035, [90, 90, 96], 0.5, 0.2, 0.56, 1);
  const canopy = arc(0.5, 0.42, 0.5, 0.4, 0.5, 1, 14);
  p.poly([228, 58, 58], ...canopy);
  for (let k = 1; k < 6; k += 2) {
    const a = k / 6;
    const b = (k + 1) / 6;
    p.poly([250, 246, 236], 0.5, 0.03, a, 0.42, b, 0.42);
  }
  for (let k = 0; k < 6; k++) p.ellipse((k + 0.5) / 6, 0.42, 1 / 12, 0.035, k % 2 ? [250, 246, 236] : [228, 58, 58]);
}

export function drawBoat(p: ObjectPen): void {
  p.line(0.035, [90, 70, 50], 0.45, 0.0, 0.45, 0.62);
  p.poly([250, 250, 246], 0.47, 0.04, 0.8, 0.56, 0.47, 0.56);
  p.poly([240, 240, 232], 0.43, 0.12, 0.43, 0.56, 0.2, 0.56);
  p.poly([176, 52, 40], 0, 0.6, 1, 0.6, 0.84, 1, 0.12, 1);
  p.rect(0.04, 0.62, 0.96, 0.68, [250, 250, 246]);
}

export function drawFishingRod(p: ObjectPen): void {
  p.line(0.006, [230, 230, 236], 0.96, 0.03, 0.96, 0.84);
  p.line(0.03, [60, 44, 30], 0.06, 1, 0.96, 0.02);
  p.circle(0.2, 0.83, 0.045, [160, 160, 170]);
  p.circle(0.96, 0.86, 0.03, [230, 40, 40]);
  p.circle(0.96, 0.89, 0.02, [250, 250, 250]);
}

export function drawCar(p: ObjectPen): void {
  const paint: Rgb = [38, 118, 196];
  p.poly(paint, 0.24, 0.45, 0.34, 0.08, 0.68, 0.08, 0.8, 0.45);
  p.poly(GLASS, 0.3, 0.42, 0.37, 0.16, 0.5, 0.16, 0.5, 0.42);
  p.poly(GLASS, 0.54, 0.42, 0.54, 0.16, 0.65, 0.16, 0.74, 0.42);
  p.round(0, 0.4, 1, 0.82, 0.15, paint);
  p.rect(0.02, 0.6, 0.98, 0.64, darken(paint, 0.3));
  p.round(0.92, 0.48, 1, 0.56, 0.03, [255, 232, 120]);
  wheel(p, 0.22, 0.82, 0.18);
  wheel(p, 0.78, 0.82, 0.18);
}

export function drawBicycle(p: ObjectPen): void {
  const frame: Rgb = [214, 40, 60];
  const r = 0.3;
  p.ring(0.19, 0.68, r, 0.05, BLACK);
  p.ring(0.81, 0.68, r, 0.05, BLACK);
  p.line(0.05, frame, 0.19, 0.68, 0.42, 0.68, 0.34, 0.3, 0.19, 0.68);
  p.line(0.05, frame, 0.42, 0.68, 0.72, 0.3, 0.34, 0.3);
  p.line(0.05, frame, 0.81, 0.68, 0.72, 0.2);
  p.line(0.045, BLACK, 0.66, 0.18, 0.78, 0.18);
  p.line(0.04, frame, 0.34, 0.3, 0.32, 0.18);
  p.round(0.24, 0.13, 0.4, 0.19, 0.03, BLACK);
}

export function drawTrain(p: ObjectPen): void {
  const body: Rgb = [196, 40, 48];
  p.round(0, 0.06, 1, 0.88, 0.2, body);
  p.poly(body, 0.9, 0.06, 1, 0.35, 1, 0.88, 0.9, 0.88);
  p.rect(0, 0.6, 1, 0.68, [250, 250, 246]);
  for (let k = 0; k < 6; k++) {
    const u = 0.05 + k * 0.14;
    p.round(u, 0.2, u + 0.1, 0.48, 0.04, GLASS);
  }
  p.rect(0, 0.88, 1, 0.94, [60, 60, 64]);
  for (const u of [0.1, 0.22, 0.7, 0.82]) p.circle(u, 0.92, 0.08, BLACK);
}

export function drawAirplane(p: ObjectPen): void {
  const hull: Rgb = [236, 240, 246];
  p.poly([60, 110, 200], 0.06, 0.1, 0.16, 0.1, 0.26, 0.48, 0.1, 0.48);
  p.poly(darken(hull, 0.12), 0.42, 0.5, 0.62, 0.5, 0.4, 1, 0.3, 1);
  p.ellipse(0.5, 0.52, 0.48, 0.16, hull);
  p.poly(darken(hull, 0.2), 0.44, 0.52, 0.6, 0.52, 0.46, 0.2, 0.38, 0.2);
  for (let k = 0; k < 6; k++) p.circle(0.5 + k * 0.06, 0.48, 0.035, [60, 90, 140]);
}

export function drawSuitcase(p: ObjectPen): void {
  const shell: Rgb = [44, 118, 138];
  p.line(0.05, [60, 60, 66], 0.36, 0.22, 0.36, 0.06, 0.64, 0.06, 0.64, 0.22);
  p.round(0.04, 0.2, 0.96, 0.94, 0.08, shell);
  p.rect(0.26, 0.2, 0.34, 0.94, lighten(shell, 0.3));
  p.rect(0.66, 0.2, 0.74, 0.94, lighten(shell, 0.3));
  p.circle(0.2, 0.96, 0.04, BLACK);
  p.circle(0.8, 0.96, 0.04, BLACK);
}

export function drawTent(p: ObjectPen): void {
  const cloth: Rgb = [240, 132, 40];
  p.poly(cloth, 0.5, 0.02, 1, 1, 0, 1);
  p.poly(darken(cloth, 0.2), 0.5, 0.02, 1, 1, 0.78, 1);
  p.poly(darken(cloth, 0.5), 0.5, 0.38, 0.66, 1, 0.34, 1);
  p.line(0.025, [90, 90, 96], 0.5, 0.02, 0.5, -0.04);
}

export function drawTelescope(p: ObjectPen): void {
  const leg: Rgb = [60, 60, 66];
  p.line(0.03, leg, 0.5, 0.5, 0.2, 1);
  p.line(0.03, leg, 0.5, 0.5, 0.8, 1);
  p.line(0.03, leg, 0.5, 0.5, 0.52, 1);
  p.line(0.13, [226, 228, 236], 0.16, 0.66, 0.86, 0.14);
  p.line(0.16, [50, 60, 90], 0.76, 0.22, 0.9, 0.11);
  p.circle(0.5, 0.44, 0.05, leg);
}

export function drawCamera(p: ObjectPen): void {
  const leg: Rgb = [70, 70, 76];
  p.line(0.03, leg, 0.5, 0.4, 0.1, 1);
  p.line(0.03, leg, 0.5, 0.4, 0.9, 1);
  p.line(0.03, leg, 0.5, 0.4, 0.5, 1);
  p.round(0.12, 0.1, 0.88, 0.38, 0.03, BLACK);
  p.rect(0.22, 0.04, 0.44, 0.1, BLACK);
  p.circle(0.56, 0.24, 0.11, [110, 110, 120]);
  p.circle(0.56, 0.24, 0.06, [60, 90, 150]);
  p.rect(0.72, 0.13, 0.82, 0.17, [240, 240, 240]);
}

export function drawStreetLamp(p: ObjectPen): void {
  const iron: Rgb = [40, 50, 48];
  p.circle(0.5, 0.12, 0.13, [255, 238, 150], 0.35);
  p.rect(0.4, 0.05, 0.6, 1, iron);
  p.rect(0.25, 0.95, 0.75, 1, iron);
  p.poly(iron, 0.1, 0.05, 0.9, 0.05, 0.75, 0.0, 0.25, 0.0);
  p.poly([255, 228, 120], 0.15, 0.06, 0.85, 0.06, 0.72, 0.2, 0.28, 0.2);
}

export function drawBench(p: ObjectPen): void {
  const slat = WOOD;
  p.rect(0.08, 0.55, 0.14, 1, BLACK);
  p.rect(0.86, 0.55, 0.92, 1, BLACK);
  p.rect(0.02, 0.05, 0.98, 0.2, slat);
  p.rect(0.02, 0.27, 0.98, 0.42, slat);
  p.rect(0.0, 0.52, 1, 0.66, lighten(slat, 0.1));
  p.rect(0.1, 0.05, 0.13, 0.55, BLACK);
  p.rect(0.87, 0.05, 0.9, 0.55, BLACK);
}

export function drawBuilding(p: ObjectPen): void {
  const wall: Rgb = [122, 132, 160];
  p.rect(0, 0, 1, 1, wall);
  p.rect(0, 0, 1, 0.04, darken(wall, 0.3));
  for (let v = 0.08; v < 0.88; v += 0.1) {
    for (let u = 0.12; u < 0.88; u += 0.26) p.rect(u, v, u + 0.16, v + 0.06, [236, 228, 150]);
  }
  p.rect(0.38, 0.88, 0.62, 1, darken(wall, 0.4));
}

export function drawBarn(p: ObjectPen): void {
  const red: Rgb = [178, 42, 38];
  p.poly(red, 0.05, 0.38, 0.5, 0.05, 0.95, 0.38, 0.95, 1, 0.05, 1);
  p.line(0.05, [70, 40, 36], 0.0, 0.42, 0.5, 0.03, 1, 0.42);
  p.rect(0.32, 0.55, 0.68, 1, darken(red, 0.2));
  p.line(0.04, [250, 246, 236], 0.32, 0.55, 0.68, 1);
  p.line(0.04, [250, 246, 236], 0.68, 0.55, 0.32, 1);
  p.line(0.04, [250, 246, 236], 0.32, 0.55, 0.68, 0.55, 0.68, 1, 0.32, 1, 0.32, 0.55);
  p.rect(0.42, 0.25, 0.58, 0.38, [250, 246, 236]);
}

export function drawCabin(p: ObjectPen): void {
  const log: Rgb = [132, 84, 44];
  p.rect(0.68, 0.06, 0.78, 0.3, [90, 86, 84]);
  p.rect(0.1, 0.38, 0.9, 1, log);
  for (let v = 0.45; v < 1; v += 0.09) p.rect(0.1, v, 0.9, v + 0.02, darken(log, 0.3));
  p.poly([84, 52, 36], 0.0, 0.42, 0.5, 0.0, 1, 0.42);
  p.rect(0.2, 0.55, 0.38, 1, darken(log, 0.45));
  p.rect(0.55, 0.55, 0.78, 0.76, [250, 214, 110]);
}

export function drawFence(p: ObjectPen): void {
  const white: Rgb = [242, 238, 228];
  const edge = darken(white, 0.35);
  p.rect(0, 0.3, 1, 0.42, edge);
  p.rect(0, 0.66, 1, 0.78, edge);
  for (let k = 0; k < 9; k++) {
    const u = (k + 0.5) / 9;
    p.poly(white, u - 0.025, 1, u - 0.025, 0.16, u, 0.02, u + 0.025, 0.16, u + 0.025, 1);
  }
  p.rect(0, 0.32, 1, 0.4, white);
  p.rect(0, 0.68, 1, 0.76, white);
}
