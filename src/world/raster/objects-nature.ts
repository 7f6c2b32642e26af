// Painters for natural scene objects: sky bodies, plants, landforms, water and animals.
// Each draws in the object's own box through an ObjectPen; colours are fixed per kind so a kind
// looks the same in every event (the model should learn "cow", not "cow in the farm palette").

import type { Rgb } from '../types.ts';
import type { ObjectPen } from './object-pen.ts';
import { darken, lighten } from './colour.ts';
import { arc, ring } from './trig.ts';
import { fillPolygon } from './shapes.ts';

const BROWN: Rgb = [112, 72, 40];
const LEAF: Rgb = [58, 142, 58];
const BLACK: Rgb = [28, 28, 30];

export function drawSun(p: ObjectPen): void {
  p.circle(0.5, 0.5, 0.5, [255, 226, 120], 0.35);
  const rays = ring(0, 0, 1, 1, 16, 0.03);
  for (let k = 0; k < 16; k += 2) {
    const tip = [0.5 + rays[2 * k] * 0.5, 0.5 + rays[2 * k + 1] * 0.5];
    const a = [0.5 + rays[2 * k + 2] * 0.3, 0.5 + rays[2 * k + 3] * 0.3];
    const kk = (k + 15) % 16;
    const b = [0.5 + rays[2 * kk] * 0.3, 0.5 + rays[2 * kk + 1] * 0.3];
    p.poly([255, 176, 40], tip[0], tip[1], a[0], a[1], b[0], b[1]);
  }
  p.circle(0.5, 0.5, 0.31, [255, 212, 50]);
}

export function drawMoon(p: ObjectPen): void {
  p.circle(0.5, 0.5, 0.5, [240, 236, 200], 0.18);
  const outer = arc(0.5, 0.5, 0.44, 0.44, 0.2, 0.8, 12);
  const inner = arc(0.68, 0.48, 0.34, 0.36, 0.8, 0.2, 10);
  fillPolygon(p.c, p.pts([...outer, ...inner]), [246, 238, 188]);
}

export function drawStar(p: ObjectPen): void {
  p.circle(0.5, 0.52, 0.42, [255, 246, 180], 0.2);
  const pts: number[] = [];
  const outer = ring(0.5, 0.54, 0.5, 0.5, 5, -0.25);
  const inner = ring(0.5, 0.54, 0.2, 0.2, 5, -0.15);
  for (let k = 0; k < 5; k++) pts.push(outer[2 * k], outer[2 * k + 1], inner[2 * k], inner[2 * k + 1]);
  p.poly([255, 228, 80], ...pts);
}

export function drawCloud(p: ObjectPen): void {
  const shade: Rgb = [186, 198, 222];
  p.ellipse(0.5, 0.7, 0.46, 0.3, shade);
  p.ellipse(0.32, 0.55, 0.22, 0.38, [248, 250, 252]);
  p.ellipse(0.6, 0.42, 0.24, 0.42, [252, 252, 254]);
  p.ellipse(0.5, 0.66, 0.42, 0.26, [250, 250, 253]);
}

export function drawTree(p: ObjectPen): void {
  p.rect(0.42, 0.5, 0.58, 1, BROWN);
  p.ellipse(0.5, 0.36, 0.48, 0.34, darken(LEAF, 0.2));
  p.ellipse(0.32, 0.42, 0.3, 0.2, LEAF);
  p.ellipse(0.62, 0.26, 0.3, 0.2, lighten(LEAF, 0.12));
}

export function drawPine(p: ObjectPen): void {
  const green: Rgb = [28, 96, 62];
  p.rect(0.42, 0.82, 0.58, 1, BROWN);
  p.poly(green, 0.5, 0.34, 1, 0.86, 0, 0.86);
  p.poly(lighten(green, 0.08), 0.5, 0.16, 0.9, 0.62, 0.1, 0.62);
  p.poly(lighten(green, 0.16), 0.5, 0, 0.78, 0.38, 0.22, 0.38);
}

export function drawFlower(p: ObjectPen): void {
  p.line(0.06, [60, 150, 60], 0.5, 1, 0.5, 0.3);
  p.ellipse(0.64, 0.7, 0.2, 0.08, [70, 160, 70]);
  const petals = ring(0.5, 0.26, 0.26, 0.14, 5, -0.25);
  for (let k = 0; k < 5; k++) p.circle(petals[2 * k], petals[2 * k + 1], 0.1, [236, 80, 130]);
  p.circle(0.5, 0.26, 0.07, [255, 214, 60]);
}

export function drawMountain(p: ObjectPen): void {
  const rock: Rgb = [108, 116, 138];
  p.poly(rock, 0.5, 0, 1, 1, 0, 1);
  p.poly(darken(rock, 0.18), 0.5, 0, 1, 1, 0.62, 1, 0.52, 0.5);
  p.poly([248, 250, 252], 0.5, 0, 0.66, 0.32, 0.56, 0.26, 0.48, 0.36, 0.4, 0.26, 0.34, 0.32);
}

