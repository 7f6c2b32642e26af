// Work is never lost at the end of a run and --force never deletes what pebench did not write:
// outputs are checked before the run (a folder where a file is wanted, a missing parent, a pipe,
// too little free space), results go through a temporary name, a late write failure prints the
// result and saves it elsewhere saying where, a failed folder leaves nothing half-written, and
// --force refuses folders with .git or without the .pebench-output marker. In-process, no runtime.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mainInProcess } from './in-process.ts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../../src/cli/args.ts';
import { OUTPUT_MARKER, checkFreeSpace, checkOutputFile, checkReplaceableFolder } from '../../../src/cli/output-check.ts';
import { writeFolderAtomic, writeResult } from '../../../src/cli/safe-write.ts';
import { prepareTrainOutput, writeFinalModel } from '../../../src/cli/train-output.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pebench-output-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

const refused = mainInProcess;

describe('outputs checked before the work starts', () => {
  it('refuses a folder, a pipe or a missing parent where a result file goes', () => {
    const folder = join(root, 'a-folder');
    mkdirSync(folder);
    expect(message(() => checkOutputFile('--out', folder))).toMatch(`--out ${folder} is a folder: give a file path`);
    const fifo = join(root, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    expect(message(() => checkOutputFile('--out', fifo))).toMatch('is not a plain file (a pipe or a device)');
    expect(message(() => checkOutputFile('--details', join(root, 'missing', 'x.json')))).toMatch(`its parent folder ${join(root, 'missing')} does not exist`);
  });

  it('refuses a disk without room for the result, and stays silent where the size is unknown', () => {
    const full = () => ({ blocks: 1000, bavail: 2, bsize: 4096 });
    expect(message(() => checkFreeSpace('--save', root, 17e6, full))).toBe(`--save: ${root} has 0.0 MB free, but this needs about 17 MB: free some space or choose another --save (nothing was run).`);
    const pseudo = () => ({ blocks: 0, bavail: 0, bsize: 4096 });
    expect(() => checkFreeSpace('--save', root, 17e6, pseudo)).not.toThrow();
  });

  it('pebench bench refuses an --out folder before any model or runtime is opened', async () => {
    const result = await refused(['bench', '--model', join(root, 'no-model'), '--out', root]);
    expect(result.code).toBe(2);
    expect(result.message).toBe(`pebench bench: --out ${root} is a folder: give a file path, e.g. ${join(root, 'results.md')}.`);
  });
});

describe('a late write failure loses nothing', () => {
  it('prints the result and saves it elsewhere, saying where, when the file cannot be written', () => {
    const target = join(root, 'tables.md');
    checkOutputFile('--out', target); // fine when checked...
    mkdirSync(target); // ...but by the end of the run a folder stands in its place
    const rescue = join(root, 'rescue');
    mkdirSync(rescue);
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (printed.push(String(chunk)), true));
    let error: CliError | undefined;
    try {
      writeResult('--out', target, '| table |\n', { what: 'bench-tables', folders: [join(root, 'not-there'), rescue] });
    } catch (caught) {
      error = caught as CliError;
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('')).toBe('| table |\n');
    const [saved] = readdirSync(rescue);
    expect(saved).toMatch(/^pebench-bench-tables-.*\.md$/);
    expect(readFileSync(join(rescue, saved), 'utf8')).toBe('| table |\n');
    expect(error?.exitCode).toBe(1);
    expect(error?.message).toMatch(`could not write --out ${target} (EISDIR); a copy was printed above and saved to ${join(rescue, saved)}`);
    expect(readdirSync(root).filter((name) => name.includes('.tmp-'))).toEqual([]);
  });

  it('a folder that fails half-way leaves nothing behind to block a retry', async () => {
    const dir = join(root, 'saved-model');
    await expect(writeFolderAtomic(dir, 'unlearn', (folder) => {
      writeFileSync(join(folder, 'config.json'), '{}');
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    })).rejects.toThrow('no space left');
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(root).filter((name) => name.includes('saved-model'))).toEqual([]);
    await writeFolderAtomic(dir, 'unlearn', (folder) => writeFileSync(join(folder, 'config.json'), '{}'));
    expect(readdirSync(dir).sort()).toEqual([OUTPUT_MARKER, 'config.json']);
  });

  it('pebench train: a model that cannot be written goes elsewhere and the final checkpoint is kept', async () => {
    const out = join(root, 'model-out');
    const output = prepareTrainOutput(out, false, 0);
    writeFileSync(output.checkpointPath, 'the finished state');
    const rescue = join(root, 'train-rescue');
    mkdirSync(rescue);
    let error: CliError | undefined;
    const write = async (folder: string) => {
      if (folder === out) throw Object.assign(new Error('disk full'), { code: 'ENOSPC' });
      writeFileSync(join(folder, 'manifest.json'), '{}');
    };
    await writeFinalModel(output, write, [rescue]).catch((caught) => (error = caught));
    const [saved] = readdirSync(rescue);
    expect(readdirSync(join(rescue, saved))).toContain('manifest.json');
    expect(error?.message).toMatch(`could not write the model to ${out} (ENOSPC); it was saved to ${join(rescue, saved)} instead; the finished training state is kept in ${output.checkpointPath}`);
    expect(existsSync(output.checkpointPath)).toBe(true);
  });
});

describe('--force touches only folders pebench wrote', () => {
  it('refuses a folder with .git or without the marker, even with --force, and allows its own', () => {
    const repo = join(root, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    writeFileSync(join(repo, OUTPUT_MARKER), '');
    expect(message(() => checkReplaceableFolder('--out', repo))).toMatch('holds a git repository (.git): pebench never writes over it, even with --force');
    const foreign = join(root, 'sources');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'main.c'), 'int main;');
    expect(message(() => checkReplaceableFolder('--out', foreign))).toMatch(`holds files pebench did not write (no ${OUTPUT_MARKER} marker): it is never replaced, even with --force`);
    const own = join(root, 'own');
    mkdirSync(own);
    writeFileSync(join(own, OUTPUT_MARKER), '');
    writeFileSync(join(own, 'metadata.jsonl'), '');
    expect(checkReplaceableFolder('--out', own)).toBe('owned');
  });

  it('pebench world --force and pebench train --force leave a foreign folder as it was', async () => {
    const foreign = join(root, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    const world = await refused(['world', '--persons', '3', '--events', '2', '--out', foreign, '--force']);
    expect(world.code).toBe(2);
    expect(world.message).toMatch('never replaced, even with --force');
    const train = await refused(['train', '--out', foreign, '--force', '--persons', '6', '--events', '3', '--model-size', 'test', '--seq-len', '96']);
    expect(train.code).toBe(2);
    expect(train.message).toMatch('never replaced, even with --force');
    expect(readdirSync(foreign)).toEqual(['keep.txt']);
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
