// FileSource and FileSink over a folder on disk, for the CLI and tests (Node only: never import this
// from browser code; the browser gets fetch/IndexedDB sources elsewhere).
// Not here: verification (manifest.ts) or what the files contain (export.ts).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FileSink, FileSource } from './files.ts';

export class FolderFiles implements FileSource, FileSink {
  constructor(readonly folder: string) {}

  get label(): string {
    return this.folder;
  }

  async read(path: string): Promise<Uint8Array | null> {
    try {
      const data = await readFile(join(this.folder, path));
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const target = join(this.folder, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}