export function drawWave(p: ObjectPen): void {
  const water: Rgb = [30, 112, 196];
  p.poly(water, 0, 1, 0.14, 0.62, 0.34, 0.26, 0.58, 0.06, 0.8, 0.12, 0.88, 0.36, 0.74, 0.34, 0.64, 0.46, 0.66, 0.7, 0.8, 1);
  p.poly(lighten(water, 0.25), 0.2, 1, 0.3, 0.6, 0.5, 0.5, 0.45, 1);
  p.line(0.09, [240, 250, 255], 0.3, 0.3, 0.58, 0.08, 0.8, 0.14, 0.86, 0.34, 0.74, 0.3);
}

export function drawFish(p: ObjectPen): void {
  const body: Rgb = [242, 138, 36];
  p.poly(darken(body, 0.1), 0.66, 0.5, 1, 0.08, 0.96, 0.5, 1, 0.92);
  p.ellipse(0.4, 0.5, 0.36, 0.42, body);
  p.poly(darken(body, 0.2), 0.36, 0.12, 0.5, 0.0, 0.56, 0.18);
  p.circle(0.2, 0.42, 0.1, [250, 250, 250]);
  p.circle(0.19, 0.42, 0.05, BLACK);
}

export function drawCow(p: ObjectPen): void {
  const hide: Rgb = [246, 244, 238];
  for (const u of [0.2, 0.32, 0.62, 0.74]) p.rect(u - 0.035, 0.55, u + 0.035, 1, darken(hide, 0.25));
  p.line(0.04, BLACK, 0.12, 0.32, 0.03, 0.6);
  p.round(0.1, 0.22, 0.82, 0.7, 0.18, hide);
  p.ellipse(0.3, 0.38, 0.1, 0.1, BLACK);
  p.ellipse(0.6, 0.52, 0.12, 0.1, BLACK);
  p.ellipse(0.48, 0.3, 0.07, 0.07, BLACK);
  p.ellipse(0.88, 0.3, 0.11, 0.2, hide);
  p.ellipse(0.92, 0.42, 0.08, 0.1, [236, 160, 160]);
  p.line(0.04, [220, 210, 180], 0.84, 0.14, 0.8, 0.05);
  p.line(0.04, [220, 210, 180], 0.94, 0.14, 0.98, 0.05);
  p.circle(0.86, 0.27, 0.03, BLACK);
}

export function drawGiraffe(p: ObjectPen): void {
  const coat: Rgb = [236, 180, 76];
  const spot: Rgb = [150, 88, 36];
  for (const u of [0.16, 0.3, 0.58, 0.72]) p.line(0.05, darken(coat, 0.15), u, 0.6, u, 1);
  p.ellipse(0.44, 0.6, 0.4, 0.12, coat);
  p.poly(coat, 0.6, 0.6, 0.7, 0.14, 0.86, 0.16, 0.82, 0.6);
  p.ellipse(0.82, 0.11, 0.17, 0.05, coat);
  p.line(0.02, spot, 0.74, 0.08, 0.72, 0.0);
  p.line(0.02, spot, 0.8, 0.07, 0.8, 0.0);
  for (const [u, v] of [[0.3, 0.6], [0.46, 0.64], [0.6, 0.6], [0.72, 0.45], [0.76, 0.3], [0.7, 0.55]]) {
    p.ellipse(u, v, 0.05, 0.022, spot);
  }
  p.circle(0.86, 0.1, 0.012, BLACK);
}

export function drawSnowman(p: ObjectPen): void {
  const edge: Rgb = [150, 168, 196];
  const snow: Rgb = [252, 252, 255];
  p.circle(0.5, 0.77, 0.23, edge);
  p.circle(0.5, 0.47, 0.17, edge);
  p.circle(0.5, 0.23, 0.13, edge);
  p.circle(0.5, 0.77, 0.21, snow);
  p.circle(0.5, 0.47, 0.15, snow);
  p.circle(0.5, 0.23, 0.11, snow);
  p.line(0.025, BROWN, 0.32, 0.47, 0.0, 0.32);
  p.line(0.025, BROWN, 0.68, 0.47, 1, 0.32);
  p.rect(0.3, 0.1, 0.7, 0.13, BLACK);
  p.rect(0.36, 0.0, 0.64, 0.12, BLACK);
  p.poly([240, 120, 30], 0.5, 0.22, 0.72, 0.25, 0.5, 0.27);
  p.circle(0.44, 0.2, 0.018, BLACK);
  p.circle(0.58, 0.2, 0.018, BLACK);
  for (const v of [0.42, 0.5, 0.58]) p.circle(0.5, v, 0.018, BLACK);
}

export function drawPlant(p: ObjectPen): void {
  const leaf: Rgb = [46, 132, 70];
  for (const [u, v, ru] of [[0.3, 0.38, 0.2], [0.7, 0.36, 0.2], [0.5, 0.22, 0.16], [0.4, 0.5, 0.22], [0.62, 0.52, 0.22]]) {
    p.ellipse(u, v, ru, 0.16, u === 0.5 ? lighten(leaf, 0.15) : leaf);
  }
  p.poly([196, 98, 58], 0.16, 0.62, 0.84, 0.62, 0.74, 1, 0.26, 1);
  p.rect(0.12, 0.6, 0.88, 0.68, [176, 84, 48]);
}
