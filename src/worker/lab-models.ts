// What the lab's engine loads once: the runtime on the chosen backend (WebGPU falling back to WASM,
// saying why; it may be started before the model is known: startBackend), the verified Finetune
// model and its world, the Goal model when one is given, and the probe's two models: the Finetune
// model's inference sessions (opened once) and the current weights' (a LoRA run: one decoder taking
// the adapters as inputs; trained blocks: a new decoder session when the weights changed; vision
// encoder and embedding shared); the Finetune model's image features (over the probe's vision
// session) and reference scorers, kept for every request; and the same models reopened on another backend.
// Not here: runs, requests or message transport (lab-engine.ts).
import type { Unavailable } from '../eval/pebench-report.ts';
import type { LoadedModel } from '../model/export.ts';
import * as E from '../engine/index.ts';
import { INFERENCE_FILES, buildDecoderGraph, inferenceModels } from '../model/inference.ts';
import type { Params } from '../model/params.ts';
import { openInferenceSessions, openRuntime as openDefaultRuntime, type InferenceSessions } from '../runtime/index.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { RuntimeSession } from '../runtime/session.ts';
import type { HostTensor } from '../runtime/types.ts';
import { DEFAULT_UNLEARN_SEQ_LEN } from '../unlearning/driver.ts';
import { FeatureCache } from '../unlearning/features.ts';
import { ReferenceScorers } from '../unlearning/reference.ts';
import type { World } from '../world/index.ts';
import { LAB_BACKENDS, LabError, type LabBackend, type LabProgress } from './lab-protocol.ts';
import { modelWorld } from './lab-setup.ts';

export interface ModelLoaders {
  /**
   * Loads and verifies the model folder at `url` (UrlFiles in the worker, a folder in Node tests);
   * `ahead` holds files of it already downloaded (by the page), by path.
   */
  loadModel(url: string, ahead?: Readonly<Record<string, ArrayBuffer>>): Promise<LoadedModel>;
  /** Default: src/runtime's openRuntime (onnxruntime-web in a worker, onnxruntime-node in Node). */
  openRuntime?(backend: LabBackend): Promise<Runtime>;
}

/** A runtime opened for the lab, and its WASM start-up under way (warm never rejects). */
export interface StartedBackend {
  runtime: Runtime;
  backend: LabBackend;
  fallback?: string;
  warm: Promise<void>;
}


/**
 * A backend opened before the first load request (the worker starts the one it is named for): the
 * load on that backend takes it over; any other backend, or disposing the engine, closes it.
 */
export class EarlyBackend {
  private started: { backend: LabBackend; opened: Promise<StartedBackend> } | null = null;

  start(loaders: ModelLoaders, backend: LabBackend): void {
    if (this.started || !LAB_BACKENDS.includes(backend)) return;
    const opened = LabModels.startBackend(loaders, backend);
    opened.catch(() => {}); // the load that takes it over reports the failure
    this.started = { backend, opened };
  }

  /** The started runtime when it is `backend`'s (once); any other is closed. */
  take(backend: LabBackend | null): Promise<StartedBackend> | undefined {
    const started = this.started;
    this.started = null;
    if (!started) return undefined;
    if (started.backend === backend) return started.opened;
    void started.opened.then((s) => s.runtime.dispose(), () => {});
    return undefined;
  }
}

/** Whose whole weights a built session holds: the run's current weights, or a pinned run's. */
export type WeightsSlot = 'current' | 'pinned';

/** A run's LoRA adapters (UnlearnRun.loraAdapters). */
export interface Adapters {
  rank: number;
  alpha: number;
  values: Record<string, HostTensor>;
}

export class LabModels {
  /** Sessions built for whole weights, by slot: the run's current weights, and a pinned run's (kept apart so they do not evict each other). */
  private readonly built = new Map<WeightsSlot, { key: string; sessions: InferenceSessions }>();
  /** Decoder sessions taking LoRA adapters as inputs, one per rank and alpha, opened once. */
  private readonly adapterDecoders = new Map<string, Promise<RuntimeSession>>();
  /** The Finetune model's image features of world images, encoded once (by the probe's vision session) for every request. */
  readonly features: FeatureCache;
  /** The Finetune model's reference scorers (weights uploaded once), for every run. */
  readonly referenceScorers: ReferenceScorers;

