// Image features (the vision tower + projector output, N x D per image) of world images, each
// computed once with the model's vision encoder and kept: the vision tower is frozen during
// unlearning, so every step, reference pass and scoring pass reuses them.
// Not here: rendering policy (renders are the world's, never augmented) or the decoder.
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { INFERENCE_FILES } from '../model/inference.ts';
import { normalizePixels } from '../model/pixels.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { RuntimeSession } from '../runtime/session.ts';
import { imageKeyId, renderImage, type ImageKey, type World } from '../world/index.ts';

export class FeatureCache {
  private readonly features = new Map<string, Float32Array>();

  private constructor(private readonly session: RuntimeSession, readonly cfg: PeTinyConfig, readonly world: World, private readonly ownsSession = true) {}

  /**
   * A cache over a vision encoder session opened elsewhere (the lab's probe session): kept for every
   * request on the same model and world; dispose() leaves the session to its owner.
   */
  static over(session: RuntimeSession, cfg: PeTinyConfig, world: World): FeatureCache {
    return new FeatureCache(session, cfg, world, false);
  }

  /** `files` holds the model's ONNX files (INFERENCE_FILES paths); only the vision encoder is used. */
  static async open(runtime: Runtime, cfg: PeTinyConfig, files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>, world: World): Promise<FeatureCache> {
    const bytes = files instanceof Map ? files.get(INFERENCE_FILES.vision) : (files as Readonly<Record<string, Uint8Array>>)[INFERENCE_FILES.vision];
    if (!bytes) throw new Error(`${INFERENCE_FILES.vision} is missing from the model: restore the model folder`);
    return new FeatureCache(await runtime.createSession(bytes, { label: 'PE-Tiny vision encoder (features)' }), cfg, world);
  }

  get size(): number {
    return this.features.size;
  }

  /** Encodes every key not cached yet, `batch` images per run. */
  async ensure(keys: readonly ImageKey[], batch = 32): Promise<void> {
    const missing = new Map<string, ImageKey>();
    for (const key of keys) {
      const id = imageKeyId(key);
      if (!this.features.has(id)) missing.set(id, key);
    }
    const todo = [...missing.entries()];
    const size = this.cfg.imageSize;
    const plane = 3 * size * size;
    const perImage = imageTokenCount(this.cfg) * this.cfg.decoder.width;
    for (let at = 0; at < todo.length; at += batch) {
      const chunk = todo.slice(at, at + batch);
      const pixels = new Float32Array(chunk.length * plane);
      chunk.forEach(([, key], i) => pixels.set(normalizePixels(this.cfg, renderImage(this.world, key, size)), i * plane));
      const out = await this.session.run({ pixel_values: { type: 'float32', dims: [chunk.length, 3, size, size], data: pixels } });
      const data = out.image_features.data as Float32Array;
      chunk.forEach(([id], i) => this.features.set(id, data.slice(i * perImage, (i + 1) * perImage)));
    }
  }

  /** The keys among `keys` with no features yet. */
  missing(keys: readonly ImageKey[]): ImageKey[] {
    return keys.filter((key) => !this.features.has(imageKeyId(key)));
  }

  get(key: ImageKey): Float32Array {
    const f = this.features.get(imageKeyId(key));
    if (!f) throw new Error(`no features for image ${imageKeyId(key)}: call ensure() first`);
    return f;
  }

  /** The features computed so far, kept by a cache on another session (the same model reopened on another backend). */
  adopt(from: FeatureCache): void {
    for (const [id, f] of from.features) if (!this.features.has(id)) this.features.set(id, f);
  }

  dispose(): Promise<void> {
    this.features.clear();
    return this.ownsSession ? this.session.dispose() : Promise.resolve();
  }
}
