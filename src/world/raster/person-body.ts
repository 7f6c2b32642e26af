// The body: neck, torso in the clothing colour and pattern, arms for each pose, and the accessory
// (scarf, necklace, tie, badge, bag). The torso always reaches the bottom of the frame (bust
// framing); a visible waist gets trousers and a belt.

import { COLOURS, type Appearance, type Pose, type Rgb } from '../types.ts';
import type { Paint } from './canvas.ts';
import { darken, lighten, luma } from './colour.ts';
import { WAIST_V } from './person-geometry.ts';
import type { PersonPen } from './person-pen.ts';

/** Solid clothing colour, or its pattern in a contrasting ink. */
export function clothingPaint(p: PersonPen, a: Appearance): Paint {
  const base = COLOURS[a.clothingColour];
  if (a.clothingPattern === 'plain') return base;
  const ink = luma(base) > 150 ? darken(base, 0.55) : lighten(base, 0.7);
  const period = p.len(a.clothingPattern === 'striped' ? 0.27 : a.clothingPattern === 'dotted' ? 0.3 : 0.34);
  return { kind: 'pattern', style: a.clothingPattern, base, ink, period, ox: p.bx(0, 1.3), oy: p.y(1.3) };
}

/** An accent that stands out against the clothing (for scarves and ties). */
function accentFor(a: Appearance): Rgb {
  const warm = ['red', 'orange', 'pink', 'purple', 'yellow'].includes(a.clothingColour);
  return warm ? [40, 96, 196] : [214, 44, 56];
}

/** Lowest body height to draw so the torso reaches past the bottom of the image. */
function bottomV(p: PersonPen): number {
  return Math.max(WAIST_V, (1.04 - p.f.top) / p.f.h);
}

export function drawNeck(p: PersonPen, skin: Rgb): void {
  p.headRound(-0.16, 0.85, 0.16, 1.45, 0.05, darken(skin, 0.12));
}

/** Clothing paint, its darker outline colour, and the skin colour of the hands. */
export interface BodyStyle {
  cloth: Paint;
  edge: Rgb;
  skin: Rgb;
}

export function bodyStyle(p: PersonPen, a: Appearance, skin: Rgb): BodyStyle {
  return { cloth: clothingPaint(p, a), edge: darken(COLOURS[a.clothingColour], 0.35), skin };
}

function armStroke(p: PersonPen, { cloth, edge, skin }: BodyStyle, ...uv: number[]): void {
  p.bodyLine(0.34, edge, ...uv);
  p.bodyLine(0.27, cloth, ...uv);
  const n = uv.length;
  p.bodyEllipse(uv[n - 2], uv[n - 1], 0.14, 0.14, skin);
}

/** Arms that sit behind the torso (drawn first). */
export function drawArmsBehind(p: PersonPen, pose: Pose, style: BodyStyle): void {
  const side = p.f.waveSide;
  if (pose.arms === 'hips') {
    for (const s of [-1, 1]) armStroke(p, style, s * 0.74, 1.5, s * 1.16, 1.95, s * 0.8, 2.3);
  } else if (pose.arms === 'wave') {
    armStroke(p, style, side * 0.74, 1.5, side * 1.22, 1.2, side * 1.28, 0.5);
    armStroke(p, style, -side * 0.8, 1.5, -side * 0.92, 2.55);
  } else {
    for (const s of [-1, 1]) armStroke(p, style, s * 0.8, 1.5, s * 0.92, s === 1 && pose.arms === 'holding' ? 2.0 : 2.55);
  }
}

