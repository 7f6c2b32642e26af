// `npm run bench:world`: times the world renderer on this machine and prints a final JSON line.
// Figures: all pair images (variant 0) at the model size on one thread and on worker_threads,
// and one display-size render (median). The same file is the worker entry (via worker-boot.mjs).
// Not a test: no pass/fail, just numbers to compare with the goals (8,000 @ 64 px <= 10 s;
// one 256 px render <= 30 ms; full export <= 60 s). The browser figure: bench-world-browser.ts.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { exportWorld } from '../src/cli/world-export.ts';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runShards, shard, type WorkerMessage } from '../src/cli/pool.ts';
import { renderImage } from '../src/world/raster/render.ts';
import type { ImageKey, WorldConfig } from '../src/world/types.ts';
import { createWorld } from '../src/world/world.ts';

interface Shard {
  config: Partial<WorldConfig>;
  keys: ImageKey[];
  size: number;
}

/** Renders every key; returns a checksum so the work cannot be optimised away. */
function renderAll({ config, keys, size }: Shard): number {
  const world = createWorld(config);
  let checksum = 0;
  for (const key of keys) {
    const rgba = renderImage(world, key, size);
    checksum = (checksum + rgba[(rgba.length >> 1) + 1]) % 1000003;
  }
  return checksum;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timeIt(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const config: Partial<WorldConfig> = {};
  const world = createWorld(config);
  const { modelSize, displaySize } = world.config;
  const keys: ImageKey[] = [];
  for (const p of world.persons) for (const e of world.events) keys.push({ personId: p.id, eventId: e.id, variant: 0 });
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(`machine: ${cpu}, ${os.cpus().length} cores, node ${process.version}, ${os.platform()} ${os.arch()}`);
  console.log(`world: ${world.persons.length} persons x ${world.events.length} events = ${keys.length} pair images`);

  renderAll({ config, keys: keys.slice(0, 200), size: modelSize }); // warm-up
  const single: number[] = [];
  for (let r = 0; r < runs; r++) single.push(timeIt(() => renderAll({ config, keys, size: modelSize })));
  const singleMs = median(single);
  console.log(`${keys.length} images @ ${modelSize}px, 1 thread: median ${(singleMs / 1000).toFixed(2)} s ` +
    `(${(singleMs / keys.length).toFixed(3)} ms/image; runs ${single.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`);

  const pooled: number[] = [];
  const entry = new URL(import.meta.url);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await runShards<Shard, number>(entry, shard(keys, threads).map((k) => ({ config, keys: k, size: modelSize })), () => {});
    pooled.push(performance.now() - t0);
  }
  const pooledMs = median(pooled);
  const startup: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await runShards<Shard, number>(entry, shard(keys, threads).map(() => ({ config, keys: [], size: modelSize })), () => {});
    startup.push(performance.now() - t0);
  }
  const startupMs = median(startup);
  console.log(`worker start-up alone (tsx + world, no images): median ${(startupMs / 1000).toFixed(2)} s`);
  console.log(`${keys.length} images @ ${modelSize}px, ${threads} worker threads (incl. start-up): median ` +
    `${(pooledMs / 1000).toFixed(2)} s (runs ${pooled.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`);

  const large: number[] = [];
  for (let i = 0; i < 55; i++) {
    const key = keys[(i * 997) % keys.length];
    const t = timeIt(() => renderImage(world, key, displaySize));
    if (i >= 5) large.push(t);
  }
  const largeMs = median(large);
  console.log(`one ${displaySize}px render: median ${largeMs.toFixed(2)} ms over ${large.length}`);

  // The full `pebench world` export: every training and fresh render as PNG, metadata, splits.
  const exportRuns = Number(process.env.BENCH_EXPORT_RUNS ?? 1);
  const exportTimes: number[] = [];
  const scratch = mkdtempSync(join(os.tmpdir(), 'pebench-bench-'));
  try {
    for (let r = 0; r < exportRuns; r++) {
      const summary = await exportWorld(config, { out: join(scratch, `run${r}`), force: false, size: modelSize, workers: threads, quiet: true });
      exportTimes.push(summary.seconds * 1000);
      console.log(`pebench world export (${summary.images} PNGs @ ${modelSize}px + metadata + splits, ${threads} workers): ${summary.seconds.toFixed(1)} s`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const exportMs = Math.round(median(exportTimes));

  console.log(JSON.stringify({
    bench: 'world',
    machine: { cpu, cores: os.cpus().length, node: process.version },
    images: keys.length,
    modelSize,
    displaySize,
    singleThreadMs: Math.round(singleMs),
    workerThreads: threads,
    workerThreadsMs: Math.round(pooledMs),
    workerStartupMs: Math.round(startupMs),
    displayRenderMedianMs: Number(largeMs.toFixed(2)),
    exportMs,
  }));
}

if (isMainThread) {
  await main();
} else if (parentPort && workerData?.payload) {
  const post = (m: WorkerMessage<number>): void => parentPort!.postMessage(m);
  try {
    post({ type: 'done', result: renderAll(workerData.payload as Shard) });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}
