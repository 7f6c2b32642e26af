// Writing results so that a failure never loses them: every file goes to a temporary name in its
// own folder and is renamed into place; a folder is filled under a temporary sibling name (with the
// .pebench-output marker) and renamed at the end; and when the final write fails anyway, the result
// is saved in the working folder or the OS temp folder and the error says where. Not here: the
// checks before a run (output-check.ts), the removal of temporaries on Ctrl-C (interrupt.ts).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CliError } from './args.ts';
import { onInterrupt } from './interrupt.ts';
import { writeMarker } from './output-check.ts';

/** Writes `data` to `path` through `.name.tmp-PID` in the same folder and a rename. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const forget = onInterrupt(() => rmSync(temp, { force: true }));
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    forget();
  }
}

/** The sibling folder a result folder is built in before it is renamed to `dir`. */
export const partialFolder = (dir: string): string => join(dirname(dir), `.${basename(dir)}.partial-${process.pid}`);

/**
 * Builds a new folder `dir`: `fill` writes into a temporary sibling (marked as the tool's), which is
 * renamed to `dir` once complete (an existing `dir`, which the caller has checked may be replaced, is
 * moved aside and removed only then: moveIntoPlace). On failure or Ctrl-C the temporary folder is removed, so nothing
 * half-written is ever left to block a retry.
 */
export async function writeFolderAtomic(dir: string, command: string, fill: (folder: string) => Promise<void> | void): Promise<void> {
  const temp = partialFolder(dir);
  const forget = onInterrupt(() => {
    rmSync(temp, { recursive: true, force: true });
    return `removed the unfinished ${dir} (nothing was left behind)`;
  });
  try {
    rmSync(temp, { recursive: true, force: true });
    mkdirSync(temp);
    writeMarker(temp, command);
    await fill(temp);
    moveIntoPlace(temp, dir);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    forget();
  }
}

/**
 * Renames the finished `temp` to `dir`; an existing `dir` (empty, or written by pebench and allowed
 * by --force) is moved aside first and removed only once the new one is in place.
 */
export function moveIntoPlace(temp: string, dir: string): void {
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

/** Where a result is saved when its own path fails: the working folder, else the OS temp folder. */
export function rescueFolders(): string[] {
  return [process.cwd(), tmpdir()];
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/**
 * Saves `data` as `pebench-<what>-<time><ext>` in the first of `folders` that takes it; returns its
 * path, or null when none did.
 */
export function rescueFile(what: string, ext: string, data: string | Uint8Array, folders = rescueFolders()): string | null {
  for (const folder of folders) {
    const path = join(folder, `pebench-${what}-${stamp()}${ext}`);
    try {
      if (existsSync(path)) continue;
      writeFileAtomic(path, data);
      return path;
    } catch {
      // Try the next folder.
    }
  }
  return null;
}

/** Like rescueFile for a whole folder (e.g. a saved model). */
export async function rescueFolder(what: string, command: string, fill: (folder: string) => Promise<void> | void, folders = rescueFolders()): Promise<string | null> {
  for (const folder of folders) {
    const dir = join(folder, `pebench-${what}-${stamp()}`);
    try {
      await writeFolderAtomic(dir, command, fill);
      return dir;
    } catch {
      // Try the next folder.
    }
  }
  return null;
}

export const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);

/**
 * Writes a finished result (`text`) to `path`. When that fails, the text goes to stdout (unless
 * `printed` already) and to a rescue file, and a CliError (exit 1) names the failure and the rescue.
 */
export function writeResult(flag: string, path: string, text: string, options: { what: string; printed?: boolean; folders?: string[] }): void {
  try {
    writeFileAtomic(path, text);
  } catch (error) {
    if (!options.printed) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(path)?.[0] ?? '.txt';
    const saved = rescueFile(options.what, ext, text, options.folders);
    throw new CliError(
      `could not write ${flag} ${path} (${errorCode(error)}); ${options.printed ? 'the result is printed above' : 'a copy was printed above'}` +
        (saved ? ` and saved to ${saved}` : ', but could not be saved elsewhere (the working and temp folders refused it)') +
        `: free some space or fix ${flag}, and take the result from there.`,
      1,
    );
  }
}
