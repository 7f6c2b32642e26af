// What a PE-Tiny training run is, before anything runs: its settings (TrainSettings, serialisable,
// compared when resuming), the world, tokenizer, config, rows and batcher they imply, and the
// learning-rate schedule (linear warm-up, then cosine down to minLrRatio x lr).
// Not here: running steps, checkpoints or validation (src/training/trainer.ts).
import { Rng } from '../core/rng.ts';
import { createWorld, makeSplits, worldVocabulary, type ForgetRequest, type Splits, type World, type WorldConfig } from '../world/index.ts';
import { augmentRgba } from './augment.ts';
import { DEFAULT_CONFIG, TEST_CONFIG, withVocabulary, type PeTinyConfig } from './config.ts';
import { trainingImages, trainingRows, type TrainingRow } from './data.ts';
import { EpochBatcher } from './data-batches.ts';
import { Tokenizer } from './tokenizer.ts';

/** Model sizes by name: 'default' is the shipped PE-Tiny, 'test' the small one tests use. */
export const MODEL_SIZES = { default: DEFAULT_CONFIG, test: TEST_CONFIG } as const;
export type ModelSize = keyof typeof MODEL_SIZES;

export interface TrainSettings {
  /** The world (seed and sizes); missing fields take DEFAULT_WORLD_CONFIG's. */
  world: Partial<WorldConfig>;
  /** Seeds parameter init, row shuffles and augmentation. */
  seed: number;
  modelSize: ModelSize;
  batchSize: number;
  seqLen: number;
  epochs: number;
  lr: number;
  warmupSteps: number;
  minLrRatio: number;
  weightDecay: number;
  clipNorm: number;
  /** Text-only fact rows are repeated this many times per epoch (they are ~1% of rows otherwise). */
  textRepeat: number;
  /** Mirror/scale/shift/relight image rows (augment.ts). */
  augment: boolean;
  /** A Goal model: train only on what this forget request retains. */
  retainOnly: ForgetRequest | null;
  /** Trained identity / event wordings per image (trainingRows' defaults, 2 and 1, when absent). */
  identityWordings?: number;
  eventWordings?: number;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  world: {},
  seed: 0,
  modelSize: 'default',
  batchSize: 16,
  seqLen: 128,
  epochs: 6,
  lr: 1e-3,
  warmupSteps: 300,
  minLrRatio: 0.05,
  weightDecay: 0.01,
  clipNorm: 1,
  textRepeat: 8,
  augment: true,
  retainOnly: null,
};

export interface TrainPlan {
  settings: TrainSettings;
  world: World;
  tokenizer: Tokenizer;
  cfg: PeTinyConfig;
  splits: Splits | null;
  rows: TrainingRow[];
  batcher: EpochBatcher;
  stepsPerEpoch: number;
  totalSteps: number;
}

export function validateSettings(s: TrainSettings): void {
  const positiveInt = (name: keyof TrainSettings) => {
    const v = s[name] as number;
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  };
  (['batchSize', 'seqLen', 'epochs', 'textRepeat'] as const).forEach(positiveInt);
  for (const name of ['identityWordings', 'eventWordings'] as const) if (s[name] !== undefined) positiveInt(name);
  if (!(s.lr > 0 && s.lr < 1)) throw new RangeError(`lr must be in (0, 1), got ${s.lr}`);
  if (!Number.isInteger(s.warmupSteps) || s.warmupSteps < 0) throw new RangeError(`warmupSteps must be a non-negative integer, got ${s.warmupSteps}`);
  if (!(s.minLrRatio >= 0 && s.minLrRatio <= 1)) throw new RangeError(`minLrRatio must be in [0, 1], got ${s.minLrRatio}`);
  if (!(s.weightDecay >= 0)) throw new RangeError(`weightDecay must be >= 0, got ${s.weightDecay}`);
  if (!(s.clipNorm >= 0)) throw new RangeError(`clipNorm must be >= 0 (0 = no clipping), got ${s.clipNorm}`);
  if (!(s.modelSize in MODEL_SIZES)) throw new RangeError(`modelSize must be one of ${Object.keys(MODEL_SIZES).join(', ')}, got ${s.modelSize}`);
}

export function planTraining(settings: TrainSettings): TrainPlan {
  validateSettings(settings);
  const world = createWorld(settings.world);
  const tokenizer = Tokenizer.fromWords(worldVocabulary(world));
  const base = MODEL_SIZES[settings.modelSize];
  const cfg = withVocabulary(base, tokenizer.size);
  if (settings.seqLen > cfg.maxPositions) throw new RangeError(`seqLen ${settings.seqLen} exceeds the model's ${cfg.maxPositions} positions`);
  const splits = settings.retainOnly ? makeSplits(world, settings.retainOnly) : null;
  const rng = new Rng(settings.seed, 'train-rows');
  const rows = trainingRows(world, tokenizer, cfg, trainingImages(world, { retainOnly: splits ?? undefined }), rng, {
    seqLen: settings.seqLen, retainOnly: splits ?? undefined,
    identityWordings: settings.identityWordings, eventWordings: settings.eventWordings,
  });
  const textRows = rows.filter((r) => r.image === null);
  for (let k = 1; k < settings.textRepeat; k++) rows.push(...textRows);
  const batcher = new EpochBatcher(world, cfg, rows, {
    batchSize: settings.batchSize,
    seed: settings.seed,
    cacheRenders: true,
    augment: settings.augment ? (rgba, r) => augmentRgba(rgba, cfg.imageSize, r) : undefined,
  });
  const stepsPerEpoch = batcher.batchesPerEpoch;
  return { settings, world, tokenizer, cfg, splits, rows, batcher, stepsPerEpoch, totalSteps: stepsPerEpoch * settings.epochs };
}

/** Learning rate for 1-based optimizer step `step` of `totalSteps`. */
export function learningRate(s: Pick<TrainSettings, 'lr' | 'warmupSteps' | 'minLrRatio'>, step: number, totalSteps: number): number {
  if (s.warmupSteps > 0 && step <= s.warmupSteps) return (s.lr * step) / s.warmupSteps;
  const span = Math.max(1, totalSteps - s.warmupSteps);
  const progress = Math.min(1, Math.max(0, (step - s.warmupSteps) / span));
  const floor = s.lr * s.minLrRatio;
  return floor + (s.lr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** Epoch and batch index of 1-based step `step`. */
export function batchPosition(plan: Pick<TrainPlan, 'stepsPerEpoch'>, step: number): { epoch: number; index: number } {
  return { epoch: Math.floor((step - 1) / plan.stepsPerEpoch), index: (step - 1) % plan.stepsPerEpoch };
}
