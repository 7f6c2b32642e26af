// Store-only (method 0) ZIP archives, written and read by hand: CRC-32, local headers, central
// directory, end record; UTF-8 names (flag bit 11); DOS timestamps in UTC so that a given date gives
// the same bytes everywhere. Used to export a model folder and read our own archives back.
// Not here: compression, ZIP64 (over 4 GiB or 65,534 entries), encryption, directory entries, or
// reading archives made by other tools that use any of those (they are refused with a clear error).

/** What went wrong with an archive being written or read; the message names the file when there is one. */
export class ZipError extends Error {
  override name = 'ZipError';
  constructor(message: string, readonly file?: string) {
    super(message);
  }
}

// ---- CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), one table lookup per byte ----

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 of `bytes`; pass a previous result as `crc` to continue over more data. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

// ---- layout constants ----

const LOCAL_SIG = 0x04034b50;
const CENTRAL_SIG = 0x02014b50;
const END_SIG = 0x06054b50;
const LOCAL_SIZE = 30; // local header without name
const CENTRAL_SIZE = 46; // central header without name
const END_SIZE = 22; // end record without comment
const VERSION = 10; // 1.0: stored files need nothing newer
const MADE_BY = (3 << 8) | 20; // Unix, 2.0: so the external attributes below are read as a Unix mode
const FILE_MODE = 0o100644 << 16; // regular file, rw-r--r--
const FLAG_UTF8 = 0x0800;
/** 0xFFFF and 0xFFFFFFFF mean "see the ZIP64 record", so the largest plain values are one less. */
export const MAX_ENTRIES = 0xfffe;
export const MAX_ARCHIVE_BYTES = 0xfffffffe;
/** 2026-01-01 00:00:00 UTC: the default timestamp, so that exports are reproducible. */
export const DEFAULT_ZIP_DATE = new Date(Date.UTC(2026, 0, 1));

const utf8 = new TextEncoder();

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
}

function dosDateTime(date: Date): { time: number; day: number } {
  const year = date.getUTCFullYear();
  if (!Number.isFinite(date.getTime()) || year < 1980 || year > 2107) {
    throw new ZipError(`zip date ${String(date)} is outside 1980-2107, which ZIP timestamps cannot hold: pass another date`);
  }
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const day = ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  return { time, day };
}

/** A store-only ZIP of `files` in the given order (names checked, no duplicates). */
export function zipFiles(files: ReadonlyMap<string, Uint8Array> | readonly (readonly [string, Uint8Array])[], options: { date?: Date } = {}): Uint8Array {
  const entries = [...files];
  if (entries.length > MAX_ENTRIES) throw new ZipError(`a zip without ZIP64 holds at most ${MAX_ENTRIES} files, not ${entries.length}: split the export`);
  const { time, day } = dosDateTime(options.date ?? DEFAULT_ZIP_DATE);
  const seen = new Set<string>();
  const prepared = entries.map(([name, data]) => {
    checkZipName(name);
    if (seen.has(name)) throw new ZipError(`zip entry name ${JSON.stringify(name)} appears twice: each file needs its own path`, name);
    seen.add(name);
    const nameBytes = utf8.encode(name);
    if (nameBytes.length > 0xffff) throw new ZipError(`zip entry name ${name.slice(0, 40)}... is longer than 65535 bytes`, name);
    if (!(data instanceof Uint8Array)) throw new ZipError(`zip entry ${name} is not a Uint8Array`, name);
    return { name, nameBytes, data, crc: crc32(data), offset: 0 };
  });
  let localBytes = 0;
  let centralBytes = 0;
  for (const e of prepared) {
    localBytes += LOCAL_SIZE + e.nameBytes.length + e.data.length;
    centralBytes += CENTRAL_SIZE + e.nameBytes.length;
  }
  const total = localBytes + centralBytes + END_SIZE;
  if (total > MAX_ARCHIVE_BYTES) throw new ZipError(`this archive would be ${total} bytes; a zip without ZIP64 holds at most ${MAX_ARCHIVE_BYTES}: split the export`);

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  const u16 = (v: number) => { view.setUint16(at, v, true); at += 2; };
  const u32 = (v: number) => { view.setUint32(at, v >>> 0, true); at += 4; };
  const bytes = (b: Uint8Array) => { out.set(b, at); at += b.length; };
  // Fields shared by the local and the central header, from "version needed" to "extra length".
  const common = (e: (typeof prepared)[number]) => {
    u16(VERSION); u16(FLAG_UTF8); u16(0); u16(time); u16(day);
    u32(e.crc); u32(e.data.length); u32(e.data.length); u16(e.nameBytes.length); u16(0);
  };
  for (const e of prepared) {
    e.offset = at;
    u32(LOCAL_SIG); common(e); bytes(e.nameBytes); bytes(e.data);
  }
  const centralStart = at;
  for (const e of prepared) {
    u32(CENTRAL_SIG); u16(MADE_BY); common(e);
    u16(0); u16(0); u16(0); u32(FILE_MODE); u32(e.offset); // comment length, disk, internal and external attributes
    bytes(e.nameBytes);
  }
  const centralLength = at - centralStart;
  u32(END_SIG); u16(0); u16(0); u16(prepared.length); u16(prepared.length); // disk, directory's disk, entries here, entries
  u32(centralLength); u32(centralStart); u16(0); // comment length
  return out;
}

