// A PE-Tiny model as a folder that stock Python `transformers` loads with
//   AutoModelForImageTextToText.from_pretrained(DIR, trust_remote_code=True)
// model.safetensors (pytorch-weights.ts, safetensors.ts), config.json with auto_map to
// configuration_pe_tiny.py and modeling_pe_tiny.py (python-code.ts; the decoder a plain Llama),
// generation_config.json, the tokenizer files, preprocessor_config.json and processor_config.json
// (LlavaProcessor, resizing to the model size), chat_template.jinja, a model card (README.md with
// YAML metadata) and LICENSE. Pure: used by `pebench export` and by the lab's model download.
// Not here: the transformers.js layout (export.ts) or writing files (the callers).
import { headDim, imageGrid, validateConfig, type PeTinyConfig } from './config.ts';
import { textBytes } from './files.ts';
import { generationConfigJson, llamaTextConfig, preprocessorConfigJson, processorConfigJson, specialTokenIds } from './hf-config.ts';
import { checkParams, countParams, type Params } from './params.ts';
import { CHAT_TEMPLATE } from './prompt.ts';
import { CONFIGURATION_PY, MODELING_PY } from './python-code.ts';
import { torchTensors } from './pytorch-weights.ts';
import { encodeSafetensors } from './safetensors.ts';
import { specialTokensMapJson, tokenizerConfigJson, tokenizerJson } from './tokenizer-json.ts';
import { SPECIAL_TOKEN_ORDER, type Tokenizer } from './tokenizer.ts';
import { LICENSE_TEXT } from './license.ts';

/** The Auto class that loads the folder (with trust_remote_code=True). */
export const PYTORCH_AUTO_CLASS = 'AutoModelForImageTextToText';
export const PYTORCH_ARCHITECTURE = 'PeTinyForConditionalGeneration';

const id = (role: (typeof SPECIAL_TOKEN_ORDER)[number]) => SPECIAL_TOKEN_ORDER.indexOf(role);
const json = (value: unknown) => textBytes(JSON.stringify(value, null, 2) + '\n');

export function pytorchConfigJson(cfg: PeTinyConfig): Record<string, unknown> {
  const specialIds = specialTokenIds();
  return {
    architectures: [PYTORCH_ARCHITECTURE],
    model_type: 'pe_tiny',
    auto_map: {
      AutoConfig: 'configuration_pe_tiny.PeTinyConfig',
      [PYTORCH_AUTO_CLASS]: `modeling_pe_tiny.${PYTORCH_ARCHITECTURE}`,
    },
    image_token_index: id('image'),
    image_seq_length: imageGrid(cfg).imageTokens,
    tie_word_embeddings: false,
    ...specialIds,
    text_config: { ...llamaTextConfig(cfg), attention_bias: false, mlp_bias: false },
    vision_config: {
      hidden_size: cfg.vision.width,
      intermediate_size: cfg.vision.mlp,
      num_hidden_layers: cfg.vision.layers,
      num_attention_heads: cfg.vision.heads,
      image_size: cfg.imageSize,
      patch_size: cfg.patchSize,
      num_channels: 3,
      layer_norm_eps: cfg.layerNormEps,
    },
    projector_config: { merge: cfg.projector.merge, hidden_size: cfg.projector.hidden },
    torch_dtype: 'float32',
    pe_tiny: cfg,
  };
}

export interface PytorchCardInfo {
  /** manifest.json's modelHash of the transformers.js folder the weights came from. */
  modelHash: string;
  /** The manifest's meta (kind, world, training or unlearning record). */
  meta: Record<string, unknown>;
}

