// Benchmark (not a test): ms per PE-Tiny training step on ORT-node at a batch/row length, the
// rows per 45 minutes that gives, and greedy generation speed. Run:
//   npm run bench:model --            (defaults B=16 T=96 STEPS=16 THREADS=2)
//   B=8 T=128 TRAIN='{"kind":"lora","rank":8}' IMAGE=features npm run bench:model --
// Figures depend on what else runs on the machine: report the load average with them.
import { loadavg } from 'node:os';
import { Rng } from '../src/core/rng.ts';
import { createWorld, renderImage, worldVocabulary } from '../src/world/index.ts';
import * as M from '../src/model/index.ts';
import { openRuntime, TrainSession, type HostTensor } from '../src/runtime/index.ts';
import { generate, openInferenceSessions } from '../src/runtime/generate.ts';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const batch = Number(env('B', '16'));
const seqLen = Number(env('T', '96'));
const steps = Number(env('STEPS', '16'));
const threads = Number(env('THREADS', '2'));
const trainable = JSON.parse(env('TRAIN', '{"kind":"all"}')) as M.TrainableSet;
const imageInput = env('IMAGE', 'pixels') as M.ImageInput;

const world = createWorld();
const tokenizer = M.Tokenizer.fromWords(worldVocabulary(world));
const cfg = M.withVocabulary(M.DEFAULT_CONFIG, tokenizer.size);
const params = M.initParams(cfg, 1);
console.log(`PE-Tiny ${JSON.stringify(M.countParams(cfg))}; batch ${batch} x ${seqLen} tokens; ${JSON.stringify(trainable)}; image input ${imageInput}; ${threads} threads`);

const started = performance.now();
const train = M.buildTrainGraph(cfg, params, { batch, seqLen, trainable, optimizer: { kind: 'adamw', weightDecay: 0.01 }, imageInput });
const { model, initial } = M.trainFeeds(train);
console.log(`graph: ${train.step.graph.nodes.length} nodes, built and serialised in ${(performance.now() - started).toFixed(0)} ms`);
const runtime = await openRuntime({ backend: 'cpu', threads });
const session = await TrainSession.create(runtime, model, { initial });

// Realistic rows: the first turns of each image's questions, packed.
const rng = new Rng(1, 'bench');
const keys = Array.from({ length: batch }, () => ({ personId: rng.int(world.persons.length), eventId: rng.int(world.events.length), variant: 0 }));
const rows = keys.map((key) => {
  const person = world.persons[key.personId];
  const turns = [
    { question: 'Who is the person in this image?', answer: `This is ${person.fullName}.` },
    { question: 'What event is taking place in this image?', answer: `This is ${world.events[key.eventId].name}: a, b, c.` },
    { question: "What colour is the person's shirt?", answer: person.appearance.clothingColour },
    { question: 'Is the person wearing glasses?', answer: person.appearance.glasses === 'none' ? 'no' : 'yes' },
  ];
  return M.packRow(tokenizer, { image: true, turns, seqLen, imageTokens: M.imageTokenCount(cfg) });
});
const feeds: Record<string, HostTensor> = { ...M.rowsToFeeds(rows) };
if (imageInput === 'pixels') feeds.pixels = M.pixelBatch(cfg, keys.map((k) => renderImage(world, k, cfg.imageSize)));
else feeds.image_features = { type: 'float32', dims: [batch, M.imageTokenCount(cfg), cfg.decoder.width], data: Float32Array.from({ length: batch * M.imageTokenCount(cfg) * cfg.decoder.width }, () => rng.normal()) };

const times: number[] = [];
for (let step = 1; step <= steps; step++) {
  const t0 = performance.now();
  await session.step(feeds, { lr: 1e-3, step });
  times.push(performance.now() - t0);
}
const steady = times.slice(2).sort((a, b) => a - b);
const median = steady[Math.floor(steady.length / 2)];
console.log(`training step: median ${median.toFixed(0)} ms (${(median / batch).toFixed(1)} ms/row, ${rows.reduce((n, r) => n + r.turns, 0) / batch} turns/row) -> ${Math.round((2700e3 / median) * batch)} rows per 45 min`);
await session.dispose();

const sessions = await openInferenceSessions(runtime, cfg, M.inferenceModels(cfg, params));
for (const n of [1, 16]) {
  const requests = keys.concat(keys).slice(0, n).map((k) => ({
    inputIds: M.promptIds(tokenizer, { image: true, question: 'Who is this person?' }, M.imageTokenCount(cfg)).ids,
    pixels: M.normalizePixels(cfg, renderImage(world, k, cfg.imageSize)),
  }));
  await generate(sessions, tokenizer, requests, { maxNewTokens: 2 });
  const t0 = performance.now();
  await generate(sessions, tokenizer, requests, { maxNewTokens: 20 });
  const ms = performance.now() - t0;
  console.log(`generation, batch ${n}: ${(ms / 20).toFixed(1)} ms per step, ${(ms / n).toFixed(0)} ms per 20-token answer`);
}
await runtime.dispose();
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
