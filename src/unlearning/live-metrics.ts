// The live metrics (the lab's curves and matrix; the bench's trajectory points): the fixed items of
// live-metrics-items.ts scored teacher-forced with any
// weights through ONE RowScorer (weights as inputs, image features from the Experiment's cache),
// in chunks of METRIC_CHUNK_ROWS rows (a caller may let other work go between chunks: a probe sent
// right after a step need not wait for all of that step's metrics), rows cut after the checked
// answer tokens. An item is known when each of its reference answer's first KNOWN_TOKENS tokens
// (`<eos>` included when the answer is that short) is the model's top token: exactly what greedy
// decoding would then say.
// Not here: when the lab takes them (worker/lab-metrics-schedule.ts) or which items (live-metrics-items.ts).
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import type { Params } from '../model/params.ts';
import { packRow, type PackedRow } from '../model/sequence.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { RunQueue } from '../runtime/run-queue.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { FeatureCache } from './features.ts';
import { RowScorer } from './scorer.ts';
import type { ImageKey, Splits, World } from '../world/index.ts';
import { LIVE_QUESTIONS, LIVE_ROWS, METRIC_ITEMS_PER_CELL, metricItems, summarizeMatrix, type LabMetrics, type LiveCell, type LiveQuestion, type LiveRow } from './live-metrics-items.ts';

/** Answer tokens checked per item: covers "This is <name> ." and an event answer's name. */
export const KNOWN_TOKENS = 8;
/** Row lengths are rounded up to a multiple of this (a static graph shape). */
const ROW_ROUNDING = 8;
/** Rows per scoring run (the scorer's batch). */
export const METRIC_CHUNK_ROWS = 16;

/**
 * Runs one piece of a measurement (a scoring chunk): directly by default; the lab engine makes each
 * its own turn in its request queue, so other requests can go between chunks.
 */
export type MetricsTurn = <T>(work: () => Promise<T>) => Promise<T>;

const direct: MetricsTurn = (work) => work();

/** Called after each scored chunk with the items scored so far and the total. */
export type MetricsProgress = (done: number, total: number) => void;

export interface MetricsModel {
  cfg: PeTinyConfig;
  tokenizer: Tokenizer;
  /** Any weights of the model (the scoring graph's template; they are inputs, not baked in). */
  params: Params;
}

interface ScoredItem {
  row: LiveRow;
  question: LiveQuestion;
  image: ImageKey;
  packed: PackedRow;
  /** The first reference tokens that must all be the model's top token. */
  expected: number[];
}

export class LiveMetrics {
  /** One scorer: calls take turns (setParams, then score). */
  private readonly turns = new RunQueue();
  /** The weights the scorer holds now. */
  private uploaded: Params | null = null;

  private constructor(
    private readonly scorer: RowScorer,
    private readonly vocabSize: number,
    private readonly features: FeatureCache,
    private readonly items: readonly ScoredItem[],
    private readonly counts: Record<LiveRow, Record<LiveQuestion, number>>,
  ) {}

  /** Builds the items of the request and opens the scorer; their images are encoded (cached) chunk by chunk as they are scored. */
  static async open(
    runtime: Runtime, model: MetricsModel, features: FeatureCache, world: World, splits: Splits, perCell = METRIC_ITEMS_PER_CELL,
  ): Promise<LiveMetrics> {
    const chosen = metricItems(world, splits, perCell);
    const imageTokens = imageTokenCount(model.cfg);
    const flat = LIVE_ROWS.flatMap((row) => LIVE_QUESTIONS.flatMap((question) => chosen[row][question].map((item) => ({ row, question, item }))));
    if (flat.length === 0) throw new Error('the forget request gives no items for the live metrics');
    // Rows end after the K-th answer token (causal attention: what follows changes nothing before it).
    const full = flat.map((i) => packRow(model.tokenizer, {
      image: true, turns: [{ question: i.item.qa.question, answer: i.item.qa.answer }], seqLen: model.cfg.maxPositions, imageTokens,
    }));
    const answerPositions = full.map((row) => [...row.lossMask.keys()].filter((t) => row.lossMask[t] > 0).slice(0, KNOWN_TOKENS));
    const longest = Math.max(...answerPositions.map((positions) => positions.at(-1)! + 1));
    const seqLen = Math.min(model.cfg.maxPositions, Math.ceil(longest / ROW_ROUNDING) * ROW_ROUNDING);
    const items = flat.map((i, n): ScoredItem => {
      const positions = answerPositions[n];
      const packed = truncateRow(full[n], seqLen, positions);
      return { row: i.row, question: i.question, image: i.item.key!, packed, expected: positions.map((t) => full[n].targets[t]) };
    });
    const counts = Object.fromEntries(LIVE_ROWS.map((row) => [row, Object.fromEntries(LIVE_QUESTIONS.map((q) => [q, chosen[row][q].length]))])) as LiveMetrics['counts'];
    const batch = Math.min(items.length, METRIC_CHUNK_ROWS);
    const scorer = await RowScorer.open(runtime, model.cfg, model.params, { batch, seqLen, logits: true }, 'PE-Tiny (live metrics)');
    return new LiveMetrics(scorer, model.cfg.vocabSize, features, items, counts);
  }

