// The shipped Finetune model, models/pebench-tiny: its manifest matches its files and size budget,
// transformers.js loads it offline in Node and answers fresh renders with exactly the lab runtime's
// greedy tokens, and `pebench ask` / `pebench eval` answer fresh renders correctly.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPebench } from '../cli/pebench-process.ts';
import { AutoProcessor, LlavaForConditionalGeneration, RawImage, env } from '@huggingface/transformers';
import { Rng } from '../../../src/core/rng.ts';
import * as M from '../../../src/model/index.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { Answerer, openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { createWorld, renderImage, type ImageKey } from '../../../src/world/index.ts';

const modelsDir = fileURLToPath(new URL('../../../models/', import.meta.url));
const dir = join(modelsDir, 'pebench-tiny');
const bin = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));
const world = createWorld();

const run = (args: string[]) => runPebench(args, 120_000);

function folderFiles(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? folderFiles(root, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

/** 24 fresh renders spread over persons and events, half asked who, half asked what event. */
const cases = new Rng(11, 'shipped-parity').sample(world.persons, 24).map((person, i) => ({
  key: { personId: person.id, eventId: (i * 7) % world.events.length, variant: 1 } satisfies ImageKey,
  question: i % 2 === 0 ? 'Who is the person in this image?' : 'What event is taking place in this image?',
}));

describe('models/pebench-tiny', () => {
  let loaded: M.LoadedModel;
  let runtime: Runtime;
  beforeAll(async () => {
    loaded = await M.loadModel(new FolderFiles(dir)); // verifies every sha256
    runtime = await openRuntime({ backend: 'cpu', threads: 2 });
  });
  afterAll(() => runtime.dispose());

  it('lists every model file in its manifest, with matching sizes, within 30 MB', () => {
    const listed = new Map(loaded.manifest.files.map((f) => [f.path, f.bytes]));
    const extras = new Set(['manifest.json', 'README.md', 'training.json']);
    const onDisk = folderFiles(dir).map((p) => p.split('\\').join('/'));
    for (const path of onDisk) if (!extras.has(path)) expect(listed.has(path), `${path} is not in the manifest`).toBe(true);
    for (const [path, size] of listed) expect(statSync(join(dir, path)).size, path).toBe(size);
    const total = onDisk.reduce((sum, path) => sum + statSync(join(dir, path)).size, 0);
    expect(total).toBeLessThanOrEqual(30 * 1024 * 1024);
    expect(loaded.manifest.meta).toMatchObject({ kind: 'finetune', seed: 0 });
  });

  it('transformers.js (offline, Node) gives the lab runtime\'s greedy tokens on 24 fresh renders', async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir;
    const processor = await AutoProcessor.from_pretrained('pebench-tiny');
    const hf = await LlavaForConditionalGeneration.from_pretrained('pebench-tiny', { dtype: 'fp32' });
    const answerer = await Answerer.open(runtime, loaded);
    const size = loaded.cfg.imageSize;
    const ours = await answerer.answer(cases.map(({ key, question }) => ({ question, pixels: M.normalizePixels(loaded.cfg, renderImage(world, key, size)) })));
    await answerer.dispose();
    let named = 0;
    for (const [i, { key, question }] of cases.entries()) {
      const inputs = await processor(new RawImage(new Uint8ClampedArray(renderImage(world, key, size)), size, size, 4), M.promptText({ image: true, question }));
      const out = await hf.generate({ ...inputs, max_new_tokens: 48, do_sample: false });
      const theirs = Array.from((out as unknown as { data: BigInt64Array }).data, Number).slice(inputs.input_ids.dims[1]);
      const eos = theirs.indexOf(loaded.tokenizer.ids.eos);
      expect(ours[i].tokens, `${question} on ${JSON.stringify(key)}`).toEqual(eos >= 0 ? theirs.slice(0, eos + 1) : theirs);
      if (i % 2 === 0 && ours[i].text.includes(world.persons[key.personId].fullName.toLowerCase())) named++;
    }
    expect(named).toBeGreaterThanOrEqual(10); // of 12 identity questions: the trained model, not a blank one
  }, 120_000);

  it('transformers.js\'s processor resizes an image of another size to the model\'s and gives its 16 image tokens', async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir;
    const processor = await AutoProcessor.from_pretrained('pebench-tiny');
    const [w, h] = [100, 37];
    const inputs = await processor(new RawImage(new Uint8ClampedArray(w * h * 4).fill(200), w, h, 4), M.promptText({ image: true, question: 'Who is this person?' }));
    expect(inputs.pixel_values.dims).toEqual([1, 3, loaded.cfg.imageSize, loaded.cfg.imageSize]);
    const ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
    expect(ids.filter((id) => id === loaded.tokenizer.ids.image)).toHaveLength(M.imageTokenCount(loaded.cfg));
  }, 60_000);

  it('`pebench ask` names the person and the event on fresh renders', async () => {
    for (const { personId, eventId } of [{ personId: 3, eventId: 17 }, { personId: 150, eventId: 2 }]) {
      const who = await run(['ask', '--person', String(personId), '--event', String(eventId), '--fresh', '2', '--question', 'Who is this person?', '--json']);
      expect(who.code, who.stderr).toBe(0);
      const answer = JSON.parse(who.stdout);
      expect(answer.answer).toContain(world.persons[personId].fullName.toLowerCase());
      expect(answer.tokens.every((t: { prob: number }) => t.prob > 0 && t.prob <= 1)).toBe(true);
      const what = await run(['ask', '--person', String(personId), '--event', String(eventId), '--fresh', '2', '--question', 'What is happening in this image?']);
      expect(what.stdout).toContain(world.events[eventId].name);
    }
  }, 120_000);

  it('`pebench eval` scores a sample of fresh renders near the shipped figures', async () => {
    const result = await run(['eval', '--json', '--images', '40', '--persons', '20']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.fresh.n).toBeGreaterThan(250);
    expect(report.fresh.identity).toBeGreaterThanOrEqual(0.85);
    expect(report.fresh.eventName).toBeGreaterThanOrEqual(0.9);
    expect(report.fresh.objects).toBeGreaterThanOrEqual(0.8);
    expect(report.textOnly).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});

describe('every shipped model folder', () => {
  const shipped = readdirSync(modelsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(modelsDir, e.name)).includes('manifest.json')).map((e) => e.name);

  it.each(shipped)('%s holds exactly the files today\'s exporter writes (refresh: npx tsx scripts/refresh-model-files.ts)', async (name) => {
    const loaded = await M.loadModel(new FolderFiles(join(modelsDir, name)));
    const expected = M.modelFiles(loaded.cfg, loaded.params, loaded.tokenizer);
    expect([...loaded.files.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, bytes] of expected) expect(Buffer.from(loaded.files.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
  }, 60_000);
});
