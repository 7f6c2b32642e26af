// Where a command will write, checked before any work starts: a file path that is not a folder, in an
// existing folder we may write to, with the free space the result needs where the file system says;
// and the folders the tool owns: it leaves a .pebench-output marker in every folder it creates, and
// --force replaces only a marked folder without .git. Not here: the writing itself (safe-write.ts).
import { accessSync, constants, existsSync, lstatSync, readdirSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from './args.ts';

/** The marker file the tool writes into every folder it creates. */
export const OUTPUT_MARKER = '.pebench-output';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** The folder `path`'s parent must exist and be writable (files go through a temporary name there). */
export function checkWritableParent(flag: string, path: string): void {
  const parent = dirname(path);
  let isFolder = false;
  try {
    isFolder = statSync(parent).isDirectory();
  } catch {
    // Missing.
  }
  if (!isFolder) throw new CliError(`${flag} ${path}: its parent folder ${parent} does not exist: create it first, or choose another ${flag}.`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new CliError(`${flag} ${path}: cannot write in ${parent} (permission denied or read-only): choose a folder you can write to.`);
  }
}

/** What checkFreeSpace reads of statfs (a test passes its own). */
export type FreeSpaceReader = (folder: string) => { blocks: number; bavail: number; bsize: number };

/** Refuses when `folder`'s file system reports less free space than `bytes`; silent where it cannot tell. */
export function checkFreeSpace(flag: string, folder: string, bytes: number, statfs: FreeSpaceReader = (path) => statfsSync(path)): void {
  if (!(bytes > 0)) return;
  let free: number;
  try {
    const stats = statfs(folder);
    if (stats.blocks === 0) return; // a pseudo file system (/proc) has no figure to give
    free = stats.bavail * stats.bsize;
  } catch {
    return; // No figure (an unusual file system): the write itself reports a full disk.
  }
  if (free < bytes) {
    throw new CliError(`${flag}: ${folder} has ${mb(free)} free, but this needs about ${mb(bytes)}: free some space or choose another ${flag} (nothing was run).`);
  }
}

/** A result file written at the end of a run: checked now so a long run never ends in a write error. */
export function checkOutputFile(flag: string, path: string, bytesNeeded = 0): void {
  if (existsSync(path)) {
    const stats = statSync(path);
    if (stats.isDirectory()) throw new CliError(`${flag} ${path} is a folder: give a file path, e.g. ${join(path, 'results.md')}.`);
    if (!stats.isFile()) throw new CliError(`${flag} ${path} is not a plain file (a pipe or a device): give the path of a file to write.`);
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new CliError(`${flag} ${path} is read-only: choose another ${flag} or make it writable.`);
    }
  }
  checkWritableParent(flag, path);
  checkFreeSpace(flag, dirname(path), bytesNeeded);
}

/** A folder that must not exist yet (unlearn --save): in a writable parent with room for `bytesNeeded`. */
export function checkNewFolder(flag: string, path: string, bytesNeeded = 0): void {
  if (existsSync(path) || isSymlink(path)) throw new CliError(`${flag} ${path} already exists: choose a new folder (nothing is overwritten).`);
  checkWritableParent(flag, path);
  checkFreeSpace(flag, dirname(path), bytesNeeded);
}

const isSymlink = (path: string): boolean => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

/** Whether `dir` is a folder this tool created (it holds the marker file). */
export function isOwnedFolder(dir: string): boolean {
  try {
    return lstatSync(join(dir, OUTPUT_MARKER)).isFile();
  } catch {
    return false;
  }
}

export function writeMarker(dir: string, command: string): void {
  writeFileSync(join(dir, OUTPUT_MARKER), `${JSON.stringify({ writtenBy: `pebench ${command}`, note: 'pebench --force replaces only folders that hold this file' })}\n`);
}

/**
 * What an output folder is: 'new' (absent or empty: write into it) or 'owned' (non-empty, written by
 * this tool: the caller decides whether --force may replace it or a run resumes in it). Anything else
 * is a CliError saying why and what to do: --force never touches a folder with .git or foreign files.
 */
export function checkReplaceableFolder(flag: string, dir: string): 'new' | 'owned' {
  if (isSymlink(dir)) throw new CliError(`${flag} ${dir} is a symbolic link: give the real folder's path.`);
  if (!existsSync(dir)) return 'new';
  if (!statSync(dir).isDirectory()) throw new CliError(`${flag} ${dir} exists and is a file: choose a folder path.`);
  if (readdirSync(dir).length === 0) return 'new';
  if (existsSync(join(dir, '.git'))) {
    throw new CliError(`${flag} ${dir} holds a git repository (.git): pebench never writes over it, even with --force; choose another folder.`);
  }
  if (!isOwnedFolder(dir)) {
    throw new CliError(`${flag} ${dir} holds files pebench did not write (no ${OUTPUT_MARKER} marker): it is never replaced, even with --force; choose another folder, or empty it yourself.`);
  }
  return 'owned';
}