  /** Items scored per call. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Per item (in cell order: rows, then questions) whether greedy decoding with `params` would say
   * its answer's first tokens; scored METRIC_CHUNK_ROWS items at a time, each chunk through `turn`.
   */
  async knownFlags(params: Params, turn: MetricsTurn = direct, onChunk?: MetricsProgress): Promise<boolean[]> {
    const flags: boolean[] = [];
    for (let at = 0; at < this.items.length; at += METRIC_CHUNK_ROWS) {
      const chunk = this.items.slice(at, at + METRIC_CHUNK_ROWS);
      // Encoding the chunk's images (first time only) and scoring it are separate turns: each is short.
      await turn(() => this.features.ensure(chunk.map((i) => i.image)));
      flags.push(...(await turn(() => this.turns.enqueue(() => this.flagsNow(params, chunk)))));
      onChunk?.(flags.length, this.items.length);
    }
    return flags;
  }

  /** The live metrics of `params`, labelled with `step`; `ms` is the time they took (with anything `turn` let in between chunks). */
  async measure(params: Params, step: number, turn: MetricsTurn = direct, onChunk?: MetricsProgress): Promise<LabMetrics> {
    const t0 = performance.now();
    const flags = await this.knownFlags(params, turn, onChunk);
    const matrix = {} as LabMetrics['matrix'];
    for (const row of LIVE_ROWS) {
      matrix[row] = {} as Record<LiveQuestion, LiveCell>;
      for (const question of LIVE_QUESTIONS) {
        const n = this.counts[row][question];
        const known = flags.filter((flag, i) => flag && this.items[i].row === row && this.items[i].question === question).length;
        matrix[row][question] = { known: n ? known / n : null, n };
      }
    }
    return { step, matrix, ...summarizeMatrix(matrix), ms: performance.now() - t0 };
  }

  dispose(): Promise<void> {
    return this.turns.enqueue(() => this.scorer.dispose());
  }

  private async flagsNow(params: Params, items: readonly ScoredItem[]): Promise<boolean[]> {
    if (this.uploaded !== params) {
      await this.scorer.setParams(params);
      this.uploaded = params;
    }
    await this.features.ensure(items.map((i) => i.image)); // encoded in an earlier turn; a no-op then
    const scores = await this.scorer.score(items.map((i) => i.packed), (i) => this.features.get(items[i].image), { logits: true });
    const vocab = this.vocabSize;
    return items.map((item, i) => {
      const logits = scores[i].logits!;
      return item.expected.every((token, k) => argmax(logits, k * vocab, vocab) === token);
    });
  }
}

/** The first `seqLen` positions of a row, with the loss on `answerPositions` only. */
function truncateRow(row: PackedRow, seqLen: number, answerPositions: readonly number[]): PackedRow {
  const lossMask = new Float32Array(seqLen);
  for (const t of answerPositions) lossMask[t] = 1;
  return {
    ...row, lossMask, length: Math.min(row.length, seqLen),
    inputIds: row.inputIds.slice(0, seqLen), targets: row.targets.slice(0, seqLen), positionIds: row.positionIds.slice(0, seqLen), segmentIds: row.segmentIds.slice(0, seqLen),
  };
}

/** Index of the largest of `length` values from `offset` (the first on ties, as greedy decoding picks). */
export function argmax(values: Float32Array, offset: number, length: number): number {
  let best = 0;
  for (let v = 1; v < length; v++) if (values[offset + v] > values[offset + best]) best = v;
  return best;
}
