// `pebench ask` run as a real child process against a model folder exported from random weights:
// the --json shape, warnings for unknown words and resized images, and clear errors for a missing or
// corrupted model folder, out-of-range ids and files that are not PNGs. Mechanics only: answers of
// random weights mean nothing (the shipped model's answers are checked elsewhere).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPebench } from './pebench-process.ts';
import { exportModel, RESTORE_HINT } from '../../../src/model/index.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { askCommand } from '../../../src/cli/ask-command.ts';
import { CliError } from '../../../src/cli/args.ts';
import { cfg, randomParams, tokenizer } from '../model/fixture.ts';

const bin = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));

let root: string;
let modelDir: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-ask-'));
  modelDir = join(root, 'model');
  await exportModel(new FolderFiles(modelDir), cfg, randomParams(7), tokenizer, { seed: 7 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (args: string[]) => runPebench(['ask', ...args], 60_000);

interface AskJson {
  question: string;
  image: Record<string, unknown> | null;
  answer: string;
  tokens: { token: string; id: number; prob: number }[];
  stop: 'eos' | 'length';
  unknown: string[];
}

describe('pebench ask', () => {
  it('prints JSON with the answer tokens and their probabilities, and warns about unknown words', async () => {
    const args = ['--model', modelDir, '--person', '2', '--event', '1', '--fresh', '1', '--question', 'Who is the zorblax in the image?'];
    const result = await run([...args, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as AskJson;
    expect(out.question).toBe('Who is the zorblax in the image?');
    expect(out.image).toMatchObject({ kind: 'world', worldSeed: 0, personId: 2, eventId: 1, variant: 1, render: 'fresh' });
    expect(out.tokens.length).toBeGreaterThan(0);
    for (const t of out.tokens) {
      expect(t.prob).toBeGreaterThan(0);
      expect(t.prob).toBeLessThanOrEqual(1);
      expect(tokenizer.vocab[t.id]).toBe(t.token);
    }
    expect(['eos', 'length']).toContain(out.stop);
    expect(out.stop === 'eos').toBe(out.tokens.at(-1)!.id === tokenizer.ids.eos);
    expect(out.answer).toBe(tokenizer.decode(out.tokens.map((t) => t.id), { skipSpecial: true }));
    expect(out.unknown).toEqual(['zorblax']);
    expect(result.stderr).toMatch(/warning: the model does not know "zorblax"; it was read as <unk>/);

    // Without --json: just the same (greedy, so deterministic) answer text.
    const plain = await run(args);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim()).toBe(out.answer);
  });

  it('answers a text-only question with image null and no unknown-word warning', async () => {
    const result = await run(['--model', modelDir, '--question', 'Where does this person live?', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as AskJson;
    expect(out.image).toBeNull();
    expect(out.unknown).toEqual([]);
    expect(result.stderr).not.toMatch(/does not know/);
  });

  it('resizes a PNG of the wrong size with a warning', async () => {
    const png = join(root, 'wide.png');
    const data = new Uint8Array(100 * 80 * 3).map((_, i) => (i * 37) % 256);
    writeFileSync(png, encode({ width: 100, height: 80, channels: 3, depth: 8, data }));
    const result = await run(['--model', modelDir, '--image', png, '--question', 'What is the person doing?', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`wide.png is 100x80 pixels; resized to the model's ${cfg.imageSize}x${cfg.imageSize}`));
    expect((JSON.parse(result.stdout) as AskJson).image).toEqual({ kind: 'file', path: png, width: 100, height: 80, resized: true });
  });

  it('names the corrupted file of a model folder and how to restore it', async () => {
    const broken = join(root, 'broken');
    cpSync(modelDir, broken, { recursive: true });
    const file = join(broken, 'onnx', 'vision_encoder.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    const result = await run(['--model', broken, '--question', 'Who is this?']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`model file ${broken}/onnx/vision_encoder.onnx failed its sha256 check: ${RESTORE_HINT}`);
  });
});

// Bad input is refused before any model runs, so these call the command in-process (fast): the
// spawned tests above show that a CliError becomes the message on stderr and exit code 2.
describe('pebench ask: refusals', () => {
  const refusal = async (args: string[]): Promise<string> => {
    const error = await askCommand.run(args).then(() => null, (e: unknown) => e);
    expect(error, args.join(' ')).toBeInstanceOf(CliError);
    return (error as CliError).message;
  };

  it('refuses a file that is not a PNG, and a missing image file', async () => {
    const fake = join(root, 'photo.png');
    writeFileSync(fake, 'this is a text file, not an image');
    expect(await refusal(['--model', modelDir, '--image', fake, '--question', 'Who is this?'])).toMatch(/--image .*photo.png is not a readable PNG .*save it as a PNG/);
    expect(await refusal(['--model', modelDir, '--image', join(root, 'nowhere.png'), '--question', 'Who is this?'])).toMatch(/nowhere.png does not exist/);
  });

  it('names the valid ranges of --person, --event and --fresh, and the flags that go together', async () => {
    for (const [args, pattern] of [
      [['--person', '200', '--event', '0'], /--person must be a person id from 0 to 199, got 200/],
      [['--person', '0', '--event', '-1'], /--event must be an event id from 0 to 39, got -1/],
      [['--person', '0', '--event', '0', '--fresh', '3'], /--fresh must be 0 .* from 1 to 2, got 3/],
      [['--person', '0', '--event', '0', '--world-seed', '-1'], /--world-seed: .*seed must be an integer from 0/],
      [['--person', '0'], /--person and --event go together/],
      [['--fresh', '1'], /--fresh K picks a render of a --person\/--event pair/],
      [['--person', '0', '--event', '0', '--image', 'x.png'], /either --person\/--event .* or --image/],
    ] as const) {
      expect(await refusal(['--model', modelDir, ...args, '--question', 'Who is this?'])).toMatch(pattern);
    }
    expect(await refusal(['--model', modelDir])).toMatch(/--question TEXT is required/);
  });

  it('names a missing model folder and how to restore it', async () => {
    const missing = join(root, 'no-such-model');
    const message = await refusal(['--model', missing, '--question', 'Who is this?']);
    expect(message).toContain(`model folder ${missing} does not exist`);
    expect(message).toContain(RESTORE_HINT);
  });

  it('documents both forms in --help', () => {
    expect(askCommand.help).toMatch(/--person ID --event ID \[--fresh K\] \| --image FILE.png/);
    expect(askCommand.help).toMatch(/text-only question/);
  });
});
