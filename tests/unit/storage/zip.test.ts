// The ZIP writer and reader (fflate underneath): round trips, deterministic bytes per date in any
// time zone, the system's `unzip -t` accepting our archives and our reader taking the system's
// deflated ones (skipped without /usr/bin/unzip or zip), names and limits refused, and damaged
// archives refused; a damaged file in a model zip is caught by its manifest on load.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { unzipFiles, zipFiles, ZipError } from '../../../src/storage/zip.ts';
import { MemoryFiles, exportModel, loadModel } from '../../../src/model/index.ts';
import { cfg, randomParams, tokenizer } from '../model/fixture.ts';

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
    expect(() => zipFiles(sampleFiles(2), { date: new Date(Date.UTC(1970, 0, 1)) })).toThrow(/1980-2099/);
  });

  it('gives the same bytes in every time zone', () => {
    const script = "import('./src/storage/zip.ts').then((z) => process.stdout.write(Buffer.from(z.zipFiles([['a.txt', new Uint8Array([7])]])).toString('hex')))";
    const run = (tz: string) => execFileSync('npx', ['tsx', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: tz } });
    const here = Buffer.from(zipFiles([['a.txt', new Uint8Array([7])]])).toString('hex');
    expect(run('Pacific/Kiritimati')).toBe(here);
    expect(run('America/Adak')).toBe(here);
  }, 60_000);

  it('reads deflated archives that the system zip writes', ({ skip }) => {
    if (!existsSync('/usr/bin/zip')) skip('/usr/bin/zip is missing: install zip to run this check');
    const dir = mkdtempSync(join(tmpdir(), 'pebench-zip-'));
    try {
      const text = new TextEncoder().encode('a line that repeats\n'.repeat(200));
      writeFileSync(join(dir, 'notes.txt'), text);
      execFileSync('/usr/bin/zip', ['-q', '-9', 'out.zip', 'notes.txt'], { cwd: dir });
      const zip = new Uint8Array(readFileSync(join(dir, 'out.zip')));
      expect(zip.length).toBeLessThan(text.length / 4); // deflated
      expect(unzipFiles(zip).get('notes.txt')).toEqual(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  it('a damaged file in a zipped model folder is refused by its manifest on load, naming the file', async () => {
    const folder = new MemoryFiles('zipped');
    await exportModel(folder, cfg, randomParams(3), tokenizer);
    const zip = zipFiles(folder.files);
    const name = new TextEncoder().encode('onnx/decoder_model_merged.onnx');
    const at = findBytes(zip, name, 0) + name.length + 100;
    zip[at] ^= 0x40;
    const back = new MemoryFiles('unzipped');
    for (const [path, data] of unzipFiles(zip)) back.files.set(path, data);
    await expect(loadModel(back)).rejects.toThrow(/onnx\/decoder_model_merged\.onnx failed its sha256 check/);
  });

  it('refuses truncated and non-zip archives clearly', () => {
    const zip = zipFiles(sampleFiles(5));
    expect(() => unzipFiles(zip.subarray(0, zip.length - 5))).toThrow(ZipError);
    expect(() => unzipFiles(new TextEncoder().encode('hello, not a zip'))).toThrow(/not a readable zip archive/);
    const renamed = zip.slice();
    // Rename the first entry in the central directory to "../x.json": refused before it is read.
    const central = findBytes(renamed, new Uint8Array([0x50, 0x4b, 0x01, 0x02]), 0);
    renamed.set(new TextEncoder().encode('../x.json'), central + 46);
    expect(() => unzipFiles(renamed)).toThrow(/contains '\.\.'/);
  });
});

function findBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  outer: for (let i = from; i <= haystack.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  throw new Error('needle not found');
}
