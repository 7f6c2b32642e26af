// UrlFiles: a model folder read over HTTP (fake fetch here) loads exactly like the folder it
// mirrors, a 404 is "missing" (so loadModel's manifest errors apply), other HTTP errors and paths
// that would leave the folder are refused.
import { describe, expect, it } from 'vitest';
import * as M from '../../../src/model/index.ts';
import { UrlFiles } from '../../../src/model/url-files.ts';
import { cfg, randomParams, tokenizer } from './fixture.ts';

/** A fetch over a MemoryFiles folder published at `root`, recording the URLs asked for. */
function fakeServer(files: M.MemoryFiles, root: string) {
  const asked: string[] = [];
  const fetcher = async (url: string): Promise<Response> => {
    asked.push(url);
    if (url.includes('broken')) return new Response('boom', { status: 500, statusText: 'Internal Server Error' });
    const data = url.startsWith(root) ? await files.read(decodeURIComponent(url.slice(root.length))) : null;
    return data ? new Response(data as Uint8Array<ArrayBuffer>) : new Response('not found', { status: 404 });
  };
  return { fetcher, asked };
}

describe('UrlFiles', () => {
  it('loads an exported model folder over fetch, byte for byte', async () => {
    const folder = new M.MemoryFiles();
    const manifest = await M.exportModel(folder, cfg, randomParams(3), tokenizer);
    const { fetcher, asked } = fakeServer(folder, 'http://lab.test/models/tiny/');
    const loaded = await M.loadModel(new UrlFiles('http://lab.test/models/tiny', fetcher));
    expect(loaded.manifest.modelHash).toBe(manifest.modelHash);
    for (const [path, bytes] of loaded.files) expect(bytes, path).toEqual(new Uint8Array(folder.files.get(path)!));
    expect(asked).toContain('http://lab.test/models/tiny/onnx/decoder_model_merged.onnx');
  });

  it('reports a missing file as null and a missing manifest with loadModel\'s restore hint', async () => {
    const { fetcher } = fakeServer(new M.MemoryFiles(), 'http://lab.test/models/none/');
    const source = new UrlFiles('http://lab.test/models/none/', fetcher);
    expect(source.label).toBe('http://lab.test/models/none');
    expect(await source.read('config.json')).toBeNull();
    await expect(M.loadModel(source)).rejects.toThrow(/manifest\.json is missing: run `npx pebench train`/);
  });

  it('refuses server errors and paths outside the folder', async () => {
    const { fetcher, asked } = fakeServer(new M.MemoryFiles(), 'http://lab.test/m/');
    const source = new UrlFiles('http://lab.test/m/', fetcher);
    await expect(source.read('broken.json')).rejects.toThrow(/HTTP 500 Internal Server Error/);
    for (const path of ['../secret.json', '/etc/passwd', 'a/./b', 'a\\b', '']) await expect(source.read(path)).rejects.toThrow(RangeError);
    expect(asked).toEqual(['http://lab.test/m/broken.json']);
  });
});
