// The JSON files of the transformers.js LLaVA layout that describe the model and its processor:
// config.json (llava with llama text_config and clip_vision_model vision_config, plus our own
// `pe_tiny` block from which loadModel rebuilds the exact config), generation_config.json,
// preprocessor_config.json (resize to the model's square size, bilinear; no crop: an image of the
// model size is left as it is) and processor_config.json (`<image>` expands to one token per
// patchSize*merge square). The processor's chat template is chat_template.jinja (export.ts), the
// file Python's processors read.
// Not here: tokenizer files (tokenizer-json.ts) or writing anything (export.ts).
import { headDim, imageGrid, validateConfig, type PeTinyConfig } from './config.ts';
import { RESCALE_FACTOR } from './pixels.ts';
import { SPECIAL_TOKENS, SPECIAL_TOKEN_ORDER } from './tokenizer.ts';

type Json = Record<string, unknown>;

const id = (role: (typeof SPECIAL_TOKEN_ORDER)[number]) => SPECIAL_TOKEN_ORDER.indexOf(role);

/** Default generation length (new tokens) for transformers.js and the lab. */
export const DEFAULT_MAX_NEW_TOKENS = 40;

/** The special tokens' ids as Hugging Face configs name them. */
export const specialTokenIds = () => ({ bos_token_id: id('bos'), eos_token_id: id('eos'), pad_token_id: id('pad') });

/** The decoder as a plain Llama `text_config` (the transformers.js folder and the PyTorch export). */
export function llamaTextConfig(cfg: PeTinyConfig): Json {
  return {
    model_type: 'llama',
    hidden_size: cfg.decoder.width,
    intermediate_size: cfg.decoder.mlp,
    num_hidden_layers: cfg.decoder.layers,
    num_attention_heads: cfg.decoder.heads,
    num_key_value_heads: cfg.decoder.heads,
    head_dim: headDim(cfg),
    vocab_size: cfg.vocabSize,
    max_position_embeddings: cfg.maxPositions,
    rms_norm_eps: cfg.decoder.rmsEps,
    rope_theta: cfg.decoder.ropeBase,
    hidden_act: 'silu',
    tie_word_embeddings: false,
    ...specialTokenIds(),
  };
}

export function modelConfigJson(cfg: PeTinyConfig): Json {
  const specialIds = specialTokenIds();
  return {
    architectures: ['LlavaForConditionalGeneration'],
    model_type: 'llava',
    image_token_index: id('image'),
    image_seq_length: imageGrid(cfg).imageTokens,
    vision_feature_layer: -1,
    vision_feature_select_strategy: 'full',
    projector_hidden_act: 'gelu',
    ...specialIds,
    text_config: llamaTextConfig(cfg),
    vision_config: {
      model_type: 'clip_vision_model',
      hidden_size: cfg.vision.width,
      intermediate_size: cfg.vision.mlp,
      num_hidden_layers: cfg.vision.layers,
      num_attention_heads: cfg.vision.heads,
      image_size: cfg.imageSize,
      patch_size: cfg.patchSize,
      num_channels: 3,
      hidden_act: 'gelu',
      layer_norm_eps: cfg.layerNormEps,
    },
    torch_dtype: 'float32',
    'transformers.js_config': { dtype: 'fp32' },
    pe_tiny: cfg,
  };
}

/** The PE-Tiny config stored in config.json by modelConfigJson. */
export function configFromModelJson(json: unknown, label = 'config.json'): PeTinyConfig {
  const cfg = (json as { pe_tiny?: PeTinyConfig })?.pe_tiny;
  if (!cfg || typeof cfg !== 'object') throw new Error(`${label} has no "pe_tiny" block: it was not written by the lab's exportModel`);
  return validateConfig(cfg);
}

export function generationConfigJson(): Json {
  return {
    bos_token_id: id('bos'),
    eos_token_id: id('eos'),
    pad_token_id: id('pad'),
    do_sample: false,
    num_beams: 1,
    max_new_tokens: DEFAULT_MAX_NEW_TOKENS,
  };
}

export function preprocessorConfigJson(cfg: PeTinyConfig): Json {
  return {
    image_processor_type: 'CLIPImageProcessor',
    processor_class: 'LlavaProcessor',
    do_convert_rgb: true,
    // Any image is resized to the model's square size (a no-op for renders, which have it already);
    // the lab's own resize (image-input.ts) averages areas when shrinking, so other sizes differ slightly.
    do_resize: true,
    size: { height: cfg.imageSize, width: cfg.imageSize },
    resample: 2, // bilinear
    do_center_crop: false,
    crop_size: { height: cfg.imageSize, width: cfg.imageSize },
    do_rescale: true,
    rescale_factor: RESCALE_FACTOR,
    do_normalize: true,
    image_mean: [...cfg.imageMean],
    image_std: [...cfg.imageStd],
  };
}

export function processorConfigJson(cfg: PeTinyConfig): Json {
  return {
    processor_class: 'LlavaProcessor',
    image_token: SPECIAL_TOKENS.image,
    // One image token per (patchSize * merge)^2 pixels: the processor's count must equal ours.
    patch_size: cfg.patchSize * cfg.projector.merge,
    num_additional_image_tokens: 0,
    vision_feature_select_strategy: 'full',
  };
}
