// Model manifests cannot point outside the model folder or at things that are not files: entries
// with '..' or absolute paths, symlinks leading out, named pipes (which would block a read forever)
// and folders are refused with a message naming the file; a manifest edited into the wrong shape
// (types, missing keys) is one clear line, also through `pebench eval`. A symlink inside stays fine.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainInProcess } from '../cli/in-process.ts';
import { exportModel, loadModel } from '../../../src/model/export.ts';
import { MemoryFiles, textBytes } from '../../../src/model/files.ts';
import { ModelFilesError, readManifest, verifyFiles } from '../../../src/model/manifest.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { cfg, randomParams, tokenizer } from './fixture.ts';

let root: string;
let model: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-manifest-'));
  model = join(root, 'model');
  await exportModel(new FolderFiles(model), cfg, randomParams(5), tokenizer, { seed: 5 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the model folder with its manifest changed by `edit`. */
function editedCopy(name: string, edit: (manifest: Record<string, any>) => void): string {
  const dir = join(root, name);
  cpSync(model, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  edit(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}
const loadError = async (dir: string): Promise<string> => {
  const error = await loadModel(new FolderFiles(dir)).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ModelFilesError);
  return (error as Error).message;
};

describe('manifest entries stay inside the model folder', () => {
  it("refuses '..' and absolute paths before reading anything", async () => {
    const up = editedCopy('up', (m) => (m.files[0].path = '../../etc/passwd'));
    expect(await loadError(up)).toMatch(`model manifest ${up}/manifest.json has files[0].path "../../etc/passwd" that leaves the model folder`);
    const absolute = editedCopy('absolute', (m) => (m.files[1].path = '/etc/passwd'));
    expect(await loadError(absolute)).toMatch('files[1].path "/etc/passwd" that is not relative to the model folder');
    await expect(new FolderFiles(model).read('onnx/../../x')).rejects.toThrow(ModelFilesError);
  });

  it('refuses a symlink that leads out, and keeps one that stays inside', async () => {
    const out = editedCopy('link-out', () => {});
    const first = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).files[0].path as string;
    rmSync(join(out, first));
    writeFileSync(join(root, 'outside.json'), '{}');
    symlinkSync(join(root, 'outside.json'), join(out, first));
    expect(await loadError(out)).toMatch(`model file ${out}/${first} leads outside the model folder (a symbolic link to ${join(root, 'outside.json')})`);
    const inside = editedCopy('link-in', () => {});
    renameSync(join(inside, first), join(inside, 'real-copy'));
    symlinkSync(join(inside, 'real-copy'), join(inside, first));
    await expect(loadModel(new FolderFiles(inside))).resolves.toMatchObject({ cfg: { maxPositions: cfg.maxPositions } });
  });

  it('refuses a named pipe and a folder without blocking', async () => {
    const pipe = editedCopy('pipe', () => {});
    const first = JSON.parse(readFileSync(join(pipe, 'manifest.json'), 'utf8')).files[0].path as string;
    rmSync(join(pipe, first));
    execFileSync('mkfifo', [join(pipe, first)]);
    expect(await loadError(pipe)).toMatch(`model file ${pipe}/${first} is a named pipe, not a plain file`);
    rmSync(join(pipe, first));
    mkdirSync(join(pipe, first));
    expect(await loadError(pipe)).toMatch('is a folder, not a plain file');
  });

  it('writes each file through a temporary name, leaving none behind', () => {
    expect(readdirSync(join(model, 'onnx')).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(readdirSync(model).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});

describe('edited manifests', () => {
  const manifestError = async (manifest: unknown): Promise<string> => {
    const files = new MemoryFiles('models/x');
    files.files.set('manifest.json', textBytes(JSON.stringify(manifest)));
    const error = await readManifest(files).then((read) => verifyFiles(files, read)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFilesError);
    return (error as Error).message;
  };
  const good = () => JSON.parse(readFileSync(join(model, 'manifest.json'), 'utf8'));

  it('names wrong types and missing keys in one line', async () => {
    for (const [edit, expected] of [
      [(m: any) => (m.files[0].bytes = '12'), 'has files[0].bytes ("12") that is not a byte count'],
      [(m: any) => delete m.files[2].sha256, 'has files[2].sha256 that is not a string'],
      [(m: any) => (m.files[3].sha256 = 'x'), 'has files[3].sha256 that is not 64 hex digits'],
      [(m: any) => (m.files = { path: 'x' }), 'lists no files'],
      [(m: any) => delete m.modelHash, 'has no valid modelHash'],
      [(m: any) => (m.config = 'tiny'), 'has no config object'],
      [(m: any) => (m.meta = [1]), 'has a meta that is not an object'],
      [(m: any) => m.files.push({ ...m.files[0] }), `lists ${good().files[0].path} twice`],
    ] as const) {
      const manifest = good();
      edit(manifest);
      const message = await manifestError(manifest);
      expect(message).toMatch(`model manifest models/x/manifest.json ${expected}`);
      expect(message).not.toMatch(/\n/);
    }
    expect(await manifestError([1, 2])).toMatch('is not a JSON object');
  });

  it('pebench eval answers an edited meta.world with one line, not a stack trace', async () => {
    const dir = editedCopy('meta-world', (m) => (m.meta.world = 'the big one'));
    const { code, message } = await mainInProcess(['eval', '--model', dir]);
    expect(code).toBe(2);
    expect(message).toBe(`pebench eval: ${dir}/manifest.json: meta.world must be an object (the world config), got "the big one": run \`npx pebench train\` or restore models/pebench-tiny from git`);
  });
});
