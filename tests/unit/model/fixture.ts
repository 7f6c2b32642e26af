// Shared test fixture: a tiny world (3 persons x 2 events), its tokenizer, PE-Tiny's TEST_CONFIG
// sized to that vocabulary, random parameters, and helpers to run the inference graphs directly.
// Not a test file (no .test.ts suffix).
import {
  REFUSAL_ANSWERS, createWorld, questionsFor, renderImage, textFactsFor, worldVocabulary, type ImageKey,
} from '../../../src/world/index.ts';
import * as M from '../../../src/model/index.ts';
import type { RuntimeSession } from '../../../src/runtime/index.ts';
import type { Feed } from '../../../src/runtime/session.ts';

export const world = createWorld({ persons: 3, events: 2 });
export const tokenizer = M.Tokenizer.fromWords(worldVocabulary(world));
export const cfg = M.withVocabulary(M.TEST_CONFIG, tokenizer.size);
export const imageTokens = M.imageTokenCount(cfg);

export function randomParams(seed = 1): M.Params {
  return M.initParams(cfg, seed);
}

export function rgbaOf(key: ImageKey): Uint8ClampedArray {
  return renderImage(world, key, cfg.imageSize);
}

/** Full-sequence logits (T, V) of one prompt+answer through embed_tokens + vision_encoder + decoder (empty past). */
export async function inferenceLogits(
  sessions: { vision: RuntimeSession; embed: RuntimeSession; decoder: RuntimeSession; decoderFeeds?: Readonly<Record<string, Feed>> },
  ids: readonly number[], pixels: Float32Array | null,
): Promise<Float32Array> {
  const t = ids.length;
  const d = cfg.decoder.width;
  const { inputs_embeds: embedsT } = await sessions.embed.run({ input_ids: { type: 'int64', dims: [1, t], data: BigInt64Array.from(ids, BigInt) } });
  const embeds = Float32Array.from(embedsT.data as Float32Array);
  if (pixels) {
    const { image_features: f } = await sessions.vision.run({ pixel_values: { type: 'float32', dims: [1, 3, cfg.imageSize, cfg.imageSize], data: pixels } });
    let j = 0;
    ids.forEach((id, i) => {
      if (id === tokenizer.ids.image) embeds.set((f.data as Float32Array).subarray(j * d, ++j * d), i * d);
    });
  }
  const feeds: Record<string, { type: 'float32' | 'int64'; dims: number[]; data: Float32Array | BigInt64Array }> = {
    inputs_embeds: { type: 'float32', dims: [1, t, d], data: embeds },
    attention_mask: { type: 'int64', dims: [1, t], data: new BigInt64Array(t).fill(1n) },
    position_ids: { type: 'int64', dims: [1, t], data: BigInt64Array.from({ length: t }, (_, i) => BigInt(i)) },
  };
  const hd = M.headDim(cfg);
  for (let l = 0; l < cfg.decoder.layers; l++) {
    for (const kind of ['key', 'value']) feeds[`past_key_values.${l}.${kind}`] = { type: 'float32', dims: [1, cfg.decoder.heads, 0, hd], data: new Float32Array(0) };
  }
  const { logits } = await sessions.decoder.run({ ...sessions.decoderFeeds, ...feeds }, { outputs: ['logits'] });
  return logits.data as Float32Array;
}

/** log softmax(logits[row])[target]. */
export function logProbAt(logits: Float32Array, vocab: number, row: number, target: number): number {
  const slice = logits.subarray(row * vocab, (row + 1) * vocab);
  let max = -Infinity;
  for (const v of slice) max = Math.max(max, v);
  let sum = 0;
  for (const v of slice) sum += Math.exp(v - max);
  return slice[target] - max - Math.log(sum);
}

/** Every distinct question and answer text of the tiny world (and the refusals). */
export function worldTexts(): string[] {
  const texts: string[] = [];
  for (const person of world.persons) {
    for (const event of world.events) {
      for (const qa of questionsFor(world, { personId: person.id, eventId: event.id, variant: 0 })) texts.push(qa.question, qa.answer);
    }
    for (const qa of textFactsFor(world, person.id)) texts.push(qa.question, qa.answer);
  }
  texts.push(...Object.values(REFUSAL_ANSWERS).flat());
  return [...new Set(texts)];
}
