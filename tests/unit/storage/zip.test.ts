// The store-only ZIP writer and reader: CRC-32 against Node's zlib on random data, round trips,
// deterministic bytes per date, the system's `unzip -t` accepting our archives (skipped without
// /usr/bin/unzip), names and limits refused, and damaged archives refused with the file named.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { crc32, unzipFiles, zipFiles, ZipError } from '../../../src/storage/zip.ts';

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

function sampleFiles(seed: number): Map<string, Uint8Array> {
  const rng = new Rng(seed);
  return new Map([
    ['config.json', new TextEncoder().encode('{"model_type":"llava"}')],
    ['onnx/decoder_model_merged.onnx', randomBytes(rng, 5000)],
    ['onnx/empty.bin', new Uint8Array(0)],
    ['naïve/ümlaut €.txt', randomBytes(rng, 33)],
  ]);
}

describe('crc32', () => {
  it('matches zlib.crc32 on random data of many lengths, also when continued', () => {
    const rng = new Rng(7);
    for (const n of [0, 1, 2, 3, 7, 64, 255, 1000, 65_537]) {
      const data = randomBytes(rng, n);
      expect(crc32(data)).toBe(zlibCrc32(data));
      const cut = Math.floor(n / 3);
      expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(zlibCrc32(data));
    }
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926); // the standard check value
  });
});

describe('zipFiles / unzipFiles', () => {
  it('round-trips every file byte for byte, in order', () => {
    const files = sampleFiles(1);
    const back = unzipFiles(zipFiles(files));
    expect([...back.keys()]).toEqual([...files.keys()]);
    for (const [name, data] of files) expect(back.get(name)).toEqual(data);
  });

  it('accepts an array of pairs and reads archives that sit inside a larger buffer', () => {
    const zip = zipFiles([['a.txt', new Uint8Array([1, 2, 3])]]);
    const padded = new Uint8Array(zip.length + 10);
    padded.set(zip, 5);
    expect(unzipFiles(padded.subarray(5, 5 + zip.length)).get('a.txt')).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('is deterministic for a date, and the date changes the bytes', () => {
    const a = zipFiles(sampleFiles(2));
    expect(zipFiles(sampleFiles(2))).toEqual(a);
    const later = zipFiles(sampleFiles(2), { date: new Date(Date.UTC(2030, 5, 15, 12, 30, 10)) });
    expect(later).not.toEqual(a);
    expect(later.length).toBe(a.length);
    expect(() => zipFiles(sampleFiles(2), { date: new Date(Date.UTC(1970, 0, 1)) })).toThrow(/1980-2107/);
  });

  it('writes archives that the system unzip tests and lists as written', ({ skip }) => {
    if (!existsSync('/usr/bin/unzip')) skip('/usr/bin/unzip is missing: install unzip to run this check');
    const dir = mkdtempSync(join(tmpdir(), 'pebench-zip-'));
    try {
      const path = join(dir, 'model.zip');
      writeFileSync(path, zipFiles(sampleFiles(3), { date: new Date(Date.UTC(2026, 2, 4, 5, 6, 8)) }));
      const test = execFileSync('/usr/bin/unzip', ['-t', path], { encoding: 'utf8' });
      expect(test).toMatch(/No errors detected/);
      const env = { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' };
      const list = execFileSync('/usr/bin/unzip', ['-Z1', path], { encoding: 'utf8', env }).trim().split('\n');
      expect(list).toEqual([...sampleFiles(3).keys()]);
      const listing = execFileSync('/usr/bin/unzip', ['-Z', '-T', path], { encoding: 'utf8', env });
      expect(listing.match(/20260304\.050608/g)).toHaveLength(4); // zipinfo's decimal date-time, each file
      expect(listing).toMatch(/-rw-r--r--/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unsafe or duplicate names with what to do', () => {
    const one = new Uint8Array(1);
    for (const name of ['/etc/passwd', 'C:/x', '../up.txt', 'a/../../b', 'a\\b', '', 'dir/', 'a//b', './a']) {
      expect(() => zipFiles([[name, one]]), name).toThrow(ZipError);
    }
    expect(() => zipFiles([['a..b.txt', one]])).not.toThrow();
    expect(() => zipFiles([['x', one], ['x', one]])).toThrow(/appears twice/);
  });

  it('refuses more entries than a plain zip can hold', () => {
    const many: [string, Uint8Array][] = [];
    const empty = new Uint8Array(0);
    for (let i = 0; i < 0xffff; i++) many.push([`f${i}`, empty]);
    expect(() => zipFiles(many)).toThrow(/at most 65534 files/);
  });

  it('names the damaged file on a CRC mismatch', () => {
    const zip = zipFiles(sampleFiles(4));
    // Flip one byte inside the decoder's data: its local header is the second one.
    const name = new TextEncoder().encode('onnx/decoder_model_merged.onnx');
    const at = findBytes(zip, name, 0) + name.length + 100;
    zip[at] ^= 0x40;
    expect(() => unzipFiles(zip)).toThrow(/onnx\/decoder_model_merged\.onnx: CRC-32 mismatch/);
  });

  it('refuses truncated, non-zip and compressed archives clearly', () => {
    const zip = zipFiles(sampleFiles(5));
    expect(() => unzipFiles(zip.subarray(0, zip.length - 5))).toThrow(/not a zip archive|truncated/);
    expect(() => unzipFiles(new TextEncoder().encode('hello, not a zip'))).toThrow(/not a zip archive/);
    const deflated = zip.slice();
    // Central header of the first entry: method field at +10.
    const central = findBytes(deflated, new Uint8Array([0x50, 0x4b, 0x01, 0x02]), 0);
    deflated[central + 10] = 8;
    expect(() => unzipFiles(deflated)).toThrow(/config\.json: is compressed \(method 8\)/);
    const moved = zip.slice();
    moved[zip.length - 22 + 16] ^= 1; // central directory offset in the end record
    expect(() => unzipFiles(moved)).toThrow(/damaged/);
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}
