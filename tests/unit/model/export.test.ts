// exportModel writes the LLaVA folder with a manifest; loadModel gives back the same config,
// parameters and tokenizer, and refuses missing, truncated or corrupted files with an error that
// names the file and how to restore it.
import { describe, expect, it } from 'vitest';
import * as M from '../../../src/model/index.ts';
import { cfg, randomParams, tokenizer } from './fixture.ts';

async function exported(): Promise<{ files: M.MemoryFiles; manifest: M.Manifest; params: M.Params }> {
  const files = new M.MemoryFiles('models/test-tiny');
  const params = randomParams(5);
  const manifest = await M.exportModel(files, cfg, params, tokenizer, { seed: 5 });
  return { files, manifest, params };
}

describe('exportModel / loadModel', () => {
  it('writes every file of the layout and loads back the same model', async () => {
    const { files, manifest, params } = await exported();
    expect([...files.files.keys()].sort()).toEqual([
      'chat_template.jinja', 'config.json', 'generation_config.json', 'manifest.json', 'onnx/decoder_model_merged.onnx', 'onnx/embed_tokens.onnx',
      'onnx/vision_encoder.onnx', 'preprocessor_config.json', 'processor_config.json', 'special_tokens_map.json',
      'tokenizer.json', 'tokenizer_config.json',
    ]);
    expect(manifest.files.find((f) => f.path === 'onnx/embed_tokens.onnx')?.sha256).toBe(await M.sha256Hex(files.files.get('onnx/embed_tokens.onnx')!));
    const config = JSON.parse(new TextDecoder().decode(files.files.get('config.json')!));
    expect(config.model_type).toBe('llava');
    expect(config.text_config.model_type).toBe('llama');
    expect(config.vision_config.model_type).toBe('clip_vision_model');
    expect(config['transformers.js_config']).toEqual({ dtype: 'fp32' });
    expect(config.image_token_index).toBe(tokenizer.ids.image);
    const loaded = await M.loadModel(files);
    expect(loaded.cfg).toEqual(cfg);
    expect(loaded.tokenizer.vocab).toEqual(tokenizer.vocab);
    expect(loaded.manifest.modelHash).toBe(manifest.modelHash);
    expect(loaded.manifest.meta).toEqual({ seed: 5 });
    expect(Object.keys(loaded.params).sort()).toEqual(M.paramSpecs(cfg).map((s) => s.name).sort());
    for (const [name, value] of Object.entries(params)) expect(loaded.params[name], name).toEqual(value);
    // Same weights, same files: the hash names the model.
    expect((await exported()).manifest.modelHash).toBe(manifest.modelHash);
  });

  it('names the file and the way to restore it when a file is corrupted, truncated or missing', async () => {
    const { files } = await exported();
    const decoder = 'onnx/decoder_model_merged.onnx';
    const original = files.files.get(decoder)!;
    const flipped = original.slice();
    flipped[flipped.length >> 1] ^= 0xff;
    files.files.set(decoder, flipped);
    await expect(M.loadModel(files)).rejects.toThrow(`model file models/test-tiny/${decoder} failed its sha256 check: ${M.RESTORE_HINT}`);
    files.files.set(decoder, original.subarray(0, 1000));
    await expect(M.loadModel(files)).rejects.toThrow(/decoder_model_merged.onnx is incomplete \(1000 of \d+ bytes\): run `npx pebench train`/);
    files.files.delete(decoder);
    await expect(M.loadModel(files)).rejects.toThrow(`model file models/test-tiny/${decoder} is missing: ${M.RESTORE_HINT}`);
    files.files.delete('manifest.json');
    await expect(M.loadModel(files)).rejects.toBeInstanceOf(M.ModelFilesError);
  });

  it('refuses a tokenizer that does not fit the config', async () => {
    await expect(M.exportModel(new M.MemoryFiles(), { ...cfg, vocabSize: cfg.vocabSize + 1 }, randomParams(), tokenizer)).rejects.toThrow(/vocabSize/);
  });
});
