// Writes a world as a dataset in the Hugging Face `imagefolder` layout: images/*.png,
// metadata.jsonl (one row per image with its question-answer pairs), world.json and splits.json.
// Everything goes to a sibling temp folder first (marked .pebench-output) and is renamed into place
// at the end, so a failed or interrupted export never leaves a half-written dataset behind; --force
// replaces only a folder pebench wrote (output-check.ts).
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createWorld, imageKeys } from '../world/world.ts';
import { questionsFor } from '../world/qa.ts';
import { DEFAULT_REQUESTS, makeSplits, requestProblem } from '../world/splits.ts';
import type { ImageKey, World, WorldConfig } from '../world/types.ts';
import { CliError } from './args.ts';
import { onInterrupt } from './interrupt.ts';
import { checkFreeSpace, checkReplaceableFolder, checkWritableParent, writeMarker } from './output-check.ts';
import { runShards, shard } from './pool.ts';
import { ProgressBar } from './progress.ts';
import { errorCode, partialFolder } from './safe-write.ts';
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

export function imageFileName(key: ImageKey): string {
  const p = String(key.personId).padStart(3, '0');
  const e = String(key.eventId).padStart(2, '0');
  return `images/p${p}-e${e}-v${key.variant}.png`;
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
      mkdirSync(join(temp, 'images'));
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
    writeFileSync(join(temp, 'metadata.jsonl'), metadataLines(world, keys));
    writeFileSync(join(temp, 'world.json'), JSON.stringify(worldRecord(world, options.size), null, 1));
    writeFileSync(join(temp, 'splits.json'), JSON.stringify(splitsRecord(world), null, 1));
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

/**
 * Renames the finished `temp` to `dir`; an existing `dir` (empty, or written by pebench and allowed
 * by --force) is moved aside first and removed only once the new one is in place.
 */
function moveIntoPlace(temp: string, dir: string): void {
  const old = join(dirname(dir), `.${basename(dir)}.old-${process.pid}`);
  let movedAside = false;
  try {
    renameSync(dir, old);
    movedAside = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    renameSync(temp, dir);
  } catch (error) {
    if (movedAside) renameSync(old, dir);
    throw error;
  }
  if (movedAside) rmSync(old, { recursive: true, force: true });
}

function metadataLines(world: World, keys: ImageKey[]): string {
  const fresh = world.config.freshPerPair;
  const rows = keys.map((key) =>
    JSON.stringify({
      file_name: imageFileName(key),
      person_id: key.personId,
      event_id: key.eventId,
      variant: key.variant,
      kind: key.variant === 0 ? 'train' : 'fresh',
      qa: questionsFor(world, key),
    }),
  );
  if (rows.length !== world.persons.length * world.events.length * (1 + fresh)) {
    throw new Error('internal: image count does not match the world size');
  }
  return rows.join('\n') + '\n';
}

function worldRecord(world: World, imageSize: number) {
  return { format: 'pebench-world', version: 1, config: world.config, imageSize, persons: world.persons, events: world.events };
}

/** The default forget requests; one that does not fit a small world is recorded with the reason. */
function splitsRecord(world: World) {
  return Object.fromEntries(
    Object.entries(DEFAULT_REQUESTS).map(([name, request]) => {
      const problem = requestProblem(world, request);
      return [name, problem ? { request, unavailable: problem } : { request, splits: makeSplits(world, request) }];
    }),
  );
}

export const defaultWorkers = (): number => Math.max(1, Math.min(8, availableParallelism()));
