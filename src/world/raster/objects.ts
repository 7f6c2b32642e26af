// The registry of object painters: one per SceneObjectKind (the type system checks none is missing),
// and drawObject(), which binds a pen to a placed object and paints it.

import type { PlacedObject, SceneObjectKind } from '../types.ts';
import type { Canvas } from './canvas.ts';
import { ObjectPen } from './object-pen.ts';
import * as event from './objects-event.ts';
import * as indoor from './objects-indoor.ts';
import * as nature from './objects-nature.ts';
import * as outdoor from './objects-outdoor.ts';

export const OBJECT_PAINTERS: Record<SceneObjectKind, (pen: ObjectPen) => void> = {
  sun: nature.drawSun, moon: nature.drawMoon, star: nature.drawStar, cloud: nature.drawCloud,
  tree: nature.drawTree, pine: nature.drawPine, flower: nature.drawFlower, mountain: nature.drawMountain,
  wave: nature.drawWave, fish: nature.drawFish, cow: nature.drawCow, giraffe: nature.drawGiraffe,
  snowman: nature.drawSnowman, plant: nature.drawPlant,
  umbrella: outdoor.drawUmbrella, boat: outdoor.drawBoat, fishingRod: outdoor.drawFishingRod,
  car: outdoor.drawCar, bicycle: outdoor.drawBicycle, train: outdoor.drawTrain,
  airplane: outdoor.drawAirplane, suitcase: outdoor.drawSuitcase, tent: outdoor.drawTent,
  telescope: outdoor.drawTelescope, camera: outdoor.drawCamera, streetLamp: outdoor.drawStreetLamp,
  bench: outdoor.drawBench, building: outdoor.drawBuilding, barn: outdoor.drawBarn,
  cabin: outdoor.drawCabin, fence: outdoor.drawFence,
  table: indoor.drawTable, chair: indoor.drawChair, plate: indoor.drawPlate, cup: indoor.drawCup,
  laptop: indoor.drawLaptop, book: indoor.drawBook, bookshelf: indoor.drawBookshelf,
  painting: indoor.drawPainting, sculpture: indoor.drawSculpture, desk: indoor.drawDesk,
  shelf: indoor.drawShelf, cart: indoor.drawCart, dumbbell: indoor.drawDumbbell,
  fireplace: indoor.drawFireplace, window: indoor.drawWindow, clock: indoor.drawClock,
  screen: indoor.drawScreen,
  spotlight: event.drawSpotlight, microphone: event.drawMicrophone, stage: event.drawStage,
  discoBall: event.drawDiscoBall, podium: event.drawPodium, balloon: event.drawBalloon,
  banner: event.drawBanner, crowd: event.drawCrowd,
};

export function drawObject(c: Canvas, obj: PlacedObject): void {
  const painter = OBJECT_PAINTERS[obj.kind];
  if (!painter) throw new Error(`no painter for scene object "${obj.kind}": add one to raster/objects.ts`);
  painter(new ObjectPen(c, obj));
}
