// The rows of the Hugging Face dataset `pebench world` writes (layout and card: world-card.ts):
// - one image row per render in train/metadata.jsonl or fresh/metadata.jsonl (never both: fresh
//   renders are never trained on), with every question-answer pair of the image;
// - per default forget request (persons, events, joint) one JSON-lines file per PEBench set
//   (forget, generality, retain, retain_train, scope, utility, text_forget, text_retain): one row
//   per item, naming its image by path from the dataset root (null for text-only facts). The image
//   sets lie in the root (`persons-forget.jsonl`): `datasets`' imagefolder reads them as metadata
//   files, whose file_name may not leave their folder; the text sets under requests/<request>/.
// Every answer also comes as the model writes it (`answer_normalized`: lower-case, accents stripped,
// the tokenizer's spacing), so a model's output can be compared with `==`.
// Not here: rendering (world-render-worker.ts), writing files (world-export.ts).
import { DECODE_REPLACEMENTS, preTokenize } from '../model/tokenizer.ts';
import type { QAPair } from '../world/qa.ts';
import { questionsFor } from '../world/qa.ts';
import { DEFAULT_REQUESTS, makeSplits, requestProblem, type SplitItem, type Splits } from '../world/splits.ts';
import type { ImageKey, World } from '../world/types.ts';

export type ImageSplit = 'train' | 'fresh';
export const IMAGE_SPLITS: readonly ImageSplit[] = ['train', 'fresh'];

/** The PEBench sets of one request, as the split names of its configuration, in order. */
export const SET_NAMES = ['forget', 'generality', 'retain', 'retain_train', 'scope', 'utility', 'text_forget', 'text_retain'] as const;
export type SetName = (typeof SET_NAMES)[number];
/** The sets whose items have images: the splits of each request's configuration. */
export const IMAGE_SET_NAMES = SET_NAMES.filter((s) => !s.startsWith('text_'));

/** Where a set's file lies, from the dataset root. */
export const setFilePath = (request: string, set: SetName): string =>
  set.startsWith('text_') ? `requests/${request}/${set}.jsonl` : `${request}-${set}.jsonl`;

export const imageSplit = (key: ImageKey): ImageSplit => (key.variant === 0 ? 'train' : 'fresh');

/** A render's path inside its split folder: images/p003-e07-v1.png. */
export function imageFileName(key: ImageKey): string {
  const p = String(key.personId).padStart(3, '0');
  const e = String(key.eventId).padStart(2, '0');
  return `images/p${p}-e${e}-v${key.variant}.png`;
}

/** A render's path from the dataset root: fresh/images/p003-e07-v1.png. */
export const imagePath = (key: ImageKey): string => `${imageSplit(key)}/${imageFileName(key)}`;

/** A reference answer as the model writes it: the tokenizer's normalisation and decoding of its words. */
export function modelCaseAnswer(answer: string): string {
  let text = preTokenize(answer).join(' ');
  for (const [from, to] of DECODE_REPLACEMENTS) text = text.split(from).join(to);
  return text;
}

/** A question-answer pair with every field present (null where it does not apply), snake_case. */
export function qaRecord(qa: QAPair) {
  return {
    type: qa.type,
    question: qa.question,
    answer: qa.answer,
    answer_normalized: modelCaseAnswer(qa.answer),
    paraphrase: qa.paraphrase,
    held_out: qa.heldOut,
    attribute: qa.attribute ?? null,
    object: qa.object ?? null,
    expect_yes: qa.expectYes ?? null,
  };
}

/** The metadata.jsonl text of one image split (file_name relative to the split folder). */
export function imageRows(world: World, keys: readonly ImageKey[], split: ImageSplit): string {
  const rows = keys.filter((key) => imageSplit(key) === split).map((key) =>
    JSON.stringify({
      file_name: imageFileName(key),
      person_id: key.personId,
      event_id: key.eventId,
      variant: key.variant,
      kind: split,
      qa: questionsFor(world, key).map(qaRecord),
    }),
  );
  return rows.length ? rows.join('\n') + '\n' : '';
}

function itemRow(item: SplitItem, target: { concept: string; id: number } | null) {
  const { type, question, answer, answer_normalized, held_out } = qaRecord(item.qa);
  return {
    file_name: item.key ? imagePath(item.key) : null,
    person_id: item.key ? item.key.personId : item.personId,
    event_id: item.key ? item.key.eventId : null,
    variant: item.key ? item.key.variant : null,
    // '' and -1 outside forget and generality: one type per column across a configuration's splits.
    target_concept: target?.concept ?? '',
    target_id: target?.id ?? -1,
    type, question, answer, answer_normalized, held_out,
  };
}

/** The items of every set of one request's splits, as JSON-lines text per set. */
export function setFiles(splits: Splits): Record<SetName, string> {
  const lines = (rows: object[]) => (rows.length ? rows.map((r) => JSON.stringify(r)).join('\n') + '\n' : '');
  const plain = (items: SplitItem[]) => lines(items.map((item) => itemRow(item, null)));
  const perTarget = (pick: 'forgetItems' | 'generalityItems') =>
    lines(splits.targets.flatMap((t) => t[pick].map((item) => itemRow(item, { concept: t.concept, id: t.id }))));
  return {
    forget: perTarget('forgetItems'),
    generality: perTarget('generalityItems'),
    retain: plain(splits.retainItems),
    retain_train: plain(splits.retainTrainItems),
    scope: plain(splits.scopeItems),
    utility: plain(splits.utilityItems),
    text_forget: plain(splits.textItems.forget),
    text_retain: plain(splits.textItems.retain),
  };
}

export type RequestRecord =
  | { request: (typeof DEFAULT_REQUESTS)[keyof typeof DEFAULT_REQUESTS]; splits: Splits }
  | { request: (typeof DEFAULT_REQUESTS)[keyof typeof DEFAULT_REQUESTS]; unavailable: string };

/** The default forget requests (splits.json); one that does not fit a small world is recorded with the reason. */
export function requestRecords(world: World): Record<string, RequestRecord> {
  return Object.fromEntries(
    Object.entries(DEFAULT_REQUESTS).map(([name, request]) => {
      const problem = requestProblem(world, request);
      return [name, problem ? { request, unavailable: problem } : { request, splits: makeSplits(world, request) }];
    }),
  );
}
