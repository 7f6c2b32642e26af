// PE-Tiny end to end on packed rows (layout in sequence.ts): image features, from pixels through
// the vision tower and projector or fed in already computed, replace the embeddings of the
// `<image>` tokens (which sit at positions 1..N of an image row), then the decoder gives logits.
// Builds the static-shape training step (engine TrainStep) and the forward-only scoring graph.
// Not here: the inference graphs of the exported model (inference.ts); running graphs (runtime).
import { Rng } from '../core/rng.ts';
import * as E from '../engine/index.ts';
import { imageTokenCount, type PeTinyConfig } from './config.ts';
import { decoderLogits, embedTokens, packedRowBias, rotaryAt } from './decoder.ts';
import { decoderLayerOf, paramGroup, paramSpecs, type Params } from './params.ts';
import { projector } from './projector.ts';
import { SPECIAL_TOKEN_ORDER } from './tokenizer.ts';
import { visionTower } from './vision.ts';
import { Weights, type WeightPolicy } from './weights.ts';

/** Names of the data inputs of the training and scoring graphs. */
export const GRAPH_INPUTS = {
  pixels: 'pixels',
  imageFeatures: 'image_features',
  inputIds: 'input_ids',
  targets: 'targets',
  lossMask: 'loss_mask',
  positionIds: 'position_ids',
  segmentIds: 'segment_ids',
} as const;

/** Id of `<image>`: fixed by the tokenizer's special-token order. */
export const IMAGE_TOKEN_ID = SPECIAL_TOKEN_ORDER.indexOf('image');

/** Where image features come from: pixels (B, 3, S, S) through the vision tower, or cached (B, N, D). */
export type ImageInput = 'pixels' | 'features';

/** What one packed batch looks like to a graph. */
export interface RowShape {
  batch: number;
  seqLen: number;
}

/**
 * Declares the row inputs and returns logits (B, T, V); with `hiddenLayer`, also that decoder block's
 * output (B, T, D), the residual stream after it (RMU trains on it).
 */
export function rowLogits(
  w: Weights, shape: RowShape, imageInput: ImageInput, hiddenLayer?: number,
): { logits: E.Tensor; targets: E.Tensor; lossMask: E.Tensor; hidden?: E.Tensor } {
  const { cfg, graph: g } = w;
  const { batch: b, seqLen: t } = shape;
  const n = imageTokenCount(cfg);
  if (t < n + 2) throw new RangeError(`seqLen ${t} is too short: an image row needs <bos>, ${n} image tokens and a turn`);
  if (t > cfg.maxPositions) throw new RangeError(`seqLen ${t} exceeds maxPositions ${cfg.maxPositions} of the config`);
  const features = imageInput === 'pixels'
    ? projector(w, visionTower(w, g.input(GRAPH_INPUTS.pixels, [b, 3, cfg.imageSize, cfg.imageSize])))
    : g.input(GRAPH_INPUTS.imageFeatures, [b, n, cfg.decoder.width]); // (B, N, D)
  const ids = g.input(GRAPH_INPUTS.inputIds, [b, t], 'int64');
  const targets = g.input(GRAPH_INPUTS.targets, [b, t], 'int64');
  const lossMask = g.input(GRAPH_INPUTS.lossMask, [b, t]);
  const positions = g.input(GRAPH_INPUTS.positionIds, [b, t], 'int64');
  const segments = g.input(GRAPH_INPUTS.segmentIds, [b, t], 'int64');

  const placed = E.pad(features, [0, 1, 0, 0, t - 1 - n, 0]); // (B, T, D): features at positions 1..N
  const isImage = E.unsqueeze(E.equal(ids, g.scalar(IMAGE_TOKEN_ID, 'int64')), [2]); // (B, T, 1)
  const embeds = E.where(isImage, placed, embedTokens(w, ids));
  if (hiddenLayer !== undefined && !(Number.isInteger(hiddenLayer) && hiddenLayer >= 0 && hiddenLayer < cfg.decoder.layers)) {
    throw new RangeError(`hidden layer must be 0..${cfg.decoder.layers - 1}, got ${hiddenLayer}`);
  }
  let hidden: E.Tensor | undefined;
  const logits = decoderLogits(w, embeds, {
    rotary: rotaryAt(g, cfg, positions),
    bias: () => packedRowBias(segments),
    afterBlock: (layer, x) => {
      if (layer === hiddenLayer) hidden = x;
    },
  });
  return { logits, targets, lossMask, hidden };
}

/** Which parameters a training step updates. */
export type TrainableSet =
  | { kind: 'all' }
  | { kind: 'decoder' }
  /** The last `count` decoder blocks plus the final norm and LM head. */
  | { kind: 'lastBlocks'; count: number }
  /** LoRA adapters on the decoder's linear layers; every base parameter is frozen. */
  | { kind: 'lora'; rank: number; alpha?: number; targets?: 'attention' | 'all'; seed?: number; adapters?: Params };

