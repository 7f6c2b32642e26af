// Where the person's body parts are, in image coordinates, for one Pose: shared by the painter
// (person.ts) and the scene planner (scene.ts keeps objects out of the person's boxes).
// Geometry only; no colours, no drawing.

import type { Pose } from '../types.ts';
import type { Box } from './layout-meta.ts';

/**
 * Local body units: v runs down from the top of the skull (v = 0) in units of the face height h;
 * the chin is at v = 1.1, the shoulder line at v = 1.35 and the waist at v = WAIST_V, so
 * pose.scale = WAIST_V * h. u runs right from the body's centre line, also in units of h.
 */
export const WAIST_V = 2.6;
export const SHOULDER_V = 1.35;

export interface PersonFrame {
  /** Face height in image units. */
  h: number;
  cx: number;
  /** y of the top of the skull. */
  top: number;
  lean: number;
  /** Horizontal shift of the whole head caused by the lean. */
  headDx: number;
  /** The waving arm is on the image's right when +1, left when -1. */
  waveSide: 1 | -1;
}

export function personFrame(pose: Pose): PersonFrame {
  const h = pose.scale / WAIST_V;
  return {
    h,
    cx: pose.x,
    top: pose.y,
    lean: pose.lean,
    headDx: pose.lean * h * (WAIST_V - SHOULDER_V),
    waveSide: pose.lean > 0 ? -1 : 1,
  };
}

/** Image x of a head point (the head moves rigidly with the lean). */
export function headX(f: PersonFrame, u: number): number {
  return f.cx + f.headDx + u * f.h;
}

/** Image x of a body point (the torso is sheared about the waist by the lean). */
export function bodyX(f: PersonFrame, u: number, v: number): number {
  return f.cx + (u + f.lean * (WAIST_V - v)) * f.h;
}

export function imageY(f: PersonFrame, v: number): number {
  return f.top + v * f.h;
}

/** Boxes that together cover the person (hair, headwear and arms included), for occlusion tests. */
export function personBoxes(pose: Pose): Box[] {
  const f = personFrame(pose);
  const headCx = f.cx + f.headDx;
  const head: Box = {
    x0: headCx - 0.78 * f.h,
    y0: f.top - 0.5 * f.h,
    x1: headCx + 0.78 * f.h,
    y1: imageY(f, SHOULDER_V),
  };
  const reach = pose.arms === 'hips' ? 1.3 : 1.0;
  const shear = Math.abs(f.lean) * (WAIST_V - SHOULDER_V);
  const torso: Box = {
    x0: f.cx - (reach + shear) * f.h,
    y0: imageY(f, SHOULDER_V - 0.1),
    x1: f.cx + (reach + shear) * f.h,
    y1: 1.02,
  };
  const boxes = [head, torso];
  if (pose.arms === 'wave') {
    const side = f.waveSide;
    const inner = f.cx + side * 0.7 * f.h;
    const outer = f.cx + side * 1.55 * f.h;
    boxes.push({
      x0: Math.min(inner, outer),
      y0: imageY(f, 0.1),
      x1: Math.max(inner, outer),
      y1: imageY(f, SHOULDER_V),
    });
  }
  return boxes;
}
