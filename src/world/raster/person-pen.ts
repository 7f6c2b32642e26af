// A pen in the person's body units (person-geometry.ts): u right from the centre line, v down from
// the top of the skull, both in face heights. Head strokes move rigidly with the lean; body strokes
// are sheared about the waist. Drawing helpers only; what to draw is in person-*.ts.

import type { Canvas, Paint } from './canvas.ts';
import { bodyX, headX, imageY, type PersonFrame } from './person-geometry.ts';
import { fillEllipse, fillPolygon, fillRoundRect, strokeEllipse, strokePath } from './shapes.ts';

export class PersonPen {
  constructor(readonly c: Canvas, readonly f: PersonFrame) {}

  /** Image y of body height v. */
  y(v: number): number {
    return imageY(this.f, v);
  }

  hx(u: number): number {
    return headX(this.f, u);
  }

  bx(u: number, v: number): number {
    return bodyX(this.f, u, v);
  }

  /** Length in image units of `d` face heights. */
  len(d: number): number {
    return d * this.f.h;
  }

  private headPts(uv: readonly number[]): number[] {
    const out: number[] = [];
    for (let k = 0; k < uv.length; k += 2) out.push(this.hx(uv[k]), this.y(uv[k + 1]));
    return out;
  }

  private bodyPts(uv: readonly number[]): number[] {
    const out: number[] = [];
    for (let k = 0; k < uv.length; k += 2) out.push(this.bx(uv[k], uv[k + 1]), this.y(uv[k + 1]));
    return out;
  }

  headEllipse(u: number, v: number, ru: number, rv: number, paint: Paint, alpha = 1): void {
    fillEllipse(this.c, this.hx(u), this.y(v), this.len(ru), this.len(rv), paint, alpha);
  }

  headRing(u: number, v: number, ru: number, rv: number, width: number, paint: Paint): void {
    strokeEllipse(this.c, this.hx(u), this.y(v), this.len(ru), this.len(rv), this.len(width), paint);
  }

  headRound(u0: number, v0: number, u1: number, v1: number, r: number, paint: Paint, alpha = 1): void {
    fillRoundRect(this.c, this.hx(u0), this.y(v0), this.hx(u1), this.y(v1), this.len(r), paint, alpha);
  }

  headPoly(paint: Paint, ...uv: number[]): void {
    fillPolygon(this.c, this.headPts(uv), paint);
  }

  headLine(width: number, paint: Paint, ...uv: number[]): void {
    strokePath(this.c, this.headPts(uv), this.len(width), paint);
  }

  headLoop(width: number, paint: Paint, ...uv: number[]): void {
    strokePath(this.c, this.headPts(uv), this.len(width), paint, 1, true);
  }

  bodyPoly(paint: Paint, ...uv: number[]): void {
    fillPolygon(this.c, this.bodyPts(uv), paint);
  }

  bodyLine(width: number, paint: Paint, ...uv: number[]): void {
    strokePath(this.c, this.bodyPts(uv), this.len(width), paint);
  }

  bodyEllipse(u: number, v: number, ru: number, rv: number, paint: Paint, alpha = 1): void {
    fillEllipse(this.c, this.bx(u, v), this.y(v), this.len(ru), this.len(rv), paint, alpha);
  }

  bodyRound(u0: number, v0: number, u1: number, v1: number, r: number, paint: Paint): void {
    const vm = (v0 + v1) / 2;
    fillRoundRect(this.c, this.bx(u0, vm), this.y(v0), this.bx(u1, vm), this.y(v1), this.len(r), paint);
  }
}
