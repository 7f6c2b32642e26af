// `pebench ask`: one question to a model folder, about a render of the world (--person/--event),
// a PNG file (--image) or no image at all; prints the greedy answer, or with --json the answer's
// tokens and their probabilities. Warns on stderr about unknown words and resized images.
// The question passes the lab's own check (src/model/question-check.ts) before the model runs.
// Not here: generation (src/runtime/answerer.ts), image conversion (src/model/image-input.ts).
import { CliError, commandHelp, parseFlags, type FlagSpec, type Flags } from './args.ts';
import type { Command } from './commands.ts';
import { MODEL_FLAG_HELP, openModelDir } from './model-dir.ts';
import { readPngFile } from './png-file.ts';
import { imageToModelRgba, type ModelRgba } from '../model/image-input.ts';
import { normalizePixels } from '../model/pixels.ts';
import { ANSWER_TOKENS, QuestionError, checkQuestionText } from '../model/question-check.ts';
import { Answerer, type Answer } from '../runtime/answerer.ts';
import { openRuntime } from '../runtime/node.ts';
import { createWorld, renderImage } from '../world/index.ts';
import { DEFAULT_WORLD_CONFIG } from '../world/types.ts';

const flags = {
  model: { kind: 'string', help: MODEL_FLAG_HELP },
  person: { kind: 'int', help: 'person id of the world (with --event): ask about its render' },
  event: { kind: 'int', help: 'event id of the world (with --person)' },
  fresh: { kind: 'int', help: `which render of the pair: 0 = the training render, 1..${DEFAULT_WORLD_CONFIG.freshPerPair} = fresh renders never trained (default: 0)` },
  image: { kind: 'string', help: 'a PNG file to ask about instead (any size: resized to the model size with a warning)' },
  question: { kind: 'string', help: 'the question, in quotes (required)' },
  json: { kind: 'boolean', help: 'print one JSON object: question, image, answer, tokens with probabilities, stop, unknown', default: false },
  'world-seed': { kind: 'int', help: 'seed of the default world that --person/--event render', default: DEFAULT_WORLD_CONFIG.seed },
} satisfies Record<string, FlagSpec>;
type AskFlags = Flags<typeof flags>;

/** What the question was asked about, as --json reports it. */
type ImageSource =
  | { kind: 'world'; worldSeed: number; personId: number; eventId: number; variant: number; render: 'train' | 'fresh'; person: string; event: string }
  | { kind: 'file'; path: string; width: number; height: number; resized: boolean }
  | null;

export const askCommand: Command = {
  name: 'ask',
  summary: 'ask a model one question about a world render, a PNG file, or no image',
  help: commandHelp([
    'Usage: npx pebench ask [--model DIR] (--person ID --event ID [--fresh K] | --image FILE.png) --question TEXT [--json]',
    '       npx pebench ask [--model DIR] --question TEXT [--json]          (a text-only question)',
    '',
    'Prints the model\'s greedy answer. --person/--event render that pair of the default world',
    `(${DEFAULT_WORLD_CONFIG.persons} persons, ids 0-${DEFAULT_WORLD_CONFIG.persons - 1}; ${DEFAULT_WORLD_CONFIG.events} events, ids 0-${DEFAULT_WORLD_CONFIG.events - 1}; seed from --world-seed) at the model's`,
    'image size. --image takes any PNG: grey, RGB or RGBA at 8 or 16 bits; transparency is put on white,',
    'other sizes are stretched to the model\'s square size (area average when shrinking, bilinear when',
    'growing) with a warning (at most 4096 x 4096 pixels and 64 MiB). Words the model does not know become',
    '<unk>: it still answers, and warns. A question has at most 200 characters, no special tokens such as',
    '<image>, and only as many tokens as fit the model with the image and answer (the lab\'s own check).',
    '',
    'Examples:',
    '  npx pebench ask --person 3 --event 7 --fresh 1 --question "Who is the person in the image?"',
    '  npx pebench ask --image photo.png --question "What is the person doing?" --json',
    '  npx pebench ask --question "Where does Roya Eriksen live?"',
    '',
    'With --json: {"question", "image": {...what it was} | null, "answer", "tokens": [{"token", "id", "prob"}],',
    '"stop": "eos" | "length", "unknown": [words]}. Exit code 0 on success, 2 on bad input or a bad model folder.',
  ], flags),
  async run(argv) {
    const f = parseFlags(argv, flags);
    if (typeof f.question !== 'string' || f.question.trim() === '') throw new CliError('--question TEXT is required (the question to ask, in quotes).');
    checkImageFlags(f);
    // checkImageFlags saw to it that --person comes with --event
    const image = typeof f.image === 'string' ? await fileImage(f.image)
      : f.person !== undefined && f.event !== undefined ? worldImage(f['world-seed'], f.person, f.event, f.fresh ?? 0) : null;

    const model = await openModelDir(f.model);
    let question: string;
    try {
      question = checkQuestionText(f.question, model.tokenizer, model.cfg, image !== null, ANSWER_TOKENS);
    } catch (error) {
      if (error instanceof QuestionError) throw new CliError(`--question: ${error.message}.`);
      throw error;
    }
    const pixels = image ? normalizePixels(model.cfg, image.rgbaAt(model.cfg.imageSize)) : null;
    const runtime = await openRuntime({ backend: 'cpu' });
    let answer: Answer;
    try {
      const answerer = await Answerer.open(runtime, model, model.dir);
      [answer] = await answerer.answer([{ question, pixels }], { maxNewTokens: ANSWER_TOKENS });
    } finally {
      await runtime.dispose();
    }

    const unknown = [...new Set(answer.unknown)];
    if (unknown.length > 0) {
      const words = unknown.map((w) => `"${w}"`).join(', ');
      console.error(`pebench ask: warning: the model does not know ${words}; ${unknown.length === 1 ? 'it was' : 'they were'} read as <unk> and the answer may not mean much.`);
    }
    if (answer.stop === 'length') {
      console.error(`pebench ask: warning: the answer reached the ${answer.tokens.length}-token limit without <eos>, so it is cut off.`);
    }
    if (f.json) {
      const tokens = answer.tokens.map((id, i) => ({ token: model.tokenizer.vocab[id], id, prob: answer.probs[i] }));
      const output = { question, image: image?.source ?? null, answer: answer.text, tokens, stop: answer.stop, unknown: answer.unknown };
      console.log(JSON.stringify(output));
    } else {
      console.log(answer.text);
    }
    return 0;
  },
};

