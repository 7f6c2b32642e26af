// Greedy generation with PE-Tiny's three inference graphs (vision_encoder, embed_tokens,
// decoder_model_merged) on the lab's runtime, doing what transformers.js does for LLaVA: image
// features replace the `<image>` token embeddings, prompts are left-padded into one batch,
// position ids are the running count of attended tokens, the first step feeds empty past keys and
// values, and each later step feeds one token per row with the returned cache. Rows stop at `<eos>`
// or after maxNewTokens; the cache stays where the runtime keeps it (GPU buffers on WebGPU).
// Not here: prompt layout (src/model/prompt.ts) or sampling strategies other than greedy.
import { headDim, imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { INFERENCE_FILES, pastKeyName, presentKeyName } from '../model/inference.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import type { DeviceTensor } from './device-tensor.ts';
import type { Runtime } from './runtime.ts';
import type { Feed, RuntimeSession } from './session.ts';
import type { HostTensor } from './types.ts';

export interface InferenceSessions {
  cfg: PeTinyConfig;
  vision: RuntimeSession;
  embed: RuntimeSession;
  decoder: RuntimeSession;
  /** Extra inputs of every decoder run (a decoder built with LoRA adapter inputs: the adapters' current values). */
  decoderFeeds?: Readonly<Record<string, Feed>>;
  dispose(): Promise<void>;
}

/** Opens the three graphs; `files` maps INFERENCE_FILES paths to ONNX bytes (loadModel's files, or inferenceModels()); `label` names the model in errors. */
export async function openInferenceSessions(
  runtime: Runtime, cfg: PeTinyConfig, files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>, label = 'PE-Tiny',
): Promise<InferenceSessions> {
  const open = (path: string) => {
    const bytes = files instanceof Map ? files.get(path) : (files as Readonly<Record<string, Uint8Array>>)[path];
    if (!bytes) throw new Error(`${label}: ${path} is missing; export the model again (exportModel) or restore its folder`);
    return runtime.createSession(bytes, { label: `${label}/${path}` });
  };
  const [vision, embed, decoder] = await Promise.all([open(INFERENCE_FILES.vision), open(INFERENCE_FILES.embed), open(INFERENCE_FILES.decoder)]);
  return { cfg, vision, embed, decoder, dispose: async () => void (await Promise.all([vision.dispose(), embed.dispose(), decoder.dispose()])) };
}

export interface GenerationRequest {
  /** Prompt token ids (promptIds from src/model/prompt.ts), with the image's `<image>` tokens if any. */
  inputIds: readonly number[];
  /** Normalised pixels (3, S, S) of the row's image (normalizePixels), or null/absent for text-only prompts. */
  pixels?: Float32Array | null;
  /**
   * The image's features (N x D) already computed with this model's vision encoder; used instead of
   * pixels (the vision encoder is then not run for this row).
   */
  features?: Float32Array | null;
}

export interface GenerateOptions {
  /** Default 40. */
  maxNewTokens?: number;
}

export interface Generation {
  /** Generated token ids, including the final `<eos>` when the row stopped there. */
  tokens: number[];
  /** Decoded text of the tokens without special tokens. */
  text: string;
  /** Softmax probability of each generated token at its step. */
  probs: number[];
  stop: 'eos' | 'length';
}

type Held = Record<string, DeviceTensor>;

/** Greedy decoding of a batch of prompts (one session.run per step for the whole batch). */
export async function generate(
  model: InferenceSessions, tokenizer: Tokenizer, requests: readonly GenerationRequest[], options: GenerateOptions = {},
): Promise<Generation[]> {
  const { cfg } = model;
  const maxNew = options.maxNewTokens ?? 40;
  const batch = requests.length;
  if (batch === 0) return [];
  const width = cfg.decoder.width;
  const promptLength = Math.max(...requests.map((r) => r.inputIds.length));
  // Left padding, as decoder-only generation wants: every row's last prompt token is at the end.
  const mask: number[][] = requests.map((r) => [...new Array<number>(promptLength - r.inputIds.length).fill(0), ...r.inputIds.map(() => 1)]);
  const ids = requests.map((r) => [...new Array<number>(promptLength - r.inputIds.length).fill(tokenizer.ids.pad), ...r.inputIds]);
  const embeds = await embedPrompts(model, tokenizer, requests, ids);

  const empty = new Float32Array(0);
  const emptyPast: Record<string, HostTensor> = {};
  for (let l = 0; l < cfg.decoder.layers; l++) {
    for (const kind of ['key', 'value'] as const) emptyPast[pastKeyName(l, kind)] = { type: 'float32', dims: [batch, cfg.decoder.heads, 0, headDim(cfg)], data: empty };
  }
  let past: Record<string, Feed> = emptyPast;
  let held: Held | null = null;
  let stepEmbeds: HostTensor = { type: 'float32', dims: [batch, promptLength, width], data: embeds };
  const results: Generation[] = requests.map(() => ({ tokens: [], text: '', probs: [], stop: 'length' }));
  const done = new Array<boolean>(batch).fill(false);
  try {
    for (let step = 0; step < maxNew && done.includes(false); step++) {
      const outputs: Held = await model.decoder.runOnDevice({
        ...model.decoderFeeds,
        inputs_embeds: stepEmbeds,
        attention_mask: int64Matrix(mask),
        position_ids: int64Matrix(positionIds(mask, stepEmbeds.dims[1])),
        ...past,
      });
      const logits = await outputs.logits.download(); // (B, T, V)
      outputs.logits.dispose();
      for (const tensor of Object.values(held ?? {})) tensor.dispose();
      held = outputs;
      past = {};
      for (let l = 0; l < cfg.decoder.layers; l++) {
        for (const kind of ['key', 'value'] as const) past[pastKeyName(l, kind)] = outputs[presentKeyName(l, kind)];
      }
      const next = lastArgmax(logits);
      next.forEach(({ id, prob }, b) => {
        if (done[b]) return;
        results[b].tokens.push(id);
        results[b].probs.push(prob);
        if (id === tokenizer.ids.eos) {
          done[b] = true;
          results[b].stop = 'eos';
        }
      });
      mask.forEach((row) => row.push(1));
      const nextIds = next.map(({ id }, b) => (done[b] && results[b].stop === 'eos' ? tokenizer.ids.eos : id));
      stepEmbeds = await embedIds(model, nextIds.map((id) => [id]));
    }
  } finally {
    for (const [name, tensor] of Object.entries(held ?? {})) if (name !== 'logits') tensor.dispose();
  }
  for (const r of results) r.text = tokenizer.decode(r.tokens);
  return results;
}

/** Prompt embeddings (B, L, D) with each image row's `<image>` tokens replaced by its image features. */
async function embedPrompts(model: InferenceSessions, tokenizer: Tokenizer, requests: readonly GenerationRequest[], ids: number[][]): Promise<Float32Array> {
  const { cfg } = model;
  const width = cfg.decoder.width;
  const n = imageTokenCount(cfg);
  const embeds = (await embedIds(model, ids)).data as Float32Array;
  const length = ids[0].length;
  const place = (b: number, features: Float32Array, offset: number): void => {
    const slots = ids[b].flatMap((id, t) => (id === tokenizer.ids.image ? [t] : []));
    if (slots.length !== n) throw new Error(`prompt ${b} has ${slots.length} <image> tokens but an image gives ${n} features: build it with promptIds(…, imageTokenCount(cfg))`);
    slots.forEach((t, j) => embeds.set(features.subarray(offset + j * width, offset + (j + 1) * width), (b * length + t) * width));
  };
  requests.forEach((r, b) => {
    if (!r.features) return;
    if (r.features.length !== n * width) throw new RangeError(`request ${b}: features hold ${r.features.length} values, expected ${n} x ${width}`);
    place(b, r.features, 0);
  });
  const withImage = requests.map((r, b) => ({ r, b })).filter(({ r }) => r.pixels && !r.features);
  if (withImage.length === 0) return embeds;
  const side = cfg.imageSize;
  const plane = 3 * side * side;
  const pixels = new Float32Array(withImage.length * plane);
  withImage.forEach(({ r }, i) => pixels.set(r.pixels!, i * plane));
  const { image_features: features } = await model.vision.run({ pixel_values: { type: 'float32', dims: [withImage.length, 3, side, side], data: pixels } });
  const featureData = features.data as Float32Array;
  withImage.forEach(({ b }, i) => place(b, featureData, i * n * width));
  return embeds;
}

async function embedIds(model: InferenceSessions, ids: number[][]): Promise<HostTensor> {
  const { inputs_embeds: embeds } = await model.embed.run({ input_ids: int64Matrix(ids) });
  return embeds;
}

/** transformers.js's rule: cumulative count of attended tokens minus one (1 where masked), last `length` columns. */
function positionIds(mask: readonly number[][], length: number): number[][] {
  return mask.map((row) => {
    let seen = 0;
    const positions = row.map((m) => (m === 0 ? 1 : seen++));
    return positions.slice(row.length - length);
  });
}

function int64Matrix(rows: readonly (readonly number[])[]): HostTensor {
  const cols = rows[0].length;
  const data = new BigInt64Array(rows.length * cols);
  rows.forEach((row, b) => row.forEach((v, t) => (data[b * cols + t] = BigInt(v))));
  return { type: 'int64', dims: [rows.length, cols], data };
}

/** Greedy pick at the last position of each row, with its softmax probability. */
function lastArgmax(logits: HostTensor): { id: number; prob: number }[] {
  const [b, t, v] = logits.dims;
  const data = logits.data as Float32Array;
  return Array.from({ length: b }, (_, row) => {
    const offset = (row * t + t - 1) * v;
    let best = 0;
    for (let i = 1; i < v; i++) if (data[offset + i] > data[offset + best]) best = i;
    let sum = 0;
    for (let i = 0; i < v; i++) sum += Math.exp(data[offset + i] - data[offset + best]);
    return { id: best, prob: 1 / sum };
  });
}
