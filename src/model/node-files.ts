// FileSource and FileSink over a folder on disk, for the CLI and tests (Node only: never import this
// from browser code; the browser gets fetch/IndexedDB sources elsewhere). Reads stay inside the
// folder (no '..', absolute paths or symlinks leading out) and open plain files only (checked with
// lstat first, so a named pipe or device never blocks); writes go through a temporary name and a
// rename. Not here: verification (manifest.ts) or what the files contain (export.ts).
import { lstat, mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { FileSink, FileSource } from './files.ts';
import { ModelFilesError, RESTORE_HINT, entryPathProblem } from './manifest.ts';

export class FolderFiles implements FileSource, FileSink {
  constructor(readonly folder: string) {}

  get label(): string {
    return this.folder;
  }

  async read(path: string): Promise<Uint8Array | null> {
    const where = `${this.folder}/${path}`;
    const problem = entryPathProblem(path);
    if (problem) throw new ModelFilesError(`model file path ${JSON.stringify(path)} ${problem}: ${RESTORE_HINT}`, path);
    let real: string;
    try {
      // realpath resolves every symbolic link on the way: the file must still be inside the folder.
      real = await realpath(join(this.folder, path));
      const inside = relative(await realpath(this.folder), real);
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
        throw new ModelFilesError(`model file ${where} leads outside the model folder (a symbolic link to ${real}): ${RESTORE_HINT}`, path);
      }
      const stats = await lstat(real);
      if (!stats.isFile()) {
        const kind = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device or other special file';
        throw new ModelFilesError(`model file ${where} is ${kind}, not a plain file: ${RESTORE_HINT}`, path);
      }
    } catch (error) {
      if (error instanceof ModelFilesError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
    const data = await readFile(real);
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const target = join(this.folder, path);
    const temp = join(dirname(target), `.${path.split('/').pop()}.tmp-${process.pid}`);
    await mkdir(dirname(target), { recursive: true });
    try {
      await writeFile(temp, data);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