  private constructor(
    readonly runtime: Runtime,
    readonly backend: LabBackend,
    /** Why the backend is not the one asked for. */
    readonly fallback: string | undefined,
    readonly finetune: LoadedModel,
    readonly goal: LoadedModel | Unavailable,
    readonly world: World,
    /** The Finetune model's inference sessions. */
    readonly base: InferenceSessions,
  ) {
    this.features = FeatureCache.over(base.vision, finetune.cfg, world);
    this.referenceScorers = new ReferenceScorers(runtime, finetune, DEFAULT_UNLEARN_SEQ_LEN);
  }

  /**
   * Opens `backend`'s runtime and starts its WASM (compile, threads) with a one-op session, before
   * any model is known: the worker does this as it starts, while the page downloads the model.
   */
  static startBackend(loaders: ModelLoaders, backend: LabBackend): Promise<StartedBackend> {
    return openBackend(loaders, backend).then((opened) => ({ ...opened, warm: warmUp(opened.runtime) }));
  }

  /** `started`: startBackend's result for `request.backend`, when the worker began with it. */
  static async load(
    loaders: ModelLoaders, request: { modelUrl: string; goalUrl?: string; backend: LabBackend; files?: Readonly<Record<string, ArrayBuffer>> },
    progress: (p: LabProgress) => void, started?: Promise<StartedBackend>,
  ): Promise<LabModels> {
    const step = (phase: string, done: number) => progress({ phase, done, total: 3 });
    step('runtime', 0);
    // The runtime's first session starts its WASM (compile, threads): that overlaps the model's download.
    const { runtime, backend, fallback, warm } = await (started ?? LabModels.startBackend(loaders, request.backend));
    try {
      step('model', 1);
      const finetune = await loadFolder(loaders, request.modelUrl, 'Finetune model', request.files);
      await warm;
      const world = modelWorld(finetune, request.modelUrl);
      step('goal', 2);
      const goal: LoadedModel | Unavailable = request.goalUrl
        ? await loadFolder(loaders, request.goalUrl, 'Goal model')
        : { unavailable: 'no Goal model was loaded (load one with goalUrl for forget quality and PrivLeak)' };
      const base = await openInferenceSessions(runtime, finetune.cfg, finetune.files, 'Finetune model (probe)');
      step('ready', 3);
      return new LabModels(runtime, backend, fallback, finetune, goal, world, base);
    } catch (error) {
      await runtime.dispose();
      throw error;
    }
  }

  /**
   * The same models on a fresh runtime of `backend` (after the WebGPU device was lost): the host
   * weights, tokenizer and world are kept, every session is opened again. `why` becomes the fallback.
   */
  async reopen(loaders: ModelLoaders, backend: LabBackend, why: string): Promise<LabModels> {
    const runtime = await (loaders.openRuntime ?? ((b: LabBackend) => openDefaultRuntime({ backend: b })))(backend);
    try {
      const base = await openInferenceSessions(runtime, this.finetune.cfg, this.finetune.files, 'Finetune model (probe)');
      const moved = new LabModels(runtime, runtime.backend, why, this.finetune, this.goal, this.world, base);
      moved.features.adopt(this.features);
      return moved;
    } catch (error) {
      await runtime.dispose();
      throw error;
    }
  }

