// Packed rows for the training and scoring graphs: several question/answer turns about one image
// share its image tokens in one fixed-length row, and behave exactly like separate single-turn
// prompts: each turn's positions restart right after the shared prefix, and its tokens see only
// the prefix and their own turn (segment ids; the graphs build the attention bias from them).
//
//   index     0       1..N           N+1 ...                         ...             ... T-1
//   input     <bos>   <image> x N    <user> q1 <assistant> a1 <eos>  <user> q2 ...   <pad>
//   segment   0       0              1 ...                           2 ...           -1
//   position  0       1..N           N+1, N+2, ...                   N+1, N+2, ...   0
//   target    input[i+1] within the same turn, else <pad>; loss_mask 1 where the target is an
//             answer token or its <eos> (the prediction made at <assistant> and after each answer token)
// A text-only row has no image tokens (N = 0 for that row).
// Not here: which turns go together or how rows form batches (the trainer decides).
import { answerIds, promptIds } from './prompt.ts';
import type { Tokenizer } from './tokenizer.ts';

export interface Turn {
  question: string;
  answer: string;
}

export interface PackedRow {
  inputIds: Int32Array;
  targets: Int32Array;
  lossMask: Float32Array;
  positionIds: Int32Array;
  segmentIds: Int32Array;
  /** How many of the given turns fit (from the start; the rest were left out). */
  turns: number;
  /** Tokens used (the rest is padding). */
  length: number;
  /** Words that became `<unk>` (callers should warn). */
  unknown: string[];
}

export interface PackOptions {
  image: boolean;
  turns: readonly Turn[];
  /** Row length T. */
  seqLen: number;
  /** Image tokens per image (imageTokenCount(cfg)). */
  imageTokens: number;
}

/** Segment id of padding positions. */
export const PAD_SEGMENT = -1;

/** Token ids of one turn: <user> q <assistant> a <eos>, and how many of them are prompt. */
export function turnIds(tokenizer: Tokenizer, turn: Turn): { ids: number[]; promptLength: number; unknown: string[] } {
  // promptIds without image gives <bos> <user> q <assistant>; drop the <bos>.
  const prompt = promptIds(tokenizer, { image: false, question: turn.question }, 0);
  const answer = answerIds(tokenizer, turn.answer);
  return { ids: [...prompt.ids.slice(1), ...answer.ids], promptLength: prompt.ids.length - 1, unknown: [...prompt.unknown, ...answer.unknown] };
}

/** Packs turns into one row of length seqLen; throws if not even the first turn fits. */
export function packRow(tokenizer: Tokenizer, options: PackOptions): PackedRow {
  const { seqLen, imageTokens } = options;
  const { ids } = tokenizer;
  const row: PackedRow = {
    inputIds: new Int32Array(seqLen).fill(ids.pad),
    targets: new Int32Array(seqLen).fill(ids.pad),
    lossMask: new Float32Array(seqLen),
    positionIds: new Int32Array(seqLen),
    segmentIds: new Int32Array(seqLen).fill(PAD_SEGMENT),
    turns: 0,
    length: 0,
    unknown: [],
  };
  const prefix = [ids.bos, ...new Array<number>(options.image ? imageTokens : 0).fill(ids.image)];
  prefix.forEach((id, i) => {
    row.inputIds[i] = id;
    row.positionIds[i] = i;
    row.segmentIds[i] = 0;
  });
  let at = prefix.length;
  for (const turn of options.turns) {
    const t = turnIds(tokenizer, turn);
    if (at + t.ids.length > seqLen) break;
    row.turns++;
    row.unknown.push(...t.unknown);
    t.ids.forEach((id, j) => {
      const i = at + j;
      row.inputIds[i] = id;
      row.positionIds[i] = prefix.length + j;
      row.segmentIds[i] = row.turns;
      if (j + 1 < t.ids.length) {
        row.targets[i] = t.ids[j + 1];
        // The prediction at the last prompt token (<assistant>) is the first answer token.
        if (j + 1 >= t.promptLength) row.lossMask[i] = 1;
      }
    });
    at += t.ids.length;
  }
  if (row.turns === 0 && options.turns.length > 0) {
    const need = prefix.length + turnIds(tokenizer, options.turns[0]).ids.length;
    throw new RangeError(`the first turn needs ${need} tokens but rows hold ${seqLen}: raise seqLen or shorten the turn`);
  }
  row.length = at;
  return row;
}

/** Host tensors of a batch of rows, named as the training and scoring graphs name their inputs. */
export function rowsToFeeds(rows: readonly PackedRow[]): Record<'input_ids' | 'targets' | 'loss_mask' | 'position_ids' | 'segment_ids', HostFeed> {
  if (rows.length === 0) throw new RangeError('rowsToFeeds needs at least one row');
  const t = rows[0].inputIds.length;
  if (rows.some((r) => r.inputIds.length !== t)) throw new RangeError('all rows of a batch must have the same length');
  const dims = [rows.length, t];
  const ints = (pick: (r: PackedRow) => Int32Array): HostFeed => {
    const data = new BigInt64Array(rows.length * t);
    rows.forEach((r, b) => pick(r).forEach((v, i) => (data[b * t + i] = BigInt(v))));
    return { type: 'int64', dims, data };
  };
  const mask = new Float32Array(rows.length * t);
  rows.forEach((r, b) => mask.set(r.lossMask, b * t));
  return {
    input_ids: ints((r) => r.inputIds),
    targets: ints((r) => r.targets),
    loss_mask: { type: 'float32', dims, data: mask },
    position_ids: ints((r) => r.positionIds),
    segment_ids: ints((r) => r.segmentIds),
  };
}

/** A host tensor (structurally the runtime's HostTensor; the model layer does not import the runtime). */
export type HostFeed =
  | { type: 'int64'; dims: number[]; data: BigInt64Array }
  | { type: 'float32'; dims: number[]; data: Float32Array };
