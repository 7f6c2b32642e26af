// Messages between the UI and the render worker. Requests carry ids; pixels come back as a
// transferred ArrayBuffer (RGBA, size*size*4), never copied.
import type { ImageKey, WorldConfig } from '../world/types.ts';

export interface RenderRequest {
  id: number;
  config: WorldConfig;
  key: ImageKey;
  size: number;
}

export type RenderResponse =
  | { id: number; ok: true; size: number; rgba: ArrayBuffer; ms: number }
  | { id: number; ok: false; error: string };
