// Fixed-size batches of training rows, reshuffled every epoch from the seed alone (epoch e uses
// Rng(seed).fork(`epoch/e`)), with the feeds and pixels a training step takes. The last partial batch
// of an epoch is PADDED by repeating the epoch's first rows (every row is seen each epoch; a few twice).
// Text-only rows get an all-zero pixel image: the graphs only place image features on `<image>`
// tokens, which those rows lack, so the values never reach the loss. With `augment`, every image row
// of batch (epoch, index) gets its own transformed copy, from Rng(seed).fork(`augment/epoch/index/slot`),
// so a resumed run sees the same pixels. Not here: building rows (data.ts).
import { Rng } from '../core/rng.ts';
import { imageKeyId, renderImage, type ImageKey, type World } from '../world/index.ts';
import type { PeTinyConfig } from './config.ts';
import { normalizePixels } from './pixels.ts';
import { rowsToFeeds, type HostFeed } from './sequence.ts';
import type { TrainingRow } from './data.ts';

export interface Batch {
  /** input_ids, targets, loss_mask, position_ids, segment_ids, each (B, T). */
  feeds: ReturnType<typeof rowsToFeeds>;
  /** (B, 3, S, S) normalised pixels, one image per row (zeros for text-only rows). */
  pixels: HostFeed & { type: 'float32' };
  /** Indices into the batcher's rows, in batch order (repeats only in a padded last batch). */
  rowIndices: number[];
}

export interface BatcherOptions {
  batchSize: number;
  seed: number;
  /** RGBA render of a key at cfg.imageSize (default renderImage; pass a cached one to reuse renders). */
  render?: (key: ImageKey) => ArrayLike<number>;
  /** Keep every render in memory after its first use (8,000 renders at 64 px: 131 MB). */
  cacheRenders?: boolean;
  /** Per-row transform of an image row's RGBA render (e.g. augmentRgba); none by default. */
  augment?: (rgba: ArrayLike<number>, rng: Rng) => ArrayLike<number>;
}

export class EpochBatcher {
  private readonly render: (key: ImageKey) => ArrayLike<number>;

  constructor(
    readonly world: World, readonly cfg: PeTinyConfig, readonly rows: readonly TrainingRow[], readonly options: BatcherOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    if (rows.length === 0) throw new RangeError('EpochBatcher needs at least one row: build them with trainingRows()');
    const render = options.render ?? ((key: ImageKey) => renderImage(world, key, cfg.imageSize));
    if (options.cacheRenders) {
      const cache = new Map<string, ArrayLike<number>>();
      this.render = (key) => {
        const id = imageKeyId(key);
        let rgba = cache.get(id);
        if (!rgba) cache.set(id, (rgba = render(key)));
        return rgba;
      };
    } else {
      this.render = render;
    }
  }

  /** Batches per epoch (the last one padded to full size). */
  get batchesPerEpoch(): number {
    return Math.ceil(this.rows.length / this.options.batchSize);
  }

  /** Row indices of every batch of one epoch, in order. */
  epochOrder(epoch: number): number[][] {
    if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be a non-negative integer, got ${epoch}`);
    const order = new Rng(this.options.seed, 'batches').fork(`epoch/${epoch}`).shuffle(this.rows.map((_, i) => i));
    const size = this.options.batchSize;
    const batches: number[][] = [];
    for (let at = 0; at < order.length; at += size) {
      const batch = order.slice(at, at + size);
      // Pad by cycling through the epoch order (handles batchSize > rows too).
      for (let k = 0; batch.length < size; k++) batch.push(order[k % order.length]);
      batches.push(batch);
    }
    return batches;
  }

  /** The batches of one epoch, built lazily (rendering happens as each batch is taken). */
  *epoch(epoch: number): Generator<Batch> {
    const order = this.epochOrder(epoch);
    for (let index = 0; index < order.length; index++) yield this.batch(order[index], this.augmentRng(epoch, index));
  }

  /** Batch `index` of `epoch` (what epoch(epoch) yields at that position), e.g. to resume a run. */
  batchAt(epoch: number, index: number): Batch {
    const order = this.epochOrder(epoch);
    if (!Number.isInteger(index) || index < 0 || index >= order.length) throw new RangeError(`batch index ${index} is outside 0..${order.length - 1}`);
    return this.batch(order[index], this.augmentRng(epoch, index));
  }

  private augmentRng(epoch: number, index: number): Rng | undefined {
    return this.options.augment ? new Rng(this.options.seed, 'augment').fork(`${epoch}/${index}`) : undefined;
  }

  /**
   * One batch of the given rows; each distinct image is rendered once. With `augmentRng` (and the
   * `augment` option) each image row is transformed with augmentRng.fork(slot).
   */
  batch(rowIndices: readonly number[], augmentRng?: Rng): Batch {
    const cfg = this.cfg;
    const each = 3 * cfg.imageSize * cfg.imageSize;
    const data = new Float32Array(rowIndices.length * each);
    const normalised = new Map<string, Float32Array>();
    const rows = rowIndices.map((index, b) => {
      const row = this.rows[index];
      if (!row) throw new RangeError(`row index ${index} is outside 0..${this.rows.length - 1}`);
      if (row.image && augmentRng && this.options.augment) {
        data.set(normalizePixels(cfg, this.options.augment(this.render(row.image), augmentRng.fork(String(b)))), b * each);
      } else if (row.image) {
        const id = imageKeyId(row.image);
        let pixels = normalised.get(id);
        if (!pixels) normalised.set(id, (pixels = normalizePixels(cfg, this.render(row.image))));
        data.set(pixels, b * each);
      }
      return row.row;
    });
    return {
      feeds: rowsToFeeds(rows),
      pixels: { type: 'float32', dims: [rowIndices.length, 3, cfg.imageSize, cfg.imageSize], data },
      rowIndices: [...rowIndices],
    };
  }
}
