// `pebench world`: the export is deterministic, complete, and refuses bad input without leaving
// anything half-written behind; --force replaces only a folder pebench wrote.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPebench } from './pebench-process.ts';

const bin = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pebench-world-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tiny = ['--persons', '3', '--events', '2', '--fresh', '1', '--workers', '2'];

// The command runs as a real child process (as a user would run it): worker threads inside
// vitest's own workers do not get tsx's loader.
const run = (args: string[]) => runPebench(args, 120_000);

function hashTree(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, name.name);
      if (name.isDirectory()) walk(path);
      else hash.update(name.name).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

describe('pebench world', () => {
  it('writes a Hugging Face dataset (train and fresh apart, RGB) that is byte-identical for the same seed', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    expect((await run(['world', '--seed', '5', ...tiny, '--out', a])).code).toBe(0);
    expect((await run(['world', '--seed', '5', ...tiny, '--out', b])).code).toBe(0);
    expect(hashTree(a)).toEqual(hashTree(b));

    const rowsOf = (split: string) => readFileSync(join(a, split, 'metadata.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const train = rowsOf('train');
    const fresh = rowsOf('fresh');
    expect(train).toHaveLength(6);
    expect(fresh).toHaveLength(6);
    expect(train.every((r) => r.kind === 'train' && r.variant === 0)).toBe(true);
    expect(fresh.every((r) => r.kind === 'fresh' && r.variant > 0)).toBe(true);
    for (const [split, rows] of [['train', train], ['fresh', fresh]] as const) {
      for (const row of rows) {
        expect(existsSync(join(a, split, row.file_name))).toBe(true);
        expect(row.qa.length).toBeGreaterThan(3);
        expect(row.qa.some((q: { type: string }) => q.type === 'identity')).toBe(true);
        for (const q of row.qa) expect(q.answer_normalized).toBe(q.answer_normalized.toLowerCase());
      }
    }
    const png = readFileSync(join(a, 'train', train[0].file_name));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png[25]).toBe(2); // IHDR colour type 2: RGB, no alpha
    expect(readFileSync(join(a, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    const world = JSON.parse(readFileSync(join(a, 'world.json'), 'utf8'));
    expect(world.persons).toHaveLength(3);
    expect(world.events).toHaveLength(2);
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('different seeds give different datasets', async () => {
    const c = join(root, 'c');
    expect((await run(['world', '--seed', '6', ...tiny, '--out', c])).code).toBe(0);
    expect(hashTree(c)).not.toEqual(hashTree(join(root, 'a')));
  });

  it('refuses a non-empty folder unless --force, and --force replaces only a folder pebench wrote', async () => {
    const d = join(root, 'd');
    mkdirSync(d);
    writeFileSync(join(d, 'keep.txt'), 'mine');
    for (const force of [[], ['--force']]) {
      const refused = await run(['world', ...tiny, '--out', d, ...force]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/holds files pebench did not write \(no \.pebench-output marker\): it is never replaced, even with --force/);
    }
    expect(readdirSync(d)).toEqual(['keep.txt']);
    // `a` was written by pebench (it holds the marker): refused without --force, replaced with it.
    const a = join(root, 'a');
    expect(existsSync(join(a, '.pebench-output'))).toBe(true);
    const before = hashTree(a);
    expect((await run(['world', '--seed', '9', ...tiny, '--out', a])).stderr).toMatch(/not empty.*pass --force to replace it/);
    expect((await run(['world', '--seed', '9', ...tiny, '--out', a, '--force'])).code).toBe(0);
    expect(hashTree(a)).not.toEqual(before);
    expect(readdirSync(root).filter((n) => n.includes('.old-') || n.includes('.partial-'))).toEqual([]);
  });

  it('explains bad sizes, seeds and flags', async () => {
    const out = join(root, 'bad');
    for (const [args, pattern] of [
      [['--seed', '-1'], /seed/],
      [['--seed', 'abc'], /--seed must be an integer/],
      [['--persons', '100000'], /persons/],
      [['--events', '41'], /events/],
      [['--size', '3'], /--size/],
      [['--colour', 'red'], /unknown option --colour/],
      [[], /--out DIR is required/],
    ] as const) {
      const result = await run(['world', ...args, ...(args.length ? ['--out', out] : [])]);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(pattern);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('reports a folder it cannot write to', async () => {
    // /proc refuses new entries even to root, so this holds whoever runs the tests.
    const result = await run(['world', ...tiny, '--out', '/proc/pebench-world-test']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot write/);
  });

  it('prints help for the command', async () => {
    const result = await run(['world', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--out/);
  });
});
