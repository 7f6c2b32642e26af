// Measures the lab's model download as a zip (src/storage/zip.ts, fflate): the shipped model folder
// written store-only (what the lab does) against fflate's deflate at levels 1 and 6, and read back.
// Prints bytes and milliseconds (median of 5) with the machine. Run: npx tsx scripts/bench-zip.ts
import { cpus } from 'node:os';
import { zipSync } from 'fflate';
import { loadModel } from '../src/model/export.ts';
import { FolderFiles } from '../src/model/node-files.ts';
import { unzipFiles, zipFiles } from '../src/storage/zip.ts';

const model = await loadModel(new FolderFiles(new URL('../models/pebench-tiny', import.meta.url).pathname));
const files = [...model.files];
const raw = files.reduce((sum, [, data]) => sum + data.byteLength, 0);

function median(run: () => unknown): { ms: number; result: unknown } {
  const times: number[] = [];
  let result: unknown;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  return { ms: times.sort((a, b) => a - b)[2], result };
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, node ${process.version}`);
console.log(`model folder: ${files.length} files, ${(raw / 1e6).toFixed(2)} MB`);
const store = median(() => zipFiles(files));
const zip = store.result as Uint8Array;
console.log(`store (lab):  ${(zip.length / 1e6).toFixed(2)} MB, write ${store.ms.toFixed(0)} ms, read ${median(() => unzipFiles(zip)).ms.toFixed(0)} ms`);
for (const level of [1, 6] as const) {
  const deflated = median(() => zipSync(Object.fromEntries(files.map(([name, data]) => [name, [data, { level }]]))));
  const size = (deflated.result as Uint8Array).length;
  console.log(`deflate ${level}:    ${(size / 1e6).toFixed(2)} MB (${((1 - size / zip.length) * 100).toFixed(1)}% smaller), write ${deflated.ms.toFixed(0)} ms`);
}
