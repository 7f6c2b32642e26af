// Writes a world as a Hugging Face dataset (rows: world-dataset.ts; card: world-card.ts):
// train/ and fresh/ (imagefolder splits: images/*.png as RGB and metadata.jsonl, one row per image
// with its question-answer pairs), <request>-<set>.jsonl and requests/<request>/text_*.jsonl (the
// PEBench sets), README.md (the
// dataset card with the `configs` that `load_dataset(DIR)` reads), LICENSE, world.json and splits.json.
// Everything goes to a sibling temp folder first (marked .pebench-output) and is renamed into place
// at the end, so a failed or interrupted export never leaves a half-written dataset behind; --force
// replaces only a folder pebench wrote (output-check.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createWorld, imageKeys } from '../world/world.ts';
import type { World, WorldConfig } from '../world/types.ts';
import { LICENSE_TEXT } from '../model/license.ts';
import { datasetCard } from './world-card.ts';
import { IMAGE_SPLITS, SET_NAMES, imageRows, requestRecords, setFilePath, setFiles, type RequestRecord, type SetName } from './world-dataset.ts';
import { CliError } from './args.ts';
import { onInterrupt } from './interrupt.ts';
import { checkFreeSpace, checkReplaceableFolder, checkWritableParent, writeMarker } from './output-check.ts';
import { runShards, shard } from './pool.ts';
import { ProgressBar } from './progress.ts';
import { errorCode, moveIntoPlace, partialFolder } from './safe-write.ts';
import type { RenderShard } from './world-render-worker.ts';

export interface ExportOptions {
  out: string;
  force: boolean;
  size: number;
  workers: number;
  quiet?: boolean;
}

export interface ExportSummary {
  dir: string;
  images: number;
  seconds: number;
}

/** A low estimate of the dataset's bytes (our renders compress to 0.3-1 byte per pixel), for the free-space check. */
export const datasetBytesEstimate = (images: number, size: number): number => images * Math.max(1024, size * size * 0.25);

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EROFS', 'EPERM']);

export async function exportWorld(config: Partial<WorldConfig>, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const world = createWorld(config);
  const dir = resolve(options.out);
  const keys = [...imageKeys(world, 'train'), ...imageKeys(world, 'fresh')];
  if (checkReplaceableFolder('--out', dir) === 'owned' && !options.force) {
    throw new CliError(`--out ${dir} exists and is not empty (an earlier pebench output); choose another folder or pass --force to replace it.`);
  }
  checkWritableParent('--out', dir);
  checkFreeSpace('--out', dirname(dir), datasetBytesEstimate(keys.length, options.size));
  const temp = partialFolder(dir);
  const forget = onInterrupt(() => {
    rmSync(temp, { recursive: true, force: true });
    return `removed the unfinished dataset; nothing was written to ${dir}`;
  });
  try {
    try {
      rmSync(temp, { recursive: true, force: true });
      mkdirSync(temp);
      for (const split of IMAGE_SPLITS) mkdirSync(join(temp, split, 'images'), { recursive: true });
      writeMarker(temp, 'world');
    } catch (error) {
      throw new CliError(`cannot write in ${dirname(dir)} (${errorCode(error)}); choose a folder you can write to.`);
    }
    const bar = options.quiet ? null : new ProgressBar('rendering', keys.length, 'images');
    const shards: RenderShard[] = shard(keys, Math.max(1, options.workers)).map((part) => ({
      config: world.config,
      keys: part,
      size: options.size,
      dir: temp,
    }));
    await runShards<RenderShard, number>(new URL('./world-render-worker.ts', import.meta.url), shards, (done) =>
      bar?.update(done),
    );
    writeDataset(temp, world, options.size);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code && DISK_FULL.has(code)) {
      throw new CliError(`writing the dataset failed (${code}: ${(error as Error).message}); nothing was left in ${dir}. Free space or choose another folder.`, 1);
    }
    throw error;
  } finally {
    forget();
  }
  try {
    moveIntoPlace(temp, dir);
  } catch (error) {
    // The dataset is complete: it stays where it is, and the message says so.
    throw new CliError(`the finished dataset could not be moved to ${dir} (${errorCode(error)}); it is complete in ${temp}: rename that folder yourself.`, 1);
  }
  return { dir, images: keys.length, seconds: (performance.now() - started) / 1000 };
}

function writeDataset(dir: string, world: World, imageSize: number): void {
  const keys = [...imageKeys(world, 'train'), ...imageKeys(world, 'fresh')];
  if (keys.length !== world.persons.length * world.events.length * (1 + world.config.freshPerPair)) {
    throw new Error('internal: image count does not match the world size');
  }
  for (const split of IMAGE_SPLITS) writeFileSync(join(dir, split, 'metadata.jsonl'), imageRows(world, keys, split));
  const requests = requestRecords(world);
  const setRows: Record<string, Record<SetName, number>> = {};
  for (const [name, record] of Object.entries(requests)) {
    if (!('splits' in record)) continue;
    mkdirSync(join(dir, 'requests', name), { recursive: true });
    const files = setFiles(record.splits);
    setRows[name] = Object.fromEntries(SET_NAMES.map((set) => [set, files[set].split('\n').length - 1])) as Record<SetName, number>;
    for (const set of SET_NAMES) if (files[set]) writeFileSync(join(dir, setFilePath(name, set)), files[set]);
  }
  const counts = { train: keys.filter((k) => k.variant === 0).length, fresh: keys.filter((k) => k.variant > 0).length };
  writeFileSync(join(dir, 'README.md'), datasetCard({ world, imageSize, counts, requests, setRows }));
  writeFileSync(join(dir, 'LICENSE'), LICENSE_TEXT);
  writeFileSync(join(dir, 'world.json'), JSON.stringify(worldRecord(world, imageSize), null, 1));
  writeFileSync(join(dir, 'splits.json'), JSON.stringify(splitsJson(requests), null, 1));
}

function worldRecord(world: World, imageSize: number) {
  return { format: 'pebench-world', version: 1, config: world.config, imageSize, persons: world.persons, events: world.events };
}

/** splits.json: the request records (documented field by field in the dataset card). */
const splitsJson = (requests: Record<string, RequestRecord>) => requests;

export const defaultWorkers = (): number => Math.max(1, Math.min(8, availableParallelism()));