export function weightPolicy(cfg: PeTinyConfig, trainable: TrainableSet): WeightPolicy {
  switch (trainable.kind) {
    case 'all':
      return { trainable: () => true };
    case 'decoder':
      return { trainable: (name) => paramGroup(name) === 'decoder' };
    case 'lastBlocks': {
      const first = cfg.decoder.layers - trainable.count;
      if (!Number.isInteger(trainable.count) || trainable.count < 1 || first < 0) {
        throw new RangeError(`lastBlocks count must be 1..${cfg.decoder.layers}, got ${trainable.count}`);
      }
      return {
        trainable: (name) => {
          const layer = decoderLayerOf(name);
          return layer !== null ? layer >= first : name === 'decoder.norm' || name === 'decoder.lm_head';
        },
      };
    }
    case 'lora': {
      const attentionOnly = (trainable.targets ?? 'all') === 'attention';
      const adapted = attentionOnly ? /\.(qkv|o)$/ : /\.(qkv|o|gate_up|down)$/;
      return {
        trainable: () => false,
        lora: {
          rank: trainable.rank,
          alpha: trainable.alpha ?? trainable.rank * 2,
          adapts: (name) => decoderLayerOf(name) !== null && adapted.test(name),
          rng: new Rng(trainable.seed ?? 0, 'pe-tiny/lora'),
          adapters: trainable.adapters,
        },
      };
    }
  }
}

export interface TrainGraphOptions extends RowShape {
  trainable: TrainableSet;
  optimizer: E.OptimizerConfig;
  /** Global gradient-norm clip; default 1, 0 for none. */
  clipNorm?: number;
  /** Default 'pixels'. 'features' needs a trainable set without vision or projector parameters. */
  imageInput?: ImageInput;
}

export interface TrainGraph {
  step: E.TrainStep;
  imageInput: ImageInput;
  /** Trained parameter names (model names; LoRA adapters are `<weight>.lora_a/.lora_b`). */
  trained: string[];
}

/** The training step: masked cross-entropy over answer tokens of packed rows, then the optimizer. */
export function buildTrainGraph(cfg: PeTinyConfig, params: Params, options: TrainGraphOptions): TrainGraph {
  const imageInput = options.imageInput ?? 'pixels';
  const policy = weightPolicy(cfg, options.trainable);
  if (imageInput === 'features') {
    const outside = paramSpecs(cfg).find((s) => paramGroup(s.name) !== 'decoder' && policy.trainable(s.name));
    if (outside) throw new Error(`imageInput 'features' leaves out the vision tower and projector, but the trainable set '${options.trainable.kind}' trains ${outside.name}: use imageInput 'pixels'`);
  }
  const g = new E.Graph('float32');
  const w = new Weights(g, cfg, params, policy);
  const { logits, targets, lossMask } = rowLogits(w, options, imageInput);
  const loss = E.maskedCrossEntropy(logits, targets, lossMask);
  const step = E.buildTrainStep(g, { loss, optimizer: options.optimizer, clipNorm: options.clipNorm ?? 1 });
  return { step, imageInput, trained: step.params };
}

export interface ScoringGraphOptions extends RowShape {
  /** Default 'features' (cached image features: encode each image once). */
  imageInput?: ImageInput;
  /** Also output logits (B, T, V), e.g. as a reference for KL terms. */
  logits?: boolean;
  /**
   * Also output `token_mu` and `token_sigma` (B, T): mean and standard deviation of log p(v) over
   * the vocabulary under the model's own next-token distribution (Min-K%++ membership scores).
   */
  distribution?: boolean;
  /** LoRA adapters to apply on top of the base parameters (same options as training). */
  lora?: Extract<TrainableSet, { kind: 'lora' }>;
  /** Also output `hidden` (B, T, D): this decoder block's output (RMU's reference activations). */
  hiddenLayer?: number;
}

/**
 * Forward only. Outputs `token_logprobs` (B, T): log p(targets[t]) at every position (mask it
 * yourself), and `sequence_logprobs` (B): their sum over loss_mask; `logits`, `token_mu`,
 * `token_sigma` and `hidden` if asked.
 * Every parameter is frozen: export with frozenParams 'inputs' to feed changing weights to one session.
 */
export function buildScoringGraph(cfg: PeTinyConfig, params: Params, options: ScoringGraphOptions): E.Graph {
  const g = new E.Graph('float32');
  const policy = options.lora ? weightPolicy(cfg, options.lora) : { trainable: () => false };
  const w = new Weights(g, cfg, params, { ...policy, trainable: () => false });
  const { logits, targets, lossMask, hidden } = rowLogits(w, options, options.imageInput ?? 'features', options.hiddenLayer);
  for (const p of g.params.values()) p.trainable = false;
  if (hidden) g.output('hidden', hidden);
  const tokenLogProbs = E.tokenLogProbs(logits, targets);
  g.output('token_logprobs', tokenLogProbs);
  g.output('sequence_logprobs', E.reduceSum(E.mul(tokenLogProbs, lossMask), [-1]));
  if (options.logits) g.output('logits', logits);
  if (options.distribution) {
    const logp = E.logSoftmax(logits, -1);
    const p = E.exp(logp);
    const mu = E.reduceSum(E.mul(p, logp), [-1]);
    const second = E.reduceSum(E.mul(p, E.mul(logp, logp)), [-1]);
    g.output('token_mu', mu);
    g.output('token_sigma', E.sqrt(E.maximum(E.sub(second, E.mul(mu, mu)), 1e-12)));
  }
  return g;
}
