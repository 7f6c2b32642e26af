// The three inference graphs of the transformers.js LLaVA layout, built from the same layer code
// and parameter names as the training graph, with symbolic batch/sequence/past dims:
//   vision_encoder        pixel_values (batch_size, 3, S, S) -> image_features (batch_size, N, D)
//   embed_tokens          input_ids (batch_size, sequence_length) -> inputs_embeds (…, D)
//   decoder_model_merged  inputs_embeds, attention_mask (batch_size, total_sequence_length),
//                         position_ids, past_key_values.{i}.key/.value (batch_size, H, past_sequence_length, hd)
//                         -> logits (batch_size, sequence_length, V), present.{i}.key/.value
// The first decoding step feeds empty pasts (past_sequence_length 0). Weights are baked in (LoRA
// adapters may be inputs of the decoder, for the lab's probe).
// Not here: writing files (export.ts) or running them (src/runtime/generate.ts).
import * as E from '../engine/index.ts';
import { headDim, imageTokenCount, type PeTinyConfig } from './config.ts';
import { decoderLogits, decodingBias, embedTokens, rotaryAt } from './decoder.ts';
import type { Params } from './params.ts';
import { projector } from './projector.ts';
import { visionTower } from './vision.ts';
import { weightPolicy } from './vlm.ts';
import { Weights } from './weights.ts';

export const INFERENCE_FILES = {
  vision: 'onnx/vision_encoder.onnx',
  embed: 'onnx/embed_tokens.onnx',
  decoder: 'onnx/decoder_model_merged.onnx',
} as const;

export const DIMS = { batch: 'batch_size', seq: 'sequence_length', past: 'past_sequence_length', total: 'total_sequence_length' } as const;

export const pastKeyName = (layer: number, kind: 'key' | 'value') => `past_key_values.${layer}.${kind}`;
export const presentKeyName = (layer: number, kind: 'key' | 'value') => `present.${layer}.${kind}`;

const frozen = (g: E.Graph, cfg: PeTinyConfig, params: Params) => new Weights(g, cfg, params, { trainable: () => false });

export function buildVisionEncoderGraph(cfg: PeTinyConfig, params: Params): E.Graph {
  const g = new E.Graph('float32');
  const w = frozen(g, cfg, params);
  const pixels = g.input('pixel_values', [DIMS.batch, 3, cfg.imageSize, cfg.imageSize]);
  const features = projector(w, visionTower(w, pixels));
  if (features.shape[1] !== imageTokenCount(cfg)) throw new Error('vision encoder: unexpected number of image tokens');
  g.output('image_features', features);
  return g;
}

export function buildEmbedTokensGraph(cfg: PeTinyConfig, params: Params): E.Graph {
  const g = new E.Graph('float32');
  const ids = g.input('input_ids', [DIMS.batch, DIMS.seq], 'int64');
  g.output('inputs_embeds', embedTokens(frozen(g, cfg, params), ids));
  return g;
}

/** LoRA adapters fed as decoder inputs (`<weight>.lora_a` (in, rank), `.lora_b` (rank, out)) on every adapted weight. */
export interface AdapterInputs {
  rank: number;
  alpha: number;
}

/**
 * The decoder_model_merged graph. With `adapters`, each adapted weight also takes its LoRA pair as
 * inputs, so one session answers for every step of an unlearning run (the lab's probe); the
 * transformers.js folder always has the adapters merged (no extra inputs).
 */
export function buildDecoderGraph(cfg: PeTinyConfig, params: Params, adapters?: AdapterInputs): E.Graph {
  const g = new E.Graph('float32');
  const w = adapters
    ? new Weights(g, cfg, params, { trainable: () => false, lora: { ...weightPolicy(cfg, { kind: 'lora', ...adapters }).lora!, asInputs: true } })
    : frozen(g, cfg, params);
  const { heads, layers, width } = cfg.decoder;
  const hd = headDim(cfg);
  const embeds = g.input('inputs_embeds', [DIMS.batch, DIMS.seq, width]);
  const attentionMask = g.input('attention_mask', [DIMS.batch, DIMS.total], 'int64');
  const positions = g.input('position_ids', [DIMS.batch, DIMS.seq], 'int64');
  const past = Array.from({ length: layers }, (_, l) => ({
    key: g.input(pastKeyName(l, 'key'), [DIMS.batch, heads, DIMS.past, hd]),
    value: g.input(pastKeyName(l, 'value'), [DIMS.batch, heads, DIMS.past, hd]),
  }));
  const present: { key: E.Tensor; value: E.Tensor }[] = [];
  let bias: E.Tensor | null = null;
  const logits = decoderLogits(w, embeds, {
    rotary: rotaryAt(g, cfg, positions),
    // Every layer sees the same query and key lengths: build the bias once.
    bias: (q, k) => (bias ??= decodingBias(q, k, attentionMask)),
    past: (l) => past[l],
    present: (l, kv) => present.push(kv),
  });
  g.output('logits', logits);
  present.forEach((kv, l) => {
    g.output(presentKeyName(l, 'key'), kv.key);
    g.output(presentKeyName(l, 'value'), kv.value);
  });
  return g;
}

/** ONNX bytes of the three graphs, keyed by their path in the model folder. */
export function inferenceModels(cfg: PeTinyConfig, params: Params): Record<string, Uint8Array> {
  const build = (g: E.Graph, name: string) => E.toOnnx(g, { graphName: name, docString: 'PE-Tiny (PEBench Lab)' }).model;
  return {
    [INFERENCE_FILES.vision]: build(buildVisionEncoderGraph(cfg, params), 'vision_encoder'),
    [INFERENCE_FILES.embed]: build(buildEmbedTokensGraph(cfg, params), 'embed_tokens'),
    [INFERENCE_FILES.decoder]: build(buildDecoderGraph(cfg, params), 'decoder_model_merged'),
  };
}
