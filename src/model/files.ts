// Where model files come from and go to, as two tiny interfaces, so export/load run unchanged in
// Node (files, node-files.ts) and in the browser (fetch, IndexedDB), and a memory version for tests.
// Not here: any I/O implementation that needs Node or the DOM.

export interface FileSource {
  /** A description for error messages, e.g. 'models/pebench-tiny'. */
  readonly label: string;
  /** The file's bytes, or null when it does not exist. Paths use '/' and are relative to the model folder. */
  read(path: string): Promise<Uint8Array | null>;
}

export interface FileSink {
  readonly label: string;
  write(path: string, data: Uint8Array): Promise<void>;
}

/** Files held in memory (tests, or a model assembled before it is stored elsewhere). */
export class MemoryFiles implements FileSource, FileSink {
  readonly files = new Map<string, Uint8Array>();
  constructor(readonly label = 'memory') {}

  async read(path: string): Promise<Uint8Array | null> {
    return this.files.get(path) ?? null;
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    this.files.set(path, data);
  }
}

export const textBytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const bytesText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
