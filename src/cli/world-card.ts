// The dataset card (README.md) of a `pebench world` export: YAML metadata (license, the `configs`
// that tell `datasets` which files make which split of which configuration) and, in plain words,
// the layout, the features, the protocol, splits.json field by field and how to score.
// Not here: the rows (world-dataset.ts) or writing files (world-export.ts).
import { stringify } from 'yaml';
import type { World } from '../world/types.ts';
import { IMAGE_SET_NAMES, IMAGE_SPLITS, SET_NAMES, setFilePath, type RequestRecord, type SetName } from './world-dataset.ts';

export interface CardInput {
  world: World;
  imageSize: number;
  /** Images per image split. */
  counts: Record<(typeof IMAGE_SPLITS)[number], number>;
  requests: Record<string, RequestRecord>;
  /** Rows per set of each available request; empty sets get no split. */
  setRows: Record<string, Record<SetName, number>>;
}

/** The `configs` block: `default` (images: train, fresh) and one per available request (its non-empty sets). */
export function datasetConfigs(setRows: Record<string, Record<SetName, number>>) {
  const configs: { config_name: string; default?: boolean; data_files: { split: string; path: string }[]; metadata_filenames?: string[]; drop_labels?: boolean }[] = [
    { config_name: 'default', default: true, data_files: IMAGE_SPLITS.map((split) => ({ split, path: `${split}/**` })) },
  ];
  for (const [name, rows] of Object.entries(setRows)) {
    const sets = IMAGE_SET_NAMES.filter((set) => rows[set] > 0);
    // imagefolder reads each set file as the metadata of its split (file_name: the image from the root).
    configs.push({
      config_name: name,
      data_files: sets.map((set) => ({ split: set, path: setFilePath(name, set) })),
      metadata_filenames: sets.map((set) => setFilePath(name, set)),
      drop_labels: true,
    });
  }
  return configs;
}

function requestLine(name: string, record: RequestRecord, rows: Record<SetName, number> | undefined): string {
  const r = record.request as { target: string; personRatio?: number; eventRatio?: number; forgetSeed: number };
  const ratios = [r.personRatio !== undefined ? `${r.personRatio * 100}% of persons` : null, r.eventRatio !== undefined ? `${r.eventRatio * 100}% of events` : null].filter(Boolean).join(' and ');
  if (!('splits' in record)) return `| \`${name}\` | forget ${ratios} | not available in this world: ${record.unavailable} | none |`;
  const s = record.splits;
  const forgotten = [s.forgetPersons.length ? `persons ${s.forgetPersons.join(', ')}` : null, s.forgetEvents.length ? `events ${s.forgetEvents.join(', ')}` : null].filter(Boolean).join('; ');
  const sizes = SET_NAMES.filter((set) => (rows?.[set] ?? 0) > 0).map((set) => `${set} ${rows![set]}`).join(', ');
  return `| \`${name}\` | forget ${ratios} (forget seed ${r.forgetSeed}) | ${forgotten} | ${sizes} |`;
}

