// Background bystanders: faceless one-colour silhouettes (head and shoulders), never detailed
// enough to be mistaken for a world person.

import type { SceneSpec } from '../types.ts';
import type { Canvas } from './canvas.ts';
import { fillCircle, fillRoundRect } from './shapes.ts';

export function drawBystander(c: Canvas, b: SceneSpec['bystanders'][number]): void {
  const s = b.scale;
  fillCircle(c, b.x, b.y - s + 0.13 * s, 0.13 * s, b.colour);
  fillRoundRect(c, b.x - 0.06 * s, b.y - s + 0.2 * s, b.x + 0.06 * s, b.y - s + 0.34 * s, 0.02 * s, b.colour);
  fillRoundRect(c, b.x - 0.23 * s, b.y - s + 0.3 * s, b.x + 0.23 * s, b.y + 0.1 * s, 0.12 * s, b.colour);
}
