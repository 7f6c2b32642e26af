// The lab's probe inputs, checked before any model runs: a question (the shared check of
// src/model/question-check.ts, as a LabError) and a picture (a world render or any RGBA image, resized),
// turned into normalised pixels; and one model's greedy answer as text plus per-token probabilities.
// Not here: which models answer (lab-prober.ts, lab-models.ts), verdicts (eval/probe-verdict.ts).
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { imageToModelRgba } from '../model/image-input.ts';
import { normalizePixels } from '../model/pixels.ts';
import { ANSWER_TOKENS, QuestionError, checkQuestionText } from '../model/question-check.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { promptIds } from '../model/prompt.ts';
import { generate, type Generation, type InferenceSessions } from '../runtime/generate.ts';
import { renderImage, type World } from '../world/index.ts';
import { LabError, type ProbeAnswer, type ProbeImage } from './lab-protocol.ts';

export { MAX_QUESTION_CHARS } from '../model/question-check.ts';
/** New tokens an answer may take (longer than any answer of the world). */
export const PROBE_ANSWER_TOKENS = ANSWER_TOKENS;

/** The trimmed question (src/model/question-check.ts, shared with `pebench ask`); a refusal is a 'bad-input' LabError. */
export function checkQuestion(question: unknown, tokenizer: Tokenizer, cfg: PeTinyConfig, withImage: boolean): string {
  try {
    return checkQuestionText(question, tokenizer, cfg, withImage, PROBE_ANSWER_TOKENS);
  } catch (error) {
    if (error instanceof QuestionError) throw new LabError('bad-input', error.message);
    throw error;
  }
}

/** Normalised (3, S, S) pixels of the probe's picture, or null for a text-only question. */
export function probePixels(image: ProbeImage | null, world: World, cfg: PeTinyConfig): Float32Array | null {
  if (image === null) return null;
  if (typeof image !== 'object') throw new LabError('bad-input', 'image must be null, { personId, eventId, variant } or { rgba, width, height }');
  if ('rgba' in image) {
    const { rgba, width, height } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || !(rgba instanceof Uint8Array || rgba instanceof Uint8ClampedArray) || rgba.length !== width * height * 4) {
      throw new LabError('bad-input', `image.rgba must hold width x height x 4 bytes (${width}x${height}x4), got ${(rgba as { length?: number })?.length ?? 'none'}`);
    }
    return normalizePixels(cfg, imageToModelRgba({ width, height, channels: 4, depth: 8, data: rgba }, cfg.imageSize).rgba);
  }
  const { personId, eventId, variant } = image;
  const inRange = (v: number, max: number) => Number.isInteger(v) && v >= 0 && v <= max;
  const { persons, events, freshPerPair } = world.config;
  if (!inRange(personId, persons - 1) || !inRange(eventId, events - 1) || !inRange(variant, freshPerPair)) {
    throw new LabError('bad-input', `no such world image person ${personId}, event ${eventId}, variant ${variant}: persons are 0-${persons - 1}, events 0-${events - 1}, variants 0-${freshPerPair} (0 = training render)`);
  }
  return normalizePixels(cfg, renderImage(world, { personId, eventId, variant }, cfg.imageSize));
}

/** The greedy answer of one model to one probe, and the question's words the tokenizer did not know. */
export async function answerProbe(
  sessions: InferenceSessions, tokenizer: Tokenizer, question: string, pixels: Float32Array | null,
): Promise<{ answer: ProbeAnswer; unknownWords: string[] }> {
  const prompt = promptIds(tokenizer, { image: pixels !== null, question }, imageTokenCount(sessions.cfg));
  const [generation] = await generate(sessions, tokenizer, [{ inputIds: prompt.ids, pixels }], { maxNewTokens: PROBE_ANSWER_TOKENS });
  return { answer: probeAnswer(generation, tokenizer), unknownWords: prompt.unknown };
}

function probeAnswer(generation: Generation, tokenizer: Tokenizer): ProbeAnswer {
  return {
    text: generation.text,
    tokens: generation.tokens.map((id, i) => ({ token: tokenizer.vocab[id] ?? '<unk>', prob: generation.probs[i] })),
    stop: generation.stop,
  };
}
