// The face: shape, ears, eyes (eye colour), eyebrows, nose, mouth, facial hair and glasses.
// Features are sized for the 64 px model input (cartoon proportions: big eyes, bold brows).
// Hair and headwear are in person-hair.ts.

import { COLOURS, type Appearance, type Rgb } from '../types.ts';
import { darken, lighten, mix } from './colour.ts';
import type { PersonPen } from './person-pen.ts';

/** Half-width of the face at cheek level, per face shape (face heights). */
export function faceHalfWidth(shape: Appearance['faceShape']): number {
  return shape === 'round' ? 0.47 : shape === 'square' ? 0.44 : shape === 'oval' ? 0.41 : 0.36;
}

export function drawFace(p: PersonPen, a: Appearance, skin: Rgb): void {
  const rx = faceHalfWidth(a.faceShape);
  const ear = darken(skin, 0.08);
  p.headEllipse(-rx, 0.6, 0.09, 0.13, ear);
  p.headEllipse(rx, 0.6, 0.09, 0.13, ear);
  if (a.faceShape === 'square') p.headRound(-rx, 0.02, rx, 1.1, 0.2, skin);
  else if (a.faceShape === 'long') p.headEllipse(0, 0.56, rx, 0.58, skin);
  else p.headEllipse(0, 0.55, rx, a.faceShape === 'round' ? 0.52 : 0.55, skin);
  p.headEllipse(-rx * 0.58, 0.8, 0.09, 0.05, [236, 120, 120], 0.25);
  p.headEllipse(rx * 0.58, 0.8, 0.09, 0.05, [236, 120, 120], 0.25);
}

function eyebrows(p: PersonPen, a: Appearance): void {
  const hair = COLOURS[a.hairColour];
  const brow = a.hairColour === 'white' || a.hairColour === 'blonde' ? darken(hair, 0.35) : darken(hair, 0.15);
  for (const s of [-1, 1]) {
    if (a.eyebrows === 'thin') p.headLine(0.035, brow, s * 0.08, 0.37, s * 0.28, 0.36);
    else if (a.eyebrows === 'thick') p.headLine(0.09, brow, s * 0.07, 0.38, s * 0.29, 0.36);
    else p.headLine(0.05, brow, s * 0.07, 0.39, s * 0.17, 0.3, s * 0.3, 0.38);
  }
}

function eyes(p: PersonPen, a: Appearance): void {
  const iris = COLOURS[a.eyeColour];
  for (const s of [-1, 1]) {
    p.headEllipse(s * 0.18, 0.55, 0.115, 0.08, [250, 250, 248]);
    p.headEllipse(s * 0.18, 0.55, 0.07, 0.075, iris);
    p.headEllipse(s * 0.18, 0.55, 0.03, 0.032, [20, 20, 24]);
    p.headEllipse(s * 0.18 + 0.025, 0.53, 0.015, 0.015, [255, 255, 255]);
  }
}

function nose(p: PersonPen, skin: Rgb): void {
  p.headLine(0.035, darken(skin, 0.22), -0.02, 0.62, -0.05, 0.73, 0.03, 0.74);
}

function mouth(p: PersonPen, skin: Rgb): void {
  const lip = mix(skin, [176, 60, 70], 0.7);
  p.headLine(0.045, lip, -0.13, 0.85, -0.06, 0.895, 0.06, 0.895, 0.13, 0.85);
}

function facialHair(p: PersonPen, a: Appearance, skin: Rgb): void {
  const hair = COLOURS[a.hairColour];
  const rx = faceHalfWidth(a.faceShape);
  if (a.facialHair === 'beard') {
    p.headPoly(hair, -rx, 0.6, -rx * 0.95, 0.9, -rx * 0.6, 1.08, 0, 1.2, rx * 0.6, 1.08, rx * 0.95, 0.9, rx, 0.6,
      rx * 0.72, 0.68, rx * 0.5, 0.78, 0, 0.77, -rx * 0.5, 0.78, -rx * 0.72, 0.68);
    p.headEllipse(0, 0.88, 0.14, 0.05, mix(skin, [176, 60, 70], 0.5));
  }
  if (a.facialHair === 'moustache' || a.facialHair === 'beard') {
    p.headPoly(darken(hair, 0.08), -0.2, 0.83, -0.12, 0.76, 0, 0.78, 0.12, 0.76, 0.2, 0.83, 0.1, 0.81, 0, 0.83, -0.1, 0.81);
  }
  if (a.facialHair === 'goatee') {
    p.headPoly(hair, -0.13, 0.95, 0.13, 0.95, 0.1, 1.1, 0, 1.16, -0.1, 1.1);
    p.headLine(0.05, hair, -0.1, 0.8, 0, 0.78, 0.1, 0.8);
  }
}

function glasses(p: PersonPen, a: Appearance): void {
  if (a.glasses === 'none') return;
  const frame: Rgb = [36, 34, 38];
  if (a.glasses === 'sunglasses') {
    for (const s of [-1, 1]) {
      p.headRound(s * 0.18 - 0.15, 0.46, s * 0.18 + 0.15, 0.66, 0.07, [18, 18, 24]);
      p.headEllipse(s * 0.18 - 0.05, 0.51, 0.04, 0.025, lighten([18, 18, 24], 0.5));
    }
    p.headLine(0.05, frame, -0.05, 0.5, 0.05, 0.5);
    p.headLine(0.04, frame, -0.33, 0.5, -0.46, 0.54);
    p.headLine(0.04, frame, 0.33, 0.5, 0.46, 0.54);
    return;
  }
  for (const s of [-1, 1]) {
    if (a.glasses === 'round') p.headRing(s * 0.18, 0.55, 0.13, 0.13, 0.04, frame);
    else {
      const u0 = s * 0.18 - 0.15;
      const u1 = s * 0.18 + 0.15;
      p.headLoop(0.045, frame, u0, 0.46, u1, 0.46, u1, 0.65, u0, 0.65);
    }
    p.headLine(0.035, frame, s * 0.33, 0.52, s * 0.46, 0.55);
  }
  p.headLine(0.035, frame, -0.05, 0.53, 0.05, 0.53);
}

/** Everything on the face in front of the skin, back to front. */
export function drawFeatures(p: PersonPen, a: Appearance, skin: Rgb): void {
  eyes(p, a);
  eyebrows(p, a);
  nose(p, skin);
  mouth(p, skin);
  facialHair(p, a, skin);
  glasses(p, a);
}
