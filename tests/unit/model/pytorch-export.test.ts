// The PyTorch folder (src/model/pytorch-export.ts) on the test model: every file, config.json's
// auto_map and sizes, the weights under Llama names with the right transposes and splits of the fused
// qkv and gate/up, processor configs that resize to the model size, the chat template file, a
// model card whose YAML says the license, and the LICENSE file equal to the repository's.
// The Python side (loading and generating) is checked by python/test_pebench_export.py.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import * as M from '../../../src/model/index.ts';
import { bytesText } from '../../../src/model/files.ts';
import { PYTORCH_AUTO_CLASS, pytorchFiles } from '../../../src/model/pytorch-export.ts';
import { MODELING_PY } from '../../../src/model/python-code.ts';
import { decodeSafetensors } from '../../../src/model/safetensors.ts';
import { cfg, randomParams, tokenizer } from './fixture.ts';

const params = randomParams(5);
const files = pytorchFiles(cfg, params, tokenizer, { modelHash: 'ab'.repeat(32), meta: { kind: 'unlearned', world: { seed: 0, persons: 3, events: 2 } } });
const json = (path: string) => JSON.parse(bytesText(files.get(path)!));
const tensors = decodeSafetensors(files.get('model.safetensors')!).tensors;
const get = (name: string) => {
  const t = tensors.get(name);
  if (!t) throw new Error(`no tensor ${name}`);
  return t;
};

describe('PyTorch export', () => {
  it('writes config, code, weights, tokenizer, processor, chat template, card and license', () => {
    expect([...files.keys()].sort()).toEqual(['LICENSE', 'README.md', 'chat_template.jinja', 'config.json', 'configuration_pe_tiny.py',
      'generation_config.json', 'model.safetensors', 'modeling_pe_tiny.py', 'preprocessor_config.json', 'processor_config.json',
      'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
    const config = json('config.json');
    expect(config.auto_map).toEqual({ AutoConfig: 'configuration_pe_tiny.PeTinyConfig', [PYTORCH_AUTO_CLASS]: 'modeling_pe_tiny.PeTinyForConditionalGeneration' });
    expect(config.text_config).toMatchObject({ model_type: 'llama', hidden_size: cfg.decoder.width, num_hidden_layers: cfg.decoder.layers, vocab_size: cfg.vocabSize, tie_word_embeddings: false });
    expect(config.image_seq_length).toBe(M.imageTokenCount(cfg));
    expect(bytesText(files.get('LICENSE')!)).toBe(readFileSync(new URL('../../../LICENSE', import.meta.url), 'utf8'));
    expect(bytesText(files.get('chat_template.jinja')!)).toBe(M.CHAT_TEMPLATE);
  });

  it('stores every parameter once, transposed to (out, in), qkv and gate/up split', () => {
    const total = [...tensors.values()].reduce((sum, t) => sum + t.data.length, 0);
    expect(total).toBe(M.countParams(cfg).total);
    const d = cfg.decoder.width;
    const m = cfg.decoder.mlp;
    const qkv = params['decoder.layers.1.qkv']; // (d, 3d)
    for (const [name, offset] of [['q_proj', 0], ['k_proj', d], ['v_proj', 2 * d]] as const) {
      const t = get(`language_model.model.layers.1.self_attn.${name}.weight`);
      expect(t.shape).toEqual([d, d]);
      for (const [out, inp] of [[0, 0], [3, 5], [d - 1, 2]]) expect(t.data[out * d + inp]).toBe(qkv[inp * 3 * d + offset + out]);
    }
    const gateUp = params['decoder.layers.0.gate_up']; // (d, 2m)
    expect(get('language_model.model.layers.0.mlp.up_proj.weight').data[4 * d + 6]).toBe(gateUp[6 * 2 * m + m + 4]);
    expect(get('language_model.model.layers.0.mlp.gate_proj.weight').data[4 * d + 6]).toBe(gateUp[6 * 2 * m + 4]);
    expect(get('language_model.model.embed_tokens.weight').data).toEqual(params['decoder.embed_tokens']);
    const patch = get('vision_tower.patch_embed.weight'); // (W, 3 p p)
    const pp = 3 * cfg.patchSize * cfg.patchSize;
    expect(patch.shape).toEqual([cfg.vision.width, pp]);
    expect(patch.data[2 * pp + 9]).toBe(params['vision.patch_embed.weight'][9 * cfg.vision.width + 2]);
    expect(get('vision_tower.pos_embed').data).toEqual(params['vision.pos_embed']);
  });

  it('names in the modeling code match the tensors', () => {
    for (const name of ['patch_embed', 'pos_embed', 'ln_post', 'qkv', 'fc1', 'fc2', 'ln1', 'ln2', 'vision_tower', 'projector', 'language_model']) {
      expect(MODELING_PY).toContain(`self.${name} =`);
    }
    expect([...tensors.keys()].filter((n) => !/^(vision_tower|projector|language_model)\./.test(n))).toEqual([]);
  });

  it('processor configs resize to the model size and carry the chat template', () => {
    expect(json('preprocessor_config.json')).toMatchObject({ do_resize: true, size: { height: cfg.imageSize, width: cfg.imageSize }, do_center_crop: false });
    expect(json('processor_config.json')).toMatchObject({ processor_class: 'LlavaProcessor', patch_size: cfg.patchSize * cfg.projector.merge });
    expect(json('processor_config.json')).not.toHaveProperty('chat_template'); // Python wants it in chat_template.jinja
  });

  it('has a model card whose YAML metadata says the license', () => {
    const card = bytesText(files.get('README.md')!);
    const meta = parse(card.split('---\n')[1]);
    expect(meta).toMatchObject({ license: 'mit', library_name: 'transformers', pipeline_tag: 'image-text-to-text' });
    expect(card).toContain(`${PYTORCH_AUTO_CLASS}.from_pretrained(path, trust_remote_code=True)`);
    expect(card).toMatch(/an unlearned PE-Tiny/);
  });
});
