// The page downloads the lab's model folder itself while the worker starts onnxruntime-web (seconds
// of WASM start-up that would otherwise share the worker's thread with the download), then hands
// the bytes to the worker's load request (transferred). Best effort: on any failure it gives what
// it has (maybe nothing) and the worker fetches the rest itself, reporting problems as usual; the
// worker verifies every file against the manifest either way.
// Not here: verification or parsing (src/model/export.ts loadModel in the worker).
import { readManifest } from '../../model/manifest.ts';
import { UrlFiles } from '../../model/url-files.ts';

/** The files of the folder at `folderUrl` that its manifest lists, by path (manifest.json included). */
export async function downloadModelFiles(folderUrl: string, fetcher?: (url: string, init?: RequestInit) => Promise<Response>): Promise<Record<string, ArrayBuffer>> {
  const source = new UrlFiles(folderUrl, fetcher);
  const files: Record<string, ArrayBuffer> = {};
  const keep = async (path: string): Promise<Uint8Array | null> => {
    const bytes = await source.read(path).catch(() => null);
    if (bytes) files[path] = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
    return bytes;
  };
  try {
    const manifest = await readManifest({ label: source.label, read: keep });
    await Promise.all(manifest.files.map((entry) => keep(entry.path)));
  } catch {
    // No usable manifest: the worker's own load says what is wrong.
  }
  return files;
}