  /**
   * Inference sessions with `params`, the weights known as `key`; reused while the key stays the
   * same in its `slot`. Unlearning trains decoder blocks only: when the vision and embedding weights are the
   * Finetune model's own arrays, only a decoder session is built and the other two are shared.
   */
  async sessionsFor(key: string, params: Params, slot: WeightsSlot = 'current'): Promise<InferenceSessions> {
    const kept = this.built.get(slot);
    if (kept?.key === key) return kept.sessions;
    const { cfg, params: finetuneParams } = this.finetune;
    const label = slot === 'pinned' ? 'pinned run (probe)' : 'current model (probe)';
    const untouched = (...prefixes: string[]) =>
      Object.keys(params).filter((n) => prefixes.some((p) => n.startsWith(p))).every((n) => params[n] === finetuneParams[n]);
    let sessions: InferenceSessions;
    if (untouched('vision.', 'projector.', 'decoder.embed_tokens')) {
      const bytes = E.toOnnx(buildDecoderGraph(cfg, params), { graphName: 'decoder_model_merged' }).model;
      const decoder = await this.runtime.createSession(bytes, { label: `${label}/${INFERENCE_FILES.decoder}` });
      sessions = { ...this.base, decoder, dispose: () => decoder.dispose() };
    } else {
      sessions = await openInferenceSessions(this.runtime, cfg, inferenceModels(cfg, params), label);
    }
    await kept?.sessions.dispose();
    this.built.set(slot, { key, sessions });
    return sessions;
  }

  /**
   * The Finetune model's sessions with a decoder that takes LoRA adapters as inputs, fed `adapters`:
   * the current weights of a LoRA run without building a session per step. The decoder is opened
   * on first use for each rank (prepare() opens it before the first probe needs it).
   */
  async sessionsWithAdapters(adapters: Adapters): Promise<InferenceSessions> {
    const decoder = await this.adapterDecoder(adapters.rank, adapters.alpha);
    return { ...this.base, decoder, decoderFeeds: adapters.values, dispose: async () => {} };
  }

  /** Opens the adapter decoder for `rank` and `alpha` ahead of time. */
  async prepareAdapters(rank: number, alpha: number): Promise<void> {
    await this.adapterDecoder(rank, alpha);
  }

  private adapterDecoder(rank: number, alpha: number): Promise<RuntimeSession> {
    const key = `${rank}:${alpha}`;
    let opening = this.adapterDecoders.get(key);
    if (!opening) {
      const { cfg, params } = this.finetune;
      const bytes = E.toOnnx(buildDecoderGraph(cfg, params, { rank, alpha }), { graphName: 'decoder_model_merged' }).model;
      opening = this.runtime.createSession(bytes, { label: `current model with rank-${rank} adapters (probe)/${INFERENCE_FILES.decoder}` });
      opening.catch(() => this.adapterDecoders.delete(key));
      this.adapterDecoders.set(key, opening);
    }
    return opening;
  }

  async dispose(): Promise<void> {
    for (const opening of this.adapterDecoders.values()) await opening.then((session) => session.dispose(), () => {});
    this.adapterDecoders.clear();
    await this.referenceScorers.dispose();
    await this.features.dispose();
    for (const { sessions } of this.built.values()) await sessions.dispose();
    this.built.clear();
    await this.base.dispose();
    await this.runtime.dispose();
  }
}

/** Opens (and drops) a one-op session so the backend's start-up cost overlaps other work; never throws. */
async function warmUp(runtime: Runtime): Promise<void> {
  const g = new E.Graph('float32');
  const x = g.input('x', [1]);
  g.output('y', E.add(x, x));
  try {
    const session = await runtime.createSession(E.toOnnx(g, { graphName: 'warm_up' }).model, { label: 'warm-up' });
    await session.dispose();
  } catch {
    // The real sessions report any problem with the backend.
  }
}

async function openBackend(loaders: ModelLoaders, backend: LabBackend): Promise<{ runtime: Runtime; backend: LabBackend; fallback?: string }> {
  const open = loaders.openRuntime ?? ((b: LabBackend) => openDefaultRuntime({ backend: b }));
  try {
    const runtime = await open(backend);
    return { runtime, backend: runtime.backend };
  } catch (error) {
    if (backend !== 'webgpu') throw error;
    const runtime = await open('wasm');
    return { runtime, backend: runtime.backend, fallback: `WebGPU could not be used (${error instanceof Error ? error.message : String(error)}); running on WASM` };
  }
}

async function loadFolder(loaders: ModelLoaders, url: string, what: string, ahead?: Readonly<Record<string, ArrayBuffer>>): Promise<LoadedModel> {
  try {
    return await loaders.loadModel(url, ahead);
  } catch (error) {
    throw new LabError('model', `the ${what} at ${url} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
