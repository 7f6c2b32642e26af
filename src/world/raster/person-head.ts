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
  // Darker than the hair and drawn large: at 64 px the face is about 15 px tall, and a thin
  // moustache in blonde on light skin was invisible to the model (diagnosed for issue #4).
  const hair = darken(COLOURS[a.hairColour], 0.3);
  const rx = faceHalfWidth(a.faceShape);
  if (a.facialHair === 'beard') {
    p.headPoly(hair, -rx - 0.02, 0.56, -rx, 0.9, -rx * 0.62, 1.12, 0, 1.26, rx * 0.62, 1.12, rx, 0.9, rx + 0.02, 0.56,
      rx * 0.72, 0.66, rx * 0.5, 0.76, 0, 0.75, -rx * 0.5, 0.76, -rx * 0.72, 0.66);
    p.headEllipse(0, 0.9, 0.13, 0.045, mix(skin, [176, 60, 70], 0.5));
  }
  if (a.facialHair === 'moustache' || a.facialHair === 'beard') {
    p.headPoly(darken(hair, 0.08), -0.3, 0.88, -0.18, 0.72, 0, 0.74, 0.18, 0.72, 0.3, 0.88, 0.14, 0.84, 0, 0.86, -0.14, 0.84);
  }
  if (a.facialHair === 'goatee') {
    p.headPoly(hair, -0.2, 0.93, 0.2, 0.93, 0.16, 1.14, 0, 1.24, -0.16, 1.14);
    p.headLine(0.09, hair, -0.16, 0.8, 0, 0.76, 0.16, 0.8);
  }
}

function glasses(p: PersonPen, a: Appearance): void {
  if (a.glasses === 'none') return;
  // Thick dark frames over tinted lenses, wider than the eyes: thin frames changed too few pixels at
  // 64 px for the model to learn them (issue #4).
  const frame: Rgb = [24, 22, 28];
  if (a.glasses === 'sunglasses') {
    for (const s of [-1, 1]) {
      p.headRound(s * 0.19 - 0.17, 0.44, s * 0.19 + 0.17, 0.68, 0.07, [18, 18, 24]);
      p.headEllipse(s * 0.19 - 0.06, 0.5, 0.045, 0.03, lighten([18, 18, 24], 0.5));
    }
    p.headLine(0.08, frame, -0.05, 0.5, 0.05, 0.5);
    p.headLine(0.07, frame, -0.35, 0.5, -rimEnd(a), 0.54);
    p.headLine(0.07, frame, 0.35, 0.5, rimEnd(a), 0.54);
    return;
  }
  for (const s of [-1, 1]) {
    p.headEllipse(s * 0.19, 0.55, 0.15, 0.11, [150, 200, 235], 0.45);
    if (a.glasses === 'round') p.headRing(s * 0.19, 0.55, 0.16, 0.15, 0.09, frame);
    else {
      const u0 = s * 0.19 - 0.17;
      const u1 = s * 0.19 + 0.17;
      p.headLoop(0.09, frame, u0, 0.44, u1, 0.44, u1, 0.66, u0, 0.66);
    }
    p.headLine(0.07, frame, s * 0.35, 0.5, s * rimEnd(a), 0.54);
  }
  p.headLine(0.08, frame, -0.04, 0.52, 0.04, 0.52);
}

/** Where the temples end: at the ear. */
function rimEnd(a: Appearance): number {
  return faceHalfWidth(a.faceShape) + 0.02;
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
