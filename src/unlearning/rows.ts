// What the unlearning steps train on, as packed rows (src/model/sequence.ts layout):
// - forget rows: each forget image's trained wordings of its target's question (splits.ts forgetItems),
//   packed greedily into rows of that image; refusal answers for methods that want them (PO), and
//   (refusal row, true-answer row) twins with the same prompts for pair methods (DPO);
// - retain rows: one row per item of the split's retainTrainItems (a sample of retained persons' and
//   events' images disjoint from every evaluation set).
// - SIU: its own forget rows (siu-targets.ts), built from the forget images alone.
// Nothing else of the splits ever reaches a row: generality, retain-eval, scope and utility items
// are for evaluation only.
// Not here: which rows form a batch (batches.ts) or their reference values (reference.ts).
import { Rng } from '../core/rng.ts';
import { imageTokenCount, type PeTinyConfig } from '../model/config.ts';
import { packRow, type PackedRow } from '../model/sequence.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { REFUSAL_ANSWERS, imageKeyId, type ForgetConcept, type ImageKey, type QAPair, type SplitItem, type Splits, type World } from '../world/index.ts';
import type { MethodDef } from './method.ts';
import { siuForgetRows, type SiuData } from './siu-targets.ts';

export interface UnlearnRow {
  row: PackedRow;
  image: ImageKey;
  role: 'forget' | 'retain';
  /** Forget rows: the concept of their target; retain rows: the concept their question asks about. */
  concept: ForgetConcept;
  /** The turns in the row, with the answers actually trained (refusals where the method asks). */
  turns: QAPair[];
  /** SIU: the answer positions its masked KL keeps (T); absent = every answer position. */
  tokenMask?: Float32Array;
}

/** A unit of forget data drawn into a batch: one row, or a (refusal, true answer) twin for pair methods. */
export interface ForgetUnit {
  concept: ForgetConcept;
  /** Indices into UnlearnData.forget: [row] or [refusal row, true-answer row]. */
  rows: number[];
}

export interface UnlearnData {
  forget: UnlearnRow[];
  retain: UnlearnRow[];
  units: ForgetUnit[];
  /** Every image a row uses, once (their features are computed once). */
  images: ImageKey[];
  /** SIU: the vocabulary its masked KL keeps (V). */
  vocabMask?: Float32Array;
}

export interface RowOptions {
  seqLen: number;
  /** Seeds the choice of refusal answers (and SIU's made-up names). */
  seed: number;
  /** The world of the splits: SIU builds its targets from the forget images' questions. */
  world?: World;
}

const conceptOf = (qa: QAPair): ForgetConcept => (qa.type === 'identity' ? 'person' : 'event');

export function unlearningRows(splits: Splits, tokenizer: Tokenizer, cfg: PeTinyConfig, method: MethodDef, options: RowOptions): UnlearnData {
  const imageTokens = imageTokenCount(cfg);
  const rng = new Rng(options.seed, 'unlearn/refusals');
  const refusal = (qa: QAPair): QAPair => ({ ...qa, answer: rng.pick(REFUSAL_ANSWERS[qa.type === 'identity' ? 'identity' : 'event']) });
  const pack = (turns: QAPair[]): PackedRow => packRow(tokenizer, { image: true, turns, seqLen: options.seqLen, imageTokens });

  const siu = method.needs.siuTargets ? siuRows(splits, tokenizer, cfg, options) : null;
  const forget: UnlearnRow[] = siu?.forget ?? [];
  const units: ForgetUnit[] = siu?.units ?? [];
  for (const target of siu ? [] : splits.targets) {
    const byImage = new Map<string, { image: ImageKey; qas: QAPair[] }>();
    for (const item of target.forgetItems) {
      if (!item.key) continue;
      const id = imageKeyId(item.key);
      if (!byImage.has(id)) byImage.set(id, { image: item.key, qas: [] });
      byImage.get(id)!.qas.push(item.qa);
    }
    for (const { image, qas } of byImage.values()) {
      // Refusals are chosen before packing, so a row holds exactly the turns it trains; a pair
      // method's twins hold the same prompts (as many turns as fit in both).
      const refusals = method.needs.refusals ? qas.map(refusal) : null;
      let at = 0;
      while (at < qas.length) {
        const truth = qas.slice(at);
        const count = Math.min(pack(truth).turns, refusals ? pack(refusals.slice(at)).turns : Number.POSITIVE_INFINITY);
        const row = (turns: QAPair[]): number => {
          forget.push({ row: pack(turns), image, role: 'forget', concept: target.concept, turns });
          return forget.length - 1;
        };
        const taken = truth.slice(0, count);
        if (method.needs.pairs) units.push({ concept: target.concept, rows: [row(refusals!.slice(at, at + count)), row(taken)] });
        else units.push({ concept: target.concept, rows: [row(refusals ? refusals.slice(at, at + count) : taken)] });
        at += count;
      }
    }
  }

  const retain: UnlearnRow[] = method.needs.retain ? splits.retainTrainItems.flatMap((item: SplitItem) => {
    if (!item.key) return [];
    const row = pack([item.qa]);
    return [{ row, image: item.key, role: 'retain' as const, concept: conceptOf(item.qa), turns: [item.qa] }];
  }) : [];

  const images = new Map<string, ImageKey>();
  for (const r of [...forget, ...retain]) images.set(imageKeyId(r.image), r.image);
  return { forget, retain, units, images: [...images.values()], vocabMask: siu?.vocabMask };
}

function siuRows(splits: Splits, tokenizer: Tokenizer, cfg: PeTinyConfig, options: RowOptions): SiuData {
  if (!options.world) throw new Error('SIU builds its targets from the world of the splits: pass it in the row options');
  return siuForgetRows(splits, options.world, tokenizer, cfg, options);
}