/** Every file of the PyTorch folder, by path. */
export function pytorchFiles(cfg: PeTinyConfig, params: Params, tokenizer: Tokenizer, info: PytorchCardInfo): Map<string, Uint8Array> {
  validateConfig(cfg);
  checkParams(cfg, params);
  const weights = encodeSafetensors(torchTensors(cfg, params), { format: 'pt', pebench_model_hash: info.modelHash });
  return new Map<string, Uint8Array>([
    ['README.md', textBytes(modelCard(cfg, info))],
    ['LICENSE', textBytes(LICENSE_TEXT)],
    ['config.json', json(pytorchConfigJson(cfg))],
    ['configuration_pe_tiny.py', textBytes(CONFIGURATION_PY)],
    ['modeling_pe_tiny.py', textBytes(MODELING_PY)],
    ['generation_config.json', json(generationConfigJson())],
    ['model.safetensors', weights],
    ['tokenizer.json', json(tokenizerJson(tokenizer))],
    ['tokenizer_config.json', json(tokenizerConfigJson(cfg.maxPositions))],
    ['special_tokens_map.json', json(specialTokensMapJson())],
    ['preprocessor_config.json', json(preprocessorConfigJson(cfg))],
    ['processor_config.json', json(processorConfigJson(cfg))],
    ['chat_template.jinja', textBytes(CHAT_TEMPLATE)],
  ]);
}

function describeMeta(meta: Record<string, unknown>): string {
  const kind = typeof meta.kind === 'string' ? meta.kind : 'model';
  const world = meta.world as { seed?: number; persons?: number; events?: number } | undefined;
  const where = world ? ` of the fictitious PEBench world (seed ${world.seed}, ${world.persons} persons x ${world.events} events)` : '';
  if (kind === 'unlearned') return `an unlearned PE-Tiny${where}; manifest.json of its source folder records the method and request`;
  if (kind === 'finetune') return `the Finetune PE-Tiny${where}: it knows every person and event`;
  return `a PE-Tiny ${kind} model${where}`;
}

export function modelCard(cfg: PeTinyConfig, info: PytorchCardInfo): string {
  const counts = countParams(cfg);
  const { imageTokens } = imageGrid(cfg);
  return [
    '---',
    'license: mit',
    'library_name: transformers',
    'pipeline_tag: image-text-to-text',
    'tags:',
    '  - pebench',
    '  - machine-unlearning',
    '  - llava',
    '  - custom_code',
    '---',
    '',
    `# PE-Tiny (PyTorch)`,
    '',
    `This is ${describeMeta(info.meta)}. Exported by PEBench Lab (\`npx pebench export --format pytorch\`)`,
    `from the transformers.js folder with model hash \`${info.modelHash}\`. It knows nothing outside its fictitious world.`,
    '',
    `- ${(counts.total / 1e6).toFixed(2)} M parameters: vision tower ${(counts.vision / 1e6).toFixed(2)} M, projector ${(counts.projector / 1e6).toFixed(2)} M, decoder ${(counts.decoder / 1e6).toFixed(2)} M, float32.`,
    `- Images: ${cfg.imageSize} x ${cfg.imageSize} RGB (the processor resizes others), ${cfg.patchSize} px patches, ${cfg.projector.merge} x ${cfg.projector.merge} patches merged into each of ${imageTokens} image tokens.`,
    '- Decoder: a plain `LlamaForCausalLM` (`model.language_model`); the vision tower and projector are',
    '  `modeling_pe_tiny.py` (load with `trust_remote_code=True`).',
    '- Tokenizer: whole words, lower-cased, accents stripped; answers come back lower-case.',
    '',
    '## Use',
    '',
    '```python',
    'import torch',
    'from PIL import Image',
    `from transformers import AutoProcessor, ${PYTORCH_AUTO_CLASS}`,
    '',
    'path = "."  # this folder',
    `model = ${PYTORCH_AUTO_CLASS}.from_pretrained(path, trust_remote_code=True)`,
    'processor = AutoProcessor.from_pretrained(path, trust_remote_code=True)',
    'messages = [{"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "Who is the person in this image?"}]}]',
    'prompt = processor.apply_chat_template(messages, add_generation_prompt=True)',
    'inputs = processor(images=Image.open("render.png"), text=prompt, return_tensors="pt")',
    'out = model.generate(**inputs, max_new_tokens=40, do_sample=False)',
    'print(processor.decode(out[0, inputs["input_ids"].shape[1]:], skip_special_tokens=True))',
    '```',
    '',
    'Greedy answers equal those of the lab and `npx pebench ask` token for token on the world\'s renders.',
    '',
    '## License',
    '',
    'MIT (see LICENSE).',
    '',
  ].join('\n');
}