export function drawTorso(p: PersonPen, a: Appearance, { cloth, edge, skin }: BodyStyle): void {
  const vb = bottomV(p);
  const w = 0.88;
  p.bodyPoly(edge,
    -0.3, 1.24, 0.3, 1.24, w * 0.78, 1.32, w + 0.02, 1.5, w + 0.03, vb, -w - 0.03, vb, -w - 0.02, 1.5, -w * 0.78, 1.32);
  p.bodyPoly(cloth, -0.3, 1.27, 0.3, 1.27, w * 0.76, 1.35, w - 0.02, 1.52, w - 0.02, vb, -w + 0.02, vb, -w + 0.02, 1.52, -w * 0.76, 1.35);
  if (WAIST_V < vb) {
    p.bodyPoly([52, 56, 72], -w, WAIST_V, w, WAIST_V, w + 0.02, vb + 0.1, -w - 0.02, vb + 0.1);
    p.bodyPoly([40, 30, 26], -w, WAIST_V - 0.06, w, WAIST_V - 0.06, w, WAIST_V + 0.04, -w, WAIST_V + 0.04);
  }
  // neckline: skin V, or a white shirt collar under a tie
  if (a.accessory === 'tie') {
    p.bodyPoly([250, 250, 246], -0.22, 1.26, 0, 1.42, 0.22, 1.26, 0.24, 1.38, 0.02, 1.52, -0.24, 1.38);
  } else {
    p.bodyPoly(darken(skin, 0.12), -0.2, 1.26, 0.2, 1.26, 0, 1.52);
  }
}

/** Arms in front of the torso: the 'holding' pose folds them across the chest. */
export function drawArmsFront(p: PersonPen, pose: Pose, style: BodyStyle): void {
  if (pose.arms !== 'holding') return;
  armStroke(p, style, -0.8, 1.55, -0.72, 2.1, 0.1, 1.95);
  p.bodyEllipse(0.18, 1.93, 0.15, 0.13, style.skin);
}

export function drawAccessory(p: PersonPen, a: Appearance): void {
  switch (a.accessory) {
    case 'scarf': {
      const scarf = accentFor(a);
      p.bodyPoly(darken(scarf, 0.15), 0.04, 1.3, 0.34, 1.3, 0.4, 2.1, 0.1, 2.1);
      for (const u of [0.14, 0.22, 0.3]) p.bodyLine(0.035, lighten(scarf, 0.45), u, 2.08, u + 0.01, 2.2);
      p.bodyRound(-0.46, 1.08, 0.46, 1.44, 0.16, scarf);
      p.bodyLine(0.04, lighten(scarf, 0.35), -0.4, 1.26, 0.4, 1.26);
      break;
    }
    case 'necklace': {
      // a heavy chain and a large pendant: a thin one was lost at 64 px (issue #4)
      const gold: Rgb = [246, 204, 70];
      p.bodyLine(0.1, gold, -0.3, 1.28, -0.2, 1.5, 0, 1.62, 0.2, 1.5, 0.3, 1.28);
      p.bodyEllipse(0, 1.76, 0.15, 0.16, gold);
      p.bodyEllipse(0, 1.76, 0.08, 0.085, [200, 40, 80]);
      break;
    }
    case 'tie': {
      const tie = accentFor(a);
      p.bodyPoly(darken(tie, 0.15), -0.08, 1.4, 0.08, 1.4, 0.06, 1.52, -0.06, 1.52);
      p.bodyPoly(tie, -0.06, 1.52, 0.06, 1.52, 0.13, 2.25, 0, 2.4, -0.13, 2.25);
      break;
    }
    case 'badge':
      // a large name badge with a dark border, readable at 64 px (issue #4)
      p.bodyRound(0.16, 1.5, 0.78, 1.98, 0.05, [30, 30, 40]);
      p.bodyRound(0.2, 1.54, 0.74, 1.94, 0.04, [250, 250, 250]);
      p.bodyRound(0.2, 1.54, 0.74, 1.68, 0.03, [40, 100, 210]);
      p.bodyLine(0.07, [90, 90, 100], 0.3, 1.8, 0.64, 1.8);
      break;
    case 'bag': {
      const leather: Rgb = [120, 70, 34];
      p.bodyLine(0.09, leather, -0.6, 1.32, 0.7, 2.05);
      p.bodyRound(0.46, 1.92, 1.02, 2.36, 0.08, leather);
      p.bodyRound(0.46, 1.92, 1.02, 2.04, 0.05, darken(leather, 0.25));
      break;
    }
    default:
      break;
  }
}
