// Draws the scene's person from its Appearance and Pose, back to front: hair behind, arms behind,
// torso, accessory, folded arms, neck and face, hair front, headwear. Nothing here is random; all
// variation comes from the SceneSpec.

import { SKIN_RGB, type Appearance, type Pose } from '../types.ts';
import type { Canvas } from './canvas.ts';
import {
  bodyStyle, drawAccessory, drawArmsBehind, drawArmsFront, drawNeck, drawTorso,
} from './person-body.ts';
import { personFrame } from './person-geometry.ts';
import { drawHairBack, drawHairFront, drawHeadwear } from './person-hair.ts';
import { drawFace, drawFeatures } from './person-head.ts';
import { PersonPen } from './person-pen.ts';

export function drawPerson(c: Canvas, a: Appearance, pose: Pose): void {
  const p = new PersonPen(c, personFrame(pose));
  const skin = SKIN_RGB[a.skinTone];
  const style = bodyStyle(p, a, skin);
  drawHairBack(p, a);
  drawArmsBehind(p, pose, style);
  drawNeck(p, skin);
  drawTorso(p, a, style);
  drawAccessory(p, a);
  drawArmsFront(p, pose, style);
  drawFace(p, a, skin);
  drawFeatures(p, a, skin);
  drawHairFront(p, a);
  drawHeadwear(p, a);
}
