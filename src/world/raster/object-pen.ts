// A pen bound to one placed object's box: object painters draw in local units (u: 0..1 across the
// box, mirrored when the object is flipped; v: 0..1 from the top to the bottom of the box), so each
// painter is written once and drawn at any place, size and orientation.

import type { PlacedObject } from '../types.ts';
import type { Canvas, Paint } from './canvas.ts';
import { OBJECT_META } from './layout-meta.ts';
import {
  fillEllipse, fillPolygon, fillRect, fillRoundRect, strokeEllipse, strokePath,
} from './shapes.ts';

export class ObjectPen {
  /** Box width and height in image units. */
  readonly w: number;
  readonly h: number;
  private readonly x0: number;
  private readonly y0: number;

  constructor(readonly c: Canvas, readonly obj: PlacedObject) {
    this.h = obj.scale;
    this.w = OBJECT_META[obj.kind].aspect * obj.scale;
    this.x0 = obj.x - this.w / 2;
    this.y0 = obj.y - obj.scale;
  }

  X(u: number): number {
    return this.obj.flip ? this.x0 + (1 - u) * this.w : this.x0 + u * this.w;
  }

  Y(v: number): number {
    return this.y0 + v * this.h;
  }

  /** Local (u, v) pairs to image points. */
  pts(uv: readonly number[]): number[] {
    const out: number[] = [];
    for (let k = 0; k < uv.length; k += 2) out.push(this.X(uv[k]), this.Y(uv[k + 1]));
    return out;
  }

  rect(u0: number, v0: number, u1: number, v1: number, paint: Paint, alpha = 1): void {
    const a = this.X(u0);
    const b = this.X(u1);
    fillRect(this.c, Math.min(a, b), this.Y(v0), Math.max(a, b), this.Y(v1), paint, alpha);
  }

  /** Rounded rectangle; r in units of the box height. */
  round(u0: number, v0: number, u1: number, v1: number, r: number, paint: Paint, alpha = 1): void {
    const a = this.X(u0);
    const b = this.X(u1);
    fillRoundRect(this.c, Math.min(a, b), this.Y(v0), Math.max(a, b), this.Y(v1), r * this.h, paint, alpha);
  }

  /** Ellipse centred at (u, v); ru in box widths, rv in box heights. */
  ellipse(u: number, v: number, ru: number, rv: number, paint: Paint, alpha = 1): void {
    fillEllipse(this.c, this.X(u), this.Y(v), ru * this.w, rv * this.h, paint, alpha);
  }

  /** Circle centred at (u, v) with radius r in box heights. */
  circle(u: number, v: number, r: number, paint: Paint, alpha = 1): void {
    fillEllipse(this.c, this.X(u), this.Y(v), r * this.h, r * this.h, paint, alpha);
  }

  ring(u: number, v: number, r: number, width: number, paint: Paint, alpha = 1): void {
    strokeEllipse(this.c, this.X(u), this.Y(v), r * this.h, r * this.h, width * this.h, paint, alpha);
  }

  poly(paint: Paint, ...uv: number[]): void {
    fillPolygon(this.c, this.pts(uv), paint);
  }

  /** Translucent polygon (light beams, glows). */
  glow(paint: Paint, alpha: number, ...uv: number[]): void {
    fillPolygon(this.c, this.pts(uv), paint, alpha);
  }

  /** Polyline through (u, v) pairs; width in box heights. */
  line(width: number, paint: Paint, ...uv: number[]): void {
    strokePath(this.c, this.pts(uv), width * this.h, paint);
  }
}