/** An image checked before the model loads; rgbaAt converts it once the model's size is known. */
interface ImageRequest {
  source: NonNullable<ImageSource>;
  rgbaAt(size: number): Uint8ClampedArray;
}

/** Exactly one image source (or none); --fresh only with a world render. */
function checkImageFlags(f: AskFlags): void {
  const pair = f.person !== undefined || f.event !== undefined;
  if (pair && f.image !== undefined) throw new CliError('give either --person/--event (a world render) or --image FILE.png, not both.');
  if (pair && (f.person === undefined || f.event === undefined)) {
    throw new CliError('--person and --event go together: --person ID --event ID names one render of the world.');
  }
  if (f.fresh !== undefined && !pair) throw new CliError('--fresh K picks a render of a --person/--event pair: add --person ID --event ID.');
  if (f.image === '') throw new CliError('--image needs a PNG file path.');
}

/** A render of the default world; ids and the render index (--fresh, 0 when not given) checked against its ranges. */
function worldImage(worldSeed: number, personId: number, eventId: number, variant: number): ImageRequest {
  let world;
  try {
    world = createWorld({ seed: worldSeed });
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(`--world-seed: ${error.message}`);
    throw error;
  }
  const { persons, events, freshPerPair } = world.config;
  const person = world.persons.find((p) => p.id === personId);
  if (!person) throw new CliError(`--person must be a person id from 0 to ${persons - 1}, got ${personId}.`);
  const event = world.events.find((e) => e.id === eventId);
  if (!event) throw new CliError(`--event must be an event id from 0 to ${events - 1}, got ${eventId}.`);
  if (variant < 0 || variant > freshPerPair) {
    throw new CliError(`--fresh must be 0 (the training render) or a fresh render from 1 to ${freshPerPair}, got ${variant}.`);
  }
  return {
    source: {
      kind: 'world', worldSeed: world.config.seed, personId, eventId, variant,
      render: variant === 0 ? 'train' : 'fresh', person: person.fullName, event: event.name,
    },
    rgbaAt: (size) => renderImage(world, { personId, eventId, variant }, size),
  };
}

/** A PNG file, decoded now (within the size limits of png-file.ts); converted (and resized with a warning) to the model's size later. */
async function fileImage(path: string): Promise<ImageRequest> {
  const decoded = await readPngFile('--image', path);
  const source = { kind: 'file' as const, path, width: decoded.width, height: decoded.height, resized: false };
  return {
    source,
    rgbaAt(size) {
      let converted: ModelRgba;
      try {
        converted = imageToModelRgba(decoded, size);
      } catch (error) {
        if (error instanceof RangeError) throw new CliError(`--image ${path}: ${error.message}.`);
        throw error;
      }
      if (converted.resized) {
        source.resized = true;
        console.error(`pebench ask: warning: ${path} is ${decoded.width}x${decoded.height} pixels; resized to the model's ${size}x${size} (area average when shrinking, bilinear when growing).`);
      }
      return converted.rgba;
    },
  };
}