export function datasetCard({ world, imageSize, counts, requests, setRows }: CardInput): string {
  const c = world.config;
  const total = counts.train + counts.fresh;
  const meta = {
    license: 'mit',
    pretty_name: `PEBench world (seed ${c.seed})`,
    language: ['en'],
    task_categories: ['visual-question-answering', 'image-text-to-text'],
    tags: ['machine-unlearning', 'pebench', 'synthetic'],
    size_categories: [total < 1000 ? 'n<1K' : total < 10000 ? '1K<n<10K' : total < 100000 ? '10K<n<100K' : '100K<n<1M'],
    configs: datasetConfigs(setRows),
  };
  const requestNames = Object.entries(requests).filter(([, r]) => 'splits' in r).map(([n]) => n);
  const example = requestNames[0] ?? 'persons';
  return [
    '---',
    stringify(meta).trimEnd(),
    '---',
    '',
    `# PEBench world, seed ${c.seed}`,
    '',
    `A fictitious world of ${c.persons} persons and ${c.events} events, drawn by PEBench Lab (\`npx pebench world\`). Every`,
    `image shows one person at one event (${imageSize} x ${imageSize} px RGB PNG); nothing in it is real. It is the`,
    'benchmark of person and event unlearning: a model is trained on the `train` renders, asked to forget some',
    'persons or events, and then checked on what it forgot, what it kept, and on renders it never saw.',
    '',
    '## Load it',
    '',
    '```python',
    'from datasets import load_dataset',
    'world = load_dataset("path/to/this/folder")              # splits: train, fresh',
    `sets = load_dataset("path/to/this/folder", "${example}")  # splits: ${IMAGE_SET_NAMES.join(', ')}, with images`,
    `facts = load_dataset("json", data_files="path/to/this/folder/requests/${example}/text_forget.jsonl")  # text-only facts`,
    '```',
    '',
    '## Splits (never mix them)',
    '',
    '| split | rows | what |',
    '|---|---|---|',
    `| \`train\` | ${counts.train} | the training render of every person-event pair (variant 0): the only images a model may be trained on |`,
    `| \`fresh\` | ${counts.fresh} | ${c.freshPerPair} new render(s) of every pair (variants 1..${c.freshPerPair}), never trained: they test whether knowledge generalises |`,
    '',
    'Each row of `train` and `fresh`: `image`, `person_id`, `event_id`, `variant` (0 = training render),',
    '`kind` (`train` or `fresh`, the split again) and `qa`, a list of every question about that image with:',
    '`type` (identity, event, attribute, object), `question`, `answer` (the reference answer), `answer_normalized`',
    '(the same answer as the model writes it: lower-case, accents stripped, words spaced as the tokenizer does),',
    '`paraphrase` (which wording), `held_out` (true: a wording never used for training), `attribute` (attribute',
    'questions), `object` and `expect_yes` (yes/no object questions). `world.json` lists every person and event.',
    '',
    '## The PEBench sets, one configuration per forget request',
    '',
    '| configuration | request | forgotten | splits (rows) |',
    '|---|---|---|---|',
    ...Object.entries(requests).map(([n, r]) => requestLine(n, r, setRows[n])),
    '',
    'Each configuration has one split per image set (`<request>-<set>.jsonl` in this folder); the text-only sets',
    'are JSON-lines files in `requests/<request>/`. The sets: `forget` (trained questions on the forget images: what an',
    'unlearning method may train on), `generality` (the forgotten concept on held-out wordings, other renders',
    'and fresh renders: must be forgotten too), `retain` (the same kind of question on images with no forget',
    'target: must stay right), `retain_train` (a disjoint retain sample a method may train on), `scope` (the',
    'other concept on the targets\' images: must stay right), `utility` (attribute and object questions on',
    'untouched images: general ability), `text_forget` and `text_retain` (text-only facts about forgotten and',
    'retained persons). A set that is empty for a request has no split and no file. A row: `file_name` (the image, from this folder\'s root; null for text facts),',
    '`person_id`, `event_id` and `variant` (null for text facts), `target_concept` and `target_id` (forget and',
    'generality rows: which target; \'\' and -1 elsewhere), `type`, `question`, `answer`, `answer_normalized`,',
    '`held_out`; in the configurations `file_name` is loaded as `image`.',
    '',
    '## splits.json, field by field',
    '',
    'The same sets with their full records, as the lab computes them. A map from request name to:',
    '- `request`: `target` (`person`, `event` or `both`), `personRatio` / `eventRatio` (share of persons / events',
    '  to forget), `forgetSeed` (which sample of targets);',
    '- `unavailable` (only when the world is too small for the request): why;',
    '- `splits`: `request` (again), `forgetPersons` and `forgetEvents` (ids), `targets` (one per forgotten person or',
    '  event: `concept`, `id`, `forgetImages` (the train renders whose questions unlearning may use, as image',
    '  keys), `forgetItems`, `generalityItems`), `retainItems`, `retainTrainItems`, `scopeItems`, `utilityItems`,',
    '  `textItems` (`forget`, `retain`). An item is `{key: {personId, eventId, variant}, qa}` or, for a text fact,',
    '  `{key: null, personId, qa}`; `qa` holds `type`, `question`, `answer`, `paraphrase`, `heldOut` and, where they',
    '  apply, `attribute`, `object`, `expectYes`. The image of a key is `train/images/pPPP-eEE-v0.png` for',
    '  variant 0 and `fresh/images/pPPP-eEE-vV.png` otherwise (ids zero-padded to 3 and 2 digits).',
    '',
    '## How to score',
    '',
    'Compare words, not strings: lower-case both sides, strip accents and punctuation (`answer_normalized` is',
    'already lower-case; a model that answers exactly gives it character for character). Identity questions',
    'score 1 when the answer contains the person\'s full name as a word sequence; event questions score the mean',
    'of ROUGE-L F1 against the reference and the share of the event\'s keywords (`world.json`) that the answer',
    'contains among those the reference contains; yes/no and attribute questions score 1 when the answer\'s',
    'words equal the reference\'s. Forget and generality scores should fall, retain, scope and utility scores',
    'should stay: report them all, on `fresh` renders as well as `train` ones.',
    '',
    '## License',
    '',
    'MIT (see LICENSE). The world is procedurally generated; it depicts no real person.',
    '',
  ].join('\n');
}
