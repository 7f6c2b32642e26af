// The page's model download (src/ui/lab/model-download.ts) over a fake fetch: every file the
// manifest lists comes back as its own exact ArrayBuffer (ready to transfer); a file that fails is
// left for the worker (which reports it); no manifest gives nothing. And PrefilledFiles, which hands
// the worker those files first and reads only the rest.
import { describe, expect, it } from 'vitest';
import { MemoryFiles, PrefilledFiles, textBytes } from '../../../src/model/files.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT } from '../../../src/model/manifest.ts';
import { downloadModelFiles } from '../../../src/ui/lab/model-download.ts';

const FOLDER = 'http://lab.test/models/tiny/';
const FILES: Record<string, string> = { 'config.json': '{"a":1}', 'onnx/decoder_model_merged.onnx': 'decoder bytes', 'tokenizer.json': '{}' };
const manifest = JSON.stringify({ format: MANIFEST_FORMAT, files: Object.keys(FILES).map((path) => ({ path, bytes: FILES[path].length, sha256: 'x' })) });

/** A fake fetch serving FILES and the manifest; `status` overrides by path; records the URLs asked. */
function fakeFetch(status: Record<string, number> = {}, withManifest = true) {
  const asked: string[] = [];
  const serve = async (url: string): Promise<Response> => {
    asked.push(url);
    const path = decodeURIComponent(url.slice(FOLDER.length));
    const body = path === MANIFEST_FILE ? (withManifest ? manifest : undefined) : FILES[path];
    if (status[path]) return new Response('nope', { status: status[path] });
    return body === undefined ? new Response('missing', { status: 404 }) : new Response(body);
  };
  return { asked, serve };
}

const text = (buffer: ArrayBuffer) => new TextDecoder().decode(buffer);

describe('downloadModelFiles', () => {
  it('downloads the manifest and every file it lists, each as its own exact buffer', async () => {
    const { asked, serve } = fakeFetch();
    const files = await downloadModelFiles(FOLDER, serve);
    expect(Object.keys(files).sort()).toEqual([MANIFEST_FILE, ...Object.keys(FILES)].sort());
    for (const [path, body] of Object.entries(FILES)) {
      expect(text(files[path])).toBe(body);
      expect(files[path].byteLength).toBe(body.length);
    }
    expect(new Set(Object.values(files)).size).toBe(Object.keys(files).length); // distinct buffers: each can be transferred
    expect(asked).toHaveLength(Object.keys(FILES).length + 1);
  });

  it('leaves a file that fails to the worker and gives nothing without a manifest', async () => {
    const failing = await downloadModelFiles(FOLDER, fakeFetch({ 'tokenizer.json': 500 }).serve);
    expect(Object.keys(failing)).not.toContain('tokenizer.json');
    expect(Object.keys(failing)).toContain('config.json');
    expect(await downloadModelFiles(FOLDER, fakeFetch({}, false).serve)).toEqual({});
    expect(await downloadModelFiles(FOLDER, async () => Promise.reject(new TypeError('network down')))).toEqual({});
  });
});

describe('PrefilledFiles', () => {
  it('hands out each file given ahead once and reads the rest from the folder', async () => {
    const folder = new MemoryFiles('folder');
    await folder.write('config.json', textBytes('from the folder'));
    await folder.write('tokenizer.json', textBytes('tokenizer from the folder'));
    const files = new PrefilledFiles({ 'config.json': textBytes('ahead').buffer as ArrayBuffer }, folder);
    expect(files.label).toBe('folder');
    expect(new TextDecoder().decode((await files.read('config.json'))!)).toBe('ahead');
    expect(new TextDecoder().decode((await files.read('tokenizer.json'))!)).toBe('tokenizer from the folder');
    expect(new TextDecoder().decode((await files.read('config.json'))!)).toBe('from the folder'); // given once
    expect(await files.read('missing.json')).toBeNull();
  });
});
