// Writes a world as a dataset in the Hugging Face `imagefolder` layout: images/*.png,
// metadata.jsonl (one row per image with its question-answer pairs), world.json and splits.json.
// Everything goes to a sibling temp folder first and is renamed into place at the end, so a failed
// or interrupted export never leaves a half-written dataset behind.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, accessSync, constants } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createWorld, imageKeys } from '../world/world.ts';
import { questionsFor } from '../world/qa.ts';
import { DEFAULT_REQUESTS, makeSplits, requestProblem } from '../world/splits.ts';
import type { ImageKey, World, WorldConfig } from '../world/types.ts';
import { CliError } from './args.ts';
import { runShards, shard } from './pool.ts';
import { ProgressBar } from './progress.ts';
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

export async function exportWorld(config: Partial<WorldConfig>, options: ExportOptions): Promise<ExportSummary> {
  const started = performance.now();
  const world = createWorld(config);
  const dir = resolve(options.out);
  checkDestination(dir, options.force);
  const temp = join(dirname(dir), `.${basename(dir)}.partial-${process.pid}`);
  try {
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    mkdirSync(join(temp, 'images'));
  } catch (error) {
    throw new CliError(`cannot write in ${dirname(dir)} (${(error as NodeJS.ErrnoException).code ?? error}); choose a folder you can write to.`);
  }
  const onSignal = () => {
    rmSync(temp, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    const keys = [...imageKeys(world, 'train'), ...imageKeys(world, 'fresh')];
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
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    renameSync(temp, dir);
    return { dir, images: keys.length, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS' || code === 'EDQUOT') {
      throw new CliError(`writing the dataset failed (${code}: ${(error as Error).message}); nothing was left in ${dir}. Free space or choose another folder.`);
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

function checkDestination(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new CliError(`--out ${dir} exists and is a file; choose a folder path.`);
    if (readdirSync(dir).length > 0 && !force) {
      throw new CliError(`--out ${dir} exists and is not empty; choose another folder or pass --force to replace it.`);
    }
  }
  const parent = dirname(dir);
  if (!existsSync(parent)) throw new CliError(`the parent folder ${parent} does not exist; create it first.`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new CliError(`cannot write in ${parent} (permission denied); choose a folder you can write to.`);
  }
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
