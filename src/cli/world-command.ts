// `pebench world`: export the procedural world as a Hugging Face dataset (see world-export.ts).
// Not here: the export itself, its output checks and its clean-up on Ctrl-C (world-export.ts).
import { CliError, commandHelp, parseFlags, threadsFlag, type FlagSpec } from './args.ts';
import type { Command } from './commands.ts';
import { DEFAULT_WORLD_CONFIG } from '../world/types.ts';
import { defaultWorkers, exportWorld } from './world-export.ts';

const flags = {
  seed: { kind: 'int', help: 'world seed, an integer in [0, 4294967295]', default: DEFAULT_WORLD_CONFIG.seed },
  persons: { kind: 'int', help: 'number of fictitious persons', default: DEFAULT_WORLD_CONFIG.persons },
  events: { kind: 'int', help: 'number of events (1-40)', default: DEFAULT_WORLD_CONFIG.events },
  fresh: { kind: 'int', help: 'extra fresh renders per person-event pair (never trained)', default: DEFAULT_WORLD_CONFIG.freshPerPair },
  size: { kind: 'int', help: 'PNG size in pixels (square); the model sees 64', default: DEFAULT_WORLD_CONFIG.modelSize },
  out: { kind: 'string', help: 'output folder (required)' },
  force: { kind: 'boolean', bare: true, help: 'replace --out if pebench wrote it (never a folder with .git or without .pebench-output)', default: false },
  workers: threadsFlag('worker threads used for rendering', defaultWorkers()),
} satisfies Record<string, FlagSpec>;

export const worldCommand: Command = {
  name: 'world',
  summary: 'export the fictitious world (PNG images, Q&A, PEBench sets, card) as a Hugging Face dataset',
  help: commandHelp([
    'Usage: npx pebench world --out DIR [--seed S --persons N --events M --fresh K --size PX --force]',
    '',
    'Writes DIR/train/ (the training renders) and DIR/fresh/ (renders never trained), each images/*.png',
    '(RGB) and metadata.jsonl (one row per image: file_name, person_id, event_id, variant, kind and its',
    'question-answer pairs); DIR/<request>-<set>.jsonl and DIR/requests/<request>/text_*.jsonl (the PEBench',
    'sets of the default forget requests); DIR/README.md (the dataset card), LICENSE, world.json (persons and events with every',
    'attribute) and splits.json (the sets in full). In Python: `datasets.load_dataset(DIR)` gives the',
    'train and fresh splits, `load_dataset(DIR, "persons")` the sets of one request. Same seed, same',
    'bytes. DIR also gets a .pebench-output marker: --force replaces only such a folder. Ctrl-C leaves nothing behind.',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    if (typeof f.out !== 'string' || f.out === '') throw new CliError('--out DIR is required (the folder to write the dataset to).');
    const size = f.size;
    if (size < 16 || size > 2048) throw new CliError(`--size must be between 16 and 2048 pixels, got ${size}.`);
    const workers = f.workers;
    let summary;
    try {
      summary = await exportWorld(
        { seed: f.seed, persons: f.persons, events: f.events, freshPerPair: f.fresh },
        { out: f.out, force: f.force, size, workers },
      );
    } catch (error) {
      if (error instanceof RangeError) throw new CliError(error.message);
      throw error;
    }
    console.log(`wrote ${summary.images} images and metadata to ${summary.dir} in ${summary.seconds.toFixed(1)} s`);
    return 0;
  },
};
