// ZIP archives through fflate (a small, well-kept library): the lab's model download is written
// store-only (level 0: float32 weights gain little from deflate, measured by scripts/bench-zip.ts),
// with a fixed timestamp so a given date gives the same bytes in every time zone, UTF-8 names, and
// names checked so no entry can escape the folder it is extracted into. The reader (fflate's
// unzipSync, which also reads deflated and ZIP64 archives made by other tools) refuses unsafe or
// duplicate names. fflate does not check CRC-32 on reading: a model folder's manifest.json (sha256
// of every file) catches damaged files when the folder is loaded.
// Not here: encryption, directory entries, or what goes into an archive (src/worker/lab-export.ts).
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** What went wrong with an archive being written or read; the message names the file when there is one. */
export class ZipError extends Error {
  override name = 'ZipError';
  constructor(message: string, readonly file?: string) {
    super(message);
  }
}

/** 0xFFFF and 0xFFFFFFFF mean "see the ZIP64 record", so the largest plain values are one less. */
export const MAX_ENTRIES = 0xfffe;
/** 2026-01-01 00:00:00 UTC: the default timestamp, so that exports are reproducible. */
export const DEFAULT_ZIP_DATE = new Date(Date.UTC(2026, 0, 1));

/** Refuses names that could escape the folder they are extracted into or that other tools read differently. */
export function checkZipName(name: string): void {
  const bad = (why: string): never => {
    throw new ZipError(`zip entry name ${JSON.stringify(name)} ${why}: use a relative path with '/' separators`, name);
  };
  if (name.length === 0) bad('is empty');
  if (name.includes('\\')) bad('contains a backslash');
  if (name.includes('\0')) bad('contains a NUL character');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) bad('is absolute');
  const parts = name.split('/');
  if (parts.includes('..')) bad("contains '..'");
  if (parts.some((p) => p === '' || p === '.')) bad("has an empty or '.' path segment (or is a directory)");
  if (/^\d+$/.test(name)) bad('is a bare number (entries keep their order only with other names)');
}

/**
 * fflate writes DOS timestamps from a Date's local-time fields: this Date has, in local time, the
 * fields `date` has in UTC, so the archive holds the UTC time wherever it is written.
 */
function localFieldsOf(date: Date): Date {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 1980 || year > 2099) {
    throw new ZipError(`zip date ${String(date)} is outside 1980-2099, which ZIP timestamps (as written here) cannot hold: pass another date`);
  }
  return new Date(year, date.getUTCMonth(), date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}

/** A store-only ZIP of `files` in the given order (names checked, no duplicates). */
export function zipFiles(files: ReadonlyMap<string, Uint8Array> | readonly (readonly [string, Uint8Array])[], options: { date?: Date } = {}): Uint8Array {
  const entries = [...files];
  if (entries.length > MAX_ENTRIES) throw new ZipError(`a zip without ZIP64 holds at most ${MAX_ENTRIES} files, not ${entries.length}: split the export`);
  const mtime = localFieldsOf(options.date ?? DEFAULT_ZIP_DATE);
  const zippable: Zippable = {};
  for (const [name, data] of entries) {
    checkZipName(name);
    if (Object.hasOwn(zippable, name)) throw new ZipError(`zip entry name ${JSON.stringify(name)} appears twice: each file needs its own path`, name);
    if (!(data instanceof Uint8Array)) throw new ZipError(`zip entry ${name} is not a Uint8Array`, name);
    // Unix "made by" with mode rw-r--r-- (attrs' high 16 bits), as unzip expects of a plain file.
    zippable[name] = [data, { level: 0, mtime, os: 3, attrs: 0o100644 << 16 }];
  }
  try {
    return zipSync(zippable);
  } catch (error) {
    throw new ZipError(`could not write the zip (${(error as Error).message}): split the export or check the file names`);
  }
}

/** Reads a ZIP (stored or deflated, as the lab or other tools write it), refusing unsafe or duplicate names; files by name, in order. */
export function unzipFiles(archive: Uint8Array): Map<string, Uint8Array> {
  const seen = new Set<string>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(archive, {
      filter: ({ name }) => {
        checkZipName(name);
        if (seen.has(name)) throw new ZipError(`zip entry ${name}: appears twice in the archive`, name);
        seen.add(name);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ZipError) throw error;
    throw new ZipError(`this is not a readable zip archive, or it is truncated or damaged (${(error as Error).message})`);
  }
  return new Map([...seen].map((name) => [name, files[name]]));
}
