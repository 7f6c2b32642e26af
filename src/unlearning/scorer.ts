// Scores packed rows with any PE-Tiny weights through ONE scoring session: the weights are graph
// inputs, uploaded once per setParams (Finetune for reference values, the current unlearned model,
// the Goal model), and image features come from the feature cache, so no image is encoded twice.
// Per row it gives the answer tokens' log-probs, their sum, and optionally the vocabulary mean and
// std of log p (Min-K%++), the logits at answer positions (KL, SIU reference) or a decoder block's
// output there (RMU reference).
// Not here: which rows are scored (driver.ts, evaluate.ts) or what the numbers mean (src/eval).
import * as E from '../engine/index.ts';
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { paramFeeds } from '../model/graph-io.ts';
import type { Params } from '../model/params.ts';
import { rowsToFeeds, type PackedRow } from '../model/sequence.ts';
import { buildScoringGraph } from '../model/vlm.ts';
import type { DeviceTensor } from '../runtime/device-tensor.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { RuntimeSession } from '../runtime/session.ts';
import type { HostTensor } from '../runtime/types.ts';

export interface RowScore {
  /** Log-prob of each answer token (positions where loss_mask is 1), in order. */
  tokenLogProbs: Float32Array;
  /** Their sum. */
  sequenceLogProb: number;
  /** Per answer token: mean and std of log p(v) over the vocabulary (when opened with distribution). */
  mu?: Float32Array;
  sigma?: Float32Array;
  /** (answer tokens, V) logits at the answer positions (when asked). */
  logits?: Float32Array;
  /** (answer tokens, D) hidden states of the scorer's hidden layer at the answer positions (when asked). */
  hidden?: Float32Array;
}

export interface ScorerOptions {
  /** Rows per run (static); the last chunk is padded. */
  batch: number;
  seqLen: number;
  distribution?: boolean;
  logits?: boolean;
  /** Also give a decoder block's output (RMU's reference activations). */
  hiddenLayer?: number;
}

export class RowScorer {
  private weights: Record<string, DeviceTensor> | null = null;

  private constructor(
    private readonly runtime: Runtime,
    private readonly session: RuntimeSession,
    private readonly cfg: PeTinyConfig,
    private readonly graph: E.Graph,
    readonly options: ScorerOptions,
  ) {}

  static async open(runtime: Runtime, cfg: PeTinyConfig, template: Params, options: ScorerOptions, label = 'PE-Tiny scoring'): Promise<RowScorer> {
    const graph = buildScoringGraph(cfg, template, {
      batch: options.batch, seqLen: options.seqLen, imageInput: 'features', logits: options.logits, distribution: options.distribution,
      hiddenLayer: options.hiddenLayer,
    });
    const bytes = E.toOnnx(graph, { frozenParams: 'inputs', graphName: 'pe_tiny_scoring' }).model;
    return new RowScorer(runtime, await runtime.createSession(bytes, { label }), cfg, graph, options);
  }

  /** Uploads a full set of weights (LoRA already merged); later score() calls use them. */
  async setParams(params: Params): Promise<void> {
    const uploaded: Record<string, DeviceTensor> = {};
    for (const [name, feed] of Object.entries(paramFeeds(this.graph, params))) uploaded[name] = await this.runtime.toDevice(name, feed);
    this.releaseWeights();
    this.weights = uploaded;
  }

  /** Scores `rows`; `features(i)` gives row i's image features (N x D), or null for a text row. */
  async score(rows: readonly PackedRow[], features: (index: number) => Float32Array | null, what: { logits?: boolean; hidden?: boolean } = {}): Promise<RowScore[]> {
    if (!this.weights) throw new Error('RowScorer: call setParams before score');
    const { batch, seqLen } = this.options;
    const n = imageTokenCount(this.cfg);
    const width = this.cfg.decoder.width;
    const vocab = this.cfg.vocabSize;
    const outputs = ['token_logprobs', ...(this.options.distribution ? ['token_mu', 'token_sigma'] : []), ...(what.logits ? ['logits'] : []), ...(what.hidden ? ['hidden'] : [])];
    if (what.logits && !this.options.logits) throw new Error('RowScorer: open it with logits: true to read logits');
    if (what.hidden && this.options.hiddenLayer === undefined) throw new Error('RowScorer: open it with a hiddenLayer to read hidden states');
    const scores: RowScore[] = [];
    for (let at = 0; at < rows.length; at += batch) {
      const chunk = rows.slice(at, at + batch);
      const padded = [...chunk, ...new Array<PackedRow>(batch - chunk.length).fill(chunk[0])];
      if (padded.some((r) => r.inputIds.length !== seqLen)) throw new RangeError(`rows must have length ${seqLen} (the scorer's seqLen)`);
      const imageFeatures = new Float32Array(batch * n * width);
      chunk.forEach((_, i) => {
        const f = features(at + i);
        if (f) imageFeatures.set(f, i * n * width);
      });
      const feeds: Record<string, HostTensor | DeviceTensor> = {
        ...rowsToFeeds(padded),
        image_features: { type: 'float32', dims: [batch, n, width], data: imageFeatures },
        ...this.weights,
      };
      const out = await this.session.run(feeds, { outputs });
      const lp = out.token_logprobs.data as Float32Array;
      chunk.forEach((row, i) => {
        const positions: number[] = [];
        row.lossMask.forEach((m, t) => m > 0 && positions.push(t));
        const pick = (data: Float32Array) => Float32Array.from(positions, (t) => data[i * seqLen + t]);
        const tokenLogProbs = pick(lp);
        const score: RowScore = { tokenLogProbs, sequenceLogProb: tokenLogProbs.reduce((a, b) => a + b, 0) };
        if (this.options.distribution) {
          score.mu = pick(out.token_mu.data as Float32Array);
          score.sigma = pick(out.token_sigma.data as Float32Array);
        }
        // (answer tokens, size) rows of a (B, T, size) output.
        const atAnswers = (all: Float32Array, size: number) => {
          const kept = new Float32Array(positions.length * size);
          positions.forEach((t, j) => kept.set(all.subarray((i * seqLen + t) * size, (i * seqLen + t + 1) * size), j * size));
          return kept;
        };
        if (what.logits) score.logits = atAnswers(out.logits.data as Float32Array, vocab);
        if (what.hidden) score.hidden = atAnswers(out.hidden.data as Float32Array, width);
        scores.push(score);
      });
    }
    return scores;
  }

  async dispose(): Promise<void> {
    this.releaseWeights();
    await this.session.dispose();
  }

  private releaseWeights(): void {
    for (const t of Object.values(this.weights ?? {})) t.dispose();
    this.weights = null;
  }
}
