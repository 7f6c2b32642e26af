// Module Web Worker that draws world images off the main thread. Keeps the most recent world per
// config (building one is cheap, but not free) and answers each request with transferred pixels.
import { createWorld } from '../world/world.ts';
import { renderImage } from '../world/raster/render.ts';
import type { World } from '../world/types.ts';
import type { RenderRequest, RenderResponse } from './render-protocol.ts';

let cached: { signature: string; world: World } | null = null;

function worldFor(request: RenderRequest): World {
  const signature = JSON.stringify(request.config);
  if (cached?.signature !== signature) cached = { signature, world: createWorld(request.config) };
  return cached.world;
}

self.onmessage = (event: MessageEvent<RenderRequest>) => {
  const request = event.data;
  let response: RenderResponse;
  try {
    const started = performance.now();
    const rgba = renderImage(worldFor(request), request.key, request.size);
    const ms = performance.now() - started;
    const buffer = rgba.buffer as ArrayBuffer;
    response = { id: request.id, ok: true, size: request.size, rgba: buffer, ms };
    (self as unknown as Worker).postMessage(response, [buffer]);
    return;
  } catch (error) {
    response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(response);
};
