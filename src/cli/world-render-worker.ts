// Worker for `pebench world`: renders one shard of image keys and writes each as a PNG file.
// Runs under src/cli/worker-boot.mjs; reports progress every 100 images.
import { parentPort, workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { createWorld } from '../world/world.ts';
import { renderImage } from '../world/raster/render.ts';
import type { ImageKey, WorldConfig } from '../world/types.ts';
import { imageFileName } from './world-export.ts';
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
      const png = encode({ width: size, height: size, data: rgba, channels: 4, depth: 8 });
      writeFileSync(join(dir, imageFileName(key)), png);
      if ((i + 1) % 100 === 0 || i === keys.length - 1) post({ type: 'progress', done: i + 1 });
    });
    post({ type: 'done', result: keys.length });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException)?.code });
  }
}
