// PE-Tiny's architecture: a LLaVA-style model made of a small ViT (64 px images, 8 px patches ->
// 64 patch features), a projector that merges 2x2 neighbouring patches into one token and maps it
// to the decoder width (16 image tokens), and a LLaMA-style decoder (RMSNorm, rotary attention,
// SwiGLU MLP, untied LM head) over a whole-word vocabulary of the world (~930 tokens).
//
// Why these sizes (see also the measured step times in the lab's notes):
// - The task is closed-world recognition: 200 persons x 40 events, each person a combination of
//   ~12 large-area appearance attributes. A 4-layer, 192-wide ViT over 64 patches (1.8 M params)
//   sees the whole 64 px image at 8 px resolution per token, enough to tell attributes apart.
// - Training cost per sample is dominated by the decoder, which runs over every image token and
//   every text token. Merging 2x2 patches (16 instead of 64 image tokens) cuts the image share of a
//   packed 128-token sequence from half to an eighth, so several question/answer turns about one
//   image share its image tokens. The decoder (4 x 256, ~3.4 M params) has room to memorise 200
//   names, 40 event descriptions and 400 text facts; together ~6 M params, about 2 GFLOP per
//   128-token sample (forward + backward), i.e. tens of thousands of samples in 45 minutes on
//   2 CPU cores with ORT-node.
// Not here: the graphs (vision.ts, projector.ts, decoder.ts, vlm.ts) or parameter values (params.ts).

export interface VisionConfig {
  /** Transformer blocks of the ViT. */
  layers: number;
  /** Token width of the ViT. */
  width: number;
  heads: number;
  /** Hidden size of the GELU MLP. */
  mlp: number;
}

export interface ProjectorConfig {
  /** m: m x m neighbouring patch features are concatenated into one image token (1 = no merging). */
  merge: number;
  /** Hidden size of the 2-layer GELU MLP that maps merged patches to the decoder width. */
  hidden: number;
}

export interface DecoderConfig {
  layers: number;
  width: number;
  heads: number;
  /** Hidden size of the SwiGLU MLP. */
  mlp: number;
  /** Rotary embedding base (theta). */
  ropeBase: number;
  rmsEps: number;
}

export interface PeTinyConfig {
  /** Square input side in pixels (the world's model resolution). */
  imageSize: number;
  /** Square ViT patch side in pixels; imageSize must be a multiple of patchSize * projector.merge. */
  patchSize: number;
  vision: VisionConfig;
  projector: ProjectorConfig;
  decoder: DecoderConfig;
  /** Tokenizer size (special tokens + world words); set from the tokenizer with withVocabulary(). */
  vocabSize: number;
  /** Longest sequence any graph handles: rotary tables and generation stop here. */
  maxPositions: number;
  /** LayerNorm epsilon of the vision tower. */
  layerNormEps: number;
  /** Pixel normalisation (x / 255 - mean) / std per RGB channel, as the image processor does it. */
  imageMean: readonly [number, number, number];
  imageStd: readonly [number, number, number];
}

export const DEFAULT_CONFIG: PeTinyConfig = {
  imageSize: 64,
  patchSize: 8,
  vision: { layers: 4, width: 192, heads: 3, mlp: 768 },
  projector: { merge: 2, hidden: 256 },
  decoder: { layers: 4, width: 256, heads: 4, mlp: 768, ropeBase: 10000, rmsEps: 1e-5 },
  vocabSize: 0,
  maxPositions: 256,
  layerNormEps: 1e-5,
  imageMean: [0.5, 0.5, 0.5],
  imageStd: [0.5, 0.5, 0.5],
};

/** A tiny configuration for tests: same structure, a few thousand parameters per layer. */
export const TEST_CONFIG: PeTinyConfig = {
  ...DEFAULT_CONFIG,
  vision: { layers: 1, width: 32, heads: 2, mlp: 64 },
  projector: { merge: 2, hidden: 48 },
  decoder: { layers: 2, width: 32, heads: 2, mlp: 64, ropeBase: 10000, rmsEps: 1e-5 },
  maxPositions: 96,
};

/** Patches per image side, patches per image, and image tokens (after merging) per image. */
export function imageGrid(cfg: PeTinyConfig): { side: number; patches: number; tokenSide: number; imageTokens: number } {
  const side = cfg.imageSize / cfg.patchSize;
  const tokenSide = side / cfg.projector.merge;
  return { side, patches: side * side, tokenSide, imageTokens: tokenSide * tokenSide };
}

/** Number of image tokens each image occupies in the decoder's sequence. */
export function imageTokenCount(cfg: PeTinyConfig): number {
  return imageGrid(cfg).imageTokens;
}

export function headDim(cfg: PeTinyConfig): number {
  return cfg.decoder.width / cfg.decoder.heads;
}

/** The config with the tokenizer's vocabulary size. */
export function withVocabulary(cfg: PeTinyConfig, vocabSize: number): PeTinyConfig {
  return validateConfig({ ...cfg, vocabSize });
}

/** Throws a RangeError naming the field and what it must satisfy; returns cfg unchanged otherwise. */
export function validateConfig(cfg: PeTinyConfig): PeTinyConfig {
  const problems: string[] = [];
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) problems.push(`${name} must be a positive integer, got ${v}`);
  };
  positive('imageSize', cfg.imageSize);
  positive('patchSize', cfg.patchSize);
  positive('projector.merge', cfg.projector.merge);
  for (const [group, values] of [['vision', cfg.vision], ['decoder', cfg.decoder]] as const) {
    for (const key of ['layers', 'width', 'heads', 'mlp'] as const) positive(`${group}.${key}`, values[key]);
  }
  positive('projector.hidden', cfg.projector.hidden);
  positive('vocabSize', cfg.vocabSize);
  positive('maxPositions', cfg.maxPositions);
  if (cfg.imageSize % (cfg.patchSize * cfg.projector.merge) !== 0) {
    problems.push(`imageSize ${cfg.imageSize} must be a multiple of patchSize x projector.merge = ${cfg.patchSize * cfg.projector.merge}`);
  }
  if (cfg.vision.width % cfg.vision.heads !== 0) problems.push(`vision.width ${cfg.vision.width} must be divisible by vision.heads ${cfg.vision.heads}`);
  if (cfg.decoder.width % cfg.decoder.heads !== 0) problems.push(`decoder.width ${cfg.decoder.width} must be divisible by decoder.heads ${cfg.decoder.heads}`);
  else if (headDim(cfg) % 2 !== 0) problems.push(`decoder head dim ${headDim(cfg)} must be even (rotary embeddings)`);
  if (problems.length) throw new RangeError(`invalid PE-Tiny config: ${problems.join('; ')}`);
  return cfg;
}
