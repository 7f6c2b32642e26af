// Asking PE-Tiny questions: builds the lab's prompt for each question (with or without an image),
// runs greedy generation in batches on the lab's runtime and reports words the tokenizer did not
// know (they became `<unk>`). One object serves `pebench ask`, `pebench eval`, the trainer's
// validation and the browser lab. Not here: prompt layout (src/model/prompt.ts), scoring (src/eval).
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { promptIds } from '../model/prompt.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { generate, openInferenceSessions, type Generation, type InferenceSessions } from './generate.ts';
import type { Runtime } from './runtime.ts';

export interface Question {
  question: string;
  /** Normalised pixels (3, S, S) from normalizePixels, or null for a text-only question. */
  pixels: Float32Array | null;
  /** Or the image's features (N x D) from this model's vision encoder, computed earlier. */
  features?: Float32Array | null;
}

export interface Answer extends Generation {
  /** Question words not in the vocabulary (each became `<unk>`). */
  unknown: string[];
}

export interface AnswerOptions {
  /** Prompts per generate() call (default 32). */
  batchSize?: number;
  /** Default 48: longer than any answer of the world. */
  maxNewTokens?: number;
  /** Called after each batch with the number of questions answered so far. */
  onProgress?: (done: number, total: number) => void;
}

/** A model folder's pieces that answering needs (loadModel's result has them). */
export interface AnswerableModel {
  cfg: PeTinyConfig;
  tokenizer: Tokenizer;
  /** INFERENCE_FILES paths to ONNX bytes. */
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;
}

export class Answerer {
  private constructor(readonly cfg: PeTinyConfig, readonly tokenizer: Tokenizer, private readonly sessions: InferenceSessions) {}

  static async open(runtime: Runtime, model: AnswerableModel, label = 'PE-Tiny'): Promise<Answerer> {
    return new Answerer(model.cfg, model.tokenizer, await openInferenceSessions(runtime, model.cfg, model.files, label));
  }

  async answer(questions: readonly Question[], options: AnswerOptions = {}): Promise<Answer[]> {
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    const plane = 3 * this.cfg.imageSize * this.cfg.imageSize;
    const answers: Answer[] = [];
    for (let at = 0; at < questions.length; at += batchSize) {
      const chunk = questions.slice(at, at + batchSize);
      const prompts = chunk.map((q) => {
        if (q.pixels && q.pixels.length !== plane) {
          throw new RangeError(`pixels hold ${q.pixels.length} values but the model takes 3 x ${this.cfg.imageSize} x ${this.cfg.imageSize} = ${plane}: pass normalizePixels(cfg, rgba) of a ${this.cfg.imageSize} px image`);
        }
        return promptIds(this.tokenizer, { image: q.pixels !== null || !!q.features, question: q.question }, imageTokenCount(this.cfg));
      });
      const generated = await generate(
        this.sessions, this.tokenizer, chunk.map((q, i) => ({ inputIds: prompts[i].ids, pixels: q.pixels, features: q.features })), { maxNewTokens: options.maxNewTokens ?? 48 },
      );
      generated.forEach((g, i) => answers.push({ ...g, unknown: prompts[i].unknown }));
      options.onProgress?.(answers.length, questions.length);
    }
    return answers;
  }

  dispose(): Promise<void> {
    return this.sessions.dispose();
  }
}