/** Reads a store-only ZIP (as zipFiles writes), checking structure, names and every CRC; files by name. */
export function unzipFiles(archive: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(archive.buffer, archive.byteOffset, archive.byteLength);
  const size = archive.byteLength;
  const fail = (message: string, file?: string): never => {
    throw new ZipError(`${file ? `zip entry ${file}: ` : ''}${message}`, file);
  };
  // The end record sits in the last 22 + (comment length <= 65535) bytes.
  let end = -1;
  for (let i = size - END_SIZE; i >= Math.max(0, size - END_SIZE - 0xffff); i--) {
    if (view.getUint32(i, true) === END_SIG && i + END_SIZE + view.getUint16(i + 20, true) === size) { end = i; break; }
  }
  if (end < 0) fail(`this is not a zip archive (no end-of-central-directory record in its ${size} bytes), or it is truncated`);
  const count = view.getUint16(end + 10, true);
  const centralSize = view.getUint32(end + 12, true);
  const centralStart = view.getUint32(end + 16, true);
  if (count === 0xffff || centralSize === 0xffffffff || centralStart === 0xffffffff) fail('this archive uses ZIP64, which this reader does not support');
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0 || view.getUint16(end + 8, true) !== count) {
    fail('this archive spans several disks, which this reader does not support');
  }
  if (centralStart + centralSize !== end) fail(`the central directory (${centralSize} bytes at ${centralStart}) does not end where the end record starts (${end}): the archive is damaged`);

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const files = new Map<string, Uint8Array>();
  let at = centralStart;
  for (let n = 0; n < count; n++) {
    if (at + CENTRAL_SIZE > end || view.getUint32(at, true) !== CENTRAL_SIG) fail(`central directory entry ${n + 1} of ${count} is missing or damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const stored = view.getUint32(at + 20, true);
    const length = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = view.getUint16(at + 30, true) + view.getUint16(at + 32, true); // extra + comment
    const offset = view.getUint32(at + 42, true);
    if (at + CENTRAL_SIZE + nameLength + skip > end) fail(`central directory entry ${n + 1} of ${count} runs past the directory`);
    let name = '';
    try {
      name = decoder.decode(archive.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength));
    } catch {
      fail(`central directory entry ${n + 1} has a name that is not valid UTF-8`);
    }
    at += CENTRAL_SIZE + nameLength + skip;
    checkZipName(name);
    if (files.has(name)) fail('appears twice in the archive', name);
    if (flags & 0x0001) fail('is encrypted, which this reader does not support', name);
    if (method !== 0 || stored !== length) fail(`is compressed (method ${method}); this reader reads store-only archives such as the lab's exports`, name);
    if (offset + LOCAL_SIZE > centralStart || view.getUint32(offset, true) !== LOCAL_SIG) fail(`its local header (at byte ${offset}) is missing or damaged`, name);
    const localNameLength = view.getUint16(offset + 26, true);
    const dataStart = offset + LOCAL_SIZE + localNameLength + view.getUint16(offset + 28, true);
    if (view.getUint16(offset + 8, true) !== 0 || localNameLength !== nameLength) fail('its local header disagrees with the central directory', name);
    if (dataStart + length > centralStart) fail(`its ${length} bytes run past the end of the file data: the archive is truncated or damaged`, name);
    const data = archive.slice(dataStart, dataStart + length);
    const actual = crc32(data);
    if (actual !== crc) fail(`CRC-32 mismatch (stored ${hex(crc)}, computed ${hex(actual)}): the archive is damaged`, name);
    files.set(name, data);
  }
  if (at !== end) fail(`the central directory holds ${end - at} bytes after its ${count} entries: the archive is damaged`);
  return files;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
