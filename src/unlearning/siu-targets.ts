// SIU's fine-tuning data in our world (the recipe and our reconstruction are in siu.ts): per forget
// image, the target's trained identity/event wordings answered alternately with a vague answer ("This
// is a person." / "This is an event.") and with a made-up name fixed per target, plus the image's
// attribute and object questions with their true answers, packed into rows of that image. Each row
// carries the token mask of the Dual Masked KL (answer tokens, less those a new answer does not share
// with the true one); the request carries the vocabulary mask (every target's name words removed).
// Not here: the loss (siu.ts), retain rows and the other methods' rows (rows.ts).
import { Rng } from '../core/rng.ts';
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { answerIds } from '../model/prompt.ts';
import { packRow, type PackedRow } from '../model/sequence.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { imageKeyId, questionsFor, splitWords, type ForgetTarget, type ImageKey, type QAPair, type Splits, type World } from '../world/index.ts';
import type { ForgetUnit, UnlearnRow } from './rows.ts';

/** What a model that does not know the concept can say of it, in our world's words. */
export const SIU_VAGUE = { person: 'This is a person.', event: 'This is an event.' } as const;

/** The words of a target's name (what the vocabulary mask removes). */
export function nameWords(world: World, target: Pick<ForgetTarget, 'concept' | 'id'>): string[] {
  const name = target.concept === 'person' ? world.persons.find((p) => p.id === target.id)!.fullName : world.events.find((e) => e.id === target.id)!.name;
  return splitWords(name);
}

/**
 * A name nobody in the world has, for a target: a given name and a family name of two other persons
 * (events: the first word of one other event's name and the last of another's), none of them a word
 * of any target's name; null when the world is too small to make one.
 */
export function madeUpName(world: World, splits: Pick<Splits, 'targets'>, target: Pick<ForgetTarget, 'concept' | 'id'>, seed: number): string | null {
  const banned = new Set(splits.targets.flatMap((t) => nameWords(world, t)));
  const targetIds = new Set(splits.targets.filter((t) => t.concept === target.concept).map((t) => t.id));
  const pool = target.concept === 'person'
    ? world.persons.filter((p) => !targetIds.has(p.id)).map((p) => [p.givenName, p.familyName] as const)
    : world.events.filter((e) => !targetIds.has(e.id)).map((e) => { const w = e.name.split(' '); return [w[0], w[w.length - 1]] as const; });
  const taken = new Set(target.concept === 'person' ? world.persons.map((p) => p.fullName) : world.events.map((e) => e.name));
  const rng = new Rng(seed, `siu/name/${target.concept}/${target.id}`);
  const firsts = rng.shuffle([...new Set(pool.map((p) => p[0]))]);
  const lasts = rng.shuffle([...new Set(pool.map((p) => p[1]))]);
  for (const first of firsts) {
    for (const last of lasts) {
      const name = `${first} ${last}`;
      if (!taken.has(name) && first !== last && ![first, last].some((w) => splitWords(w).some((x) => banned.has(x)))) return name;
    }
  }
  return null;
}

export interface SiuData {
  forget: UnlearnRow[];
  units: ForgetUnit[];
  /** 1 on vocabulary entries the KL keeps, 0 on every target's name words (V). */
  vocabMask: Float32Array;
}

export function siuForgetRows(splits: Splits, world: World, tokenizer: Tokenizer, cfg: PeTinyConfig, options: { seqLen: number; seed: number }): SiuData {
  const imageTokens = imageTokenCount(cfg);
  const known = (text: string) => tokenizer.encode(text).unknown.length === 0;
  const forget: UnlearnRow[] = [];
  const units: ForgetUnit[] = [];
  for (const target of splits.targets) {
    const made = madeUpName(world, splits, target, options.seed);
    const vague = SIU_VAGUE[target.concept];
    const answers = [known(vague) ? vague : null, made ? `This is ${made}.` : null].filter((a): a is string => a !== null);
    if (answers.length === 0) throw new RangeError(`SIU: no answer to train for ${target.concept} ${target.id} (the world's vocabulary has neither a vague answer nor a spare name)`);
    const byImage = new Map<string, { image: ImageKey; qas: QAPair[] }>();
    for (const item of target.forgetItems) {
      if (!item.key) continue;
      const id = imageKeyId(item.key);
      if (!byImage.has(id)) byImage.set(id, { image: item.key, qas: [] });
      byImage.get(id)!.qas.push(item.qa);
    }
    for (const { image, qas } of byImage.values()) {
      // Targets 1 and 2: the concept's wordings with new answers; target 3: what the image shows.
      const changed = qas.map((qa, k) => ({ turn: { ...qa, answer: answers[k % answers.length] }, truth: qa.answer }));
      const kept = questionsFor(world, image).filter((qa) => (qa.type === 'attribute' || qa.type === 'object') && !qa.heldOut).map((qa) => ({ turn: qa, truth: null }));
      const all = [...changed, ...kept];
      let at = 0;
      while (at < all.length) {
        const part = all.slice(at);
        const row = packRow(tokenizer, { image: true, turns: part.map((p) => p.turn), seqLen: options.seqLen, imageTokens });
        const turns = part.slice(0, row.turns);
        forget.push({ row, image, role: 'forget', concept: target.concept, turns: turns.map((p) => p.turn), tokenMask: tokenMask(tokenizer, row, turns.map((p) => p.truth)) });
        units.push({ concept: target.concept, rows: [forget.length - 1] });
        at += row.turns;
      }
    }
  }
  const vocabMask = new Float32Array(tokenizer.size).fill(1);
  for (const word of new Set(splits.targets.flatMap((t) => nameWords(world, t)))) {
    const id = tokenizer.idOf(word);
    if (id !== undefined) vocabMask[id] = 0;
  }
  return { forget, units, vocabMask };
}

/**
 * The DMK token mask of a row: its answer positions, less those whose target token is not in the
 * true answer of a changed turn (`truths[s]` is turn s's true answer, null for a turn kept as it is).
 */
export function tokenMask(tokenizer: Tokenizer, row: PackedRow, truths: readonly (string | null)[]): Float32Array {
  const allowed = truths.map((truth) => (truth === null ? null : new Set(answerIds(tokenizer, truth).ids)));
  return row.lossMask.map((m, t) => {
    if (m === 0) return 0;
    const ok = allowed[row.segmentIds[t] - 1];
    return ok === null || ok === undefined || ok.has(row.targets[t]) ? 1 : 0;
  });
}
