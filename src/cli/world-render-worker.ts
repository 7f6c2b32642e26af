// Worker for `pebench world`: renders one shard of image keys and writes each as an RGB PNG file.
// Runs under src/cli/worker-boot.mjs; reports progress every 100 images.
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { createWorld } from '../world/world.ts';
import { renderImage } from '../world/raster/render.ts';
import type { ImageKey, WorldConfig } from '../world/types.ts';
import { imagePath } from './world-dataset.ts';
import type { WorkerMessage } from './pool.ts';

export interface RenderShard {
  config: WorldConfig;
  keys: ImageKey[];
  size: number;
  dir: string;
}

function post(message: WorkerMessage<number>): void {
  parentPort!.postMessage(message);
}

if (parentPort && workerData?.payload) {
  const { config, keys, size, dir } = workerData.payload as RenderShard;
  try {
    const world = createWorld(config);
    keys.forEach((key, i) => {
      const rgba = renderImage(world, key, size);
      // RGB: renders are opaque, and datasets users expect three channels.
      const rgb = new Uint8Array(size * size * 3);
      for (let i = 0; i < size * size; i++) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
      const png = encode({ width: size, height: size, data: rgb, channels: 3, depth: 8 });
      writeFileSync(join(dir, imagePath(key)), png);
      if ((i + 1) % 100 === 0 || i === keys.length - 1) post({ type: 'progress', done: i + 1 });
    });
    post({ type: 'done', result: keys.length });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException)?.code });
  }
}
