// The exported folder is a real transformers.js LLaVA model: loaded offline in Node, its tokenizer
// gives our ids and text, its chat template and processor give our prompt and pixels, and after a
// brief training run its greedy generation equals the lab's own generate() token for token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoProcessor, AutoTokenizer, LlavaForConditionalGeneration, RawImage, env } from '@huggingface/transformers';
import { eventAnswer, questionsFor } from '../../../src/world/index.ts';
import * as M from '../../../src/model/index.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { openRuntime, TrainSession, type HostTensor } from '../../../src/runtime/index.ts';
import { generate, openInferenceSessions } from '../../../src/runtime/generate.ts';
import { cfg, imageTokens, randomParams, rgbaOf, tokenizer, world, worldTexts } from './fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'pe-tiny-hf-'));
const keys = world.persons.flatMap((p) => world.events.map((e) => ({ personId: p.id, eventId: e.id, variant: 0 })));
const SEQ = 80;

/** A few hundred AdamW steps on the tiny world's identity/event/attribute turns: enough to answer. */
async function brieflyTrained(): Promise<{ params: M.Params; losses: number[] }> {
  const params = randomParams(7);
  const train = M.buildTrainGraph(cfg, params, { batch: keys.length, seqLen: SEQ, trainable: { kind: 'all' }, optimizer: { kind: 'adamw' } });
  const { model, initial } = M.trainFeeds(train);
  const runtime = await openRuntime({ backend: 'cpu', threads: 1 });
  const session = await TrainSession.create(runtime, model, { initial });
  const rows = keys.map((key) => {
    const all = questionsFor(world, key);
    const qa = (['identity', 'event', 'attribute'] as const).map((type) => all.find((q) => q.type === type && (!q.heldOut || type === 'attribute'))!);
    return M.packRow(tokenizer, { image: true, turns: qa.map((q) => ({ question: q.question, answer: q.answer })), seqLen: SEQ, imageTokens });
  });
  const pixels: HostTensor = M.pixelBatch(cfg, keys.map(rgbaOf));
  const feeds = { ...M.rowsToFeeds(rows), pixels };
  const losses: number[] = [];
  for (let step = 1; step <= 120; step++) losses.push((await session.step(feeds, { lr: 3e-3, step })).loss);
  const trained = M.paramsFromState(params, await session.readParams());
  await session.dispose();
  await runtime.dispose();
  return { params: trained, losses };
}

describe('exported model in transformers.js', () => {
  let losses: number[] = [];
  beforeAll(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = root;
    const { params, losses: l } = await brieflyTrained();
    losses = l;
    await M.exportModel(new FolderFiles(join(root, 'trained')), cfg, params, tokenizer, { note: 'test' });
    await M.exportModel(new FolderFiles(join(root, 'random')), cfg, randomParams(1), tokenizer);
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('tokenizer.json gives our ids and our decoded text', async () => {
    const hf = await AutoTokenizer.from_pretrained('random');
    const odd = ['Who is JOSÉ   Müller?', 'tabs\tand\nnewlines', 'x<image>y <eos>', "Don't stop—now!", 'café, naïve; ok:', ''];
    for (const text of [...worldTexts(), ...odd]) {
      const theirs = Array.from(hf(text, { add_special_tokens: true }).input_ids.data as BigInt64Array, Number);
      const ours = tokenizer.encode(text).ids;
      expect(theirs, text).toEqual(ours);
      if (ours.length) expect(hf.decode(ours, { skip_special_tokens: true }), text).toBe(tokenizer.decode(ours));
    }
  });

  it('the chat template and the processor build exactly our prompt and pixels', async () => {
    const hf = await AutoTokenizer.from_pretrained('random');
    const processor = await AutoProcessor.from_pretrained('random');
    const question = 'Who is the person in this image?';
    for (const image of [false, true]) {
      const rendered = hf.apply_chat_template(M.chatMessages({ image, question }), { add_generation_prompt: true, tokenize: false });
      expect(rendered).toBe(M.promptText({ image, question }));
    }
    const textIds = hf.apply_chat_template(M.chatMessages({ image: false, question }), { add_generation_prompt: true, return_tensor: false, return_dict: false });
    expect(textIds).toEqual(M.promptIds(tokenizer, { image: false, question }, imageTokens).ids);
    const rgba = rgbaOf(keys[4]);
    const inputs = await processor(new RawImage(new Uint8ClampedArray(rgba), 64, 64, 4), M.promptText({ image: true, question }));
    expect(Array.from(inputs.input_ids.data as BigInt64Array, Number)).toEqual(M.promptIds(tokenizer, { image: true, question }, imageTokens).ids);
    expect(Array.from(inputs.pixel_values.data as Float32Array)).toEqual(Array.from(M.normalizePixels(cfg, rgba)));
  });

  it('greedy generation equals our generate() after brief training', async () => {
    expect(losses.at(-1)!).toBeLessThan(0.2 * losses[0]);
    const processor = await AutoProcessor.from_pretrained('trained');
    const model = await LlavaForConditionalGeneration.from_pretrained('trained', { dtype: 'fp32' });
    const runtime = await openRuntime({ backend: 'cpu', threads: 1 });
    const loaded = await M.loadModel(new FolderFiles(join(root, 'trained')));
    const sessions = await openInferenceSessions(runtime, loaded.cfg, loaded.files);
    const person = world.persons[2];
    const cases = [
      { key: keys[0], question: 'Who is the person in this image?' },
      { key: keys[3], question: 'What event is taking place in this image?' },
      { key: keys[5], question: 'Whose picture is this?' },
      { key: null, question: `Where does ${person.fullName} live?` },
    ];
    const ours = await generate(sessions, loaded.tokenizer, cases.map(({ key, question }) => ({
      inputIds: M.promptIds(loaded.tokenizer, { image: key !== null, question }, imageTokens).ids,
      pixels: key ? M.normalizePixels(cfg, rgbaOf(key)) : null,
    })), { maxNewTokens: 24 });
    for (const [i, { key, question }] of cases.entries()) {
      const text = M.promptText({ image: key !== null, question });
      const inputs = key
        ? await processor(new RawImage(new Uint8ClampedArray(rgbaOf(key)), 64, 64, 4), text)
        : processor.tokenizer!(text);
      const out = await model.generate({ ...inputs, max_new_tokens: 24, do_sample: false });
      const promptLength = inputs.input_ids.dims[1];
      const theirs = Array.from((out as unknown as { data: BigInt64Array }).data, Number).slice(promptLength);
      const eos = theirs.indexOf(tokenizer.ids.eos);
      expect(ours[i].tokens, question).toEqual(eos >= 0 ? theirs.slice(0, eos + 1) : theirs);
    }
    // The brief training took: the first image's identity answer is right and ends with <eos>.
    expect(ours[0].stop).toBe('eos');
    expect(ours[0].text).toBe(`this is ${world.persons[0].fullName.toLowerCase()}.`);
    expect(ours[1].text).toBe(eventAnswer(world.events[1]).toLowerCase());
    expect(ours[0].probs.every((p) => p > 0 && p <= 1)).toBe(true);
    await sessions.dispose();
    await runtime.dispose();
  });
});
