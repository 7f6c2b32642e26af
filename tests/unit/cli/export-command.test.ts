// `pebench export --format pytorch` as a user runs it: on a model folder like `unlearn --save` writes
// (manifest meta kind 'unlearned'), it writes the PyTorch folder with its marker and nothing else
// behind; bad input is one line and exit 2 with nothing written; --force replaces only its own output.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModel } from '../../../src/model/export.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { decodeSafetensors } from '../../../src/model/safetensors.ts';
import { cfg, randomParams, tokenizer } from '../model/fixture.ts';
import { runPebench } from './pebench-process.ts';

let root: string;
let model: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-export-'));
  model = join(root, 'unlearned');
  await exportModel(new FolderFiles(model), cfg, randomParams(2), tokenizer, { kind: 'unlearned', from: 'f'.repeat(64), unlearning: { method: 'ga' } });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pebench export', () => {
  it('writes the PyTorch folder of an unlearned model', async () => {
    const out = join(root, 'torch');
    const result = await runPebench(['export', '--model', model, '--format', 'pytorch', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote 13 files .* to .*torch\nload it in Python: AutoModelForImageTextToText\.from_pretrained\(/);
    expect(readdirSync(out).sort()).toContain('model.safetensors');
    expect(existsSync(join(out, '.pebench-output'))).toBe(true);
    const tensors = decodeSafetensors(new Uint8Array(readFileSync(join(out, 'model.safetensors')))).tensors;
    expect(tensors.get('language_model.model.norm.weight')?.shape).toEqual([cfg.decoder.width]);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toMatch(/an unlearned PE-Tiny/);
    expect(readdirSync(root).filter((n) => n.includes('.partial-') || n.includes('.old-'))).toEqual([]);
  });

  it('refuses bad input with one line and writes nothing', async () => {
    const out = join(root, 'never');
    for (const [args, pattern] of [
      [['--format', 'onnx', '--out', out], /unknown --format "onnx". Valid formats: pytorch/],
      [['--format', 'pytorch'], /--out OUT is required/],
      [['--model', join(root, 'missing'), '--out', out], /model folder .*missing does not exist/],
    ] as const) {
      const result = await runPebench(['export', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(pattern);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('replaces only its own output, and only with --force', async () => {
    const foreign = join(root, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    const refused = await runPebench(['export', '--model', model, '--out', foreign, '--force']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds files pebench did not write/);
    expect(readdirSync(foreign)).toEqual(['keep.txt']);
    const out = join(root, 'torch');
    expect((await runPebench(['export', '--model', model, '--out', out])).stderr).toMatch(/pass --force to replace it/);
    expect((await runPebench(['export', '--model', model, '--out', out, '--force'])).code).toBe(0);
    expect(readdirSync(root).filter((n) => n.includes('.partial-') || n.includes('.old-'))).toEqual([]);
  });
});
