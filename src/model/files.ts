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

/**
 * Files some of which were read ahead (e.g. downloaded by the page while the lab's worker started):
 * each is handed out once, the rest come from `rest`. No checks here: loadModel verifies them all.
 */
export class PrefilledFiles implements FileSource {
  private readonly ahead: Map<string, Uint8Array>;
  readonly label: string;

  constructor(ahead: Readonly<Record<string, ArrayBuffer>>, private readonly rest: FileSource) {
    this.ahead = new Map(Object.entries(ahead).map(([path, bytes]) => [path, new Uint8Array(bytes)]));
    this.label = rest.label;
  }

  async read(path: string): Promise<Uint8Array | null> {
    const bytes = this.ahead.get(path);
    if (!bytes) return this.rest.read(path);
    this.ahead.delete(path);
    return bytes;
  }
}

export const textBytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const bytesText = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
