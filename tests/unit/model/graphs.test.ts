// The training step and the scoring graph compute the same log-likelihoods as the exported
// inference graphs on the same weights: packed rows (two turns about one image, plus a text-only
// row) score each turn exactly as a separate single-turn prompt would. Also: which parameters each
// trainable set trains, no backward pass through a frozen vision tower, LoRA merge for export, and
// the inference decoder with LoRA adapter inputs (the lab's probe) equal to the merged one.
import { describe, expect, it } from 'vitest';
import * as E from '../../../src/engine/index.ts';
import * as M from '../../../src/model/index.ts';
import { openRuntime, TrainSession, type HostTensor, type Runtime } from '../../../src/runtime/index.ts';
import { openInferenceSessions } from '../../../src/runtime/generate.ts';
import { cfg, imageTokens, inferenceLogits, logProbAt, randomParams, rgbaOf, tokenizer, world } from './fixture.ts';

const SEQ = 72;
const person = world.persons[1];
const turns: M.Turn[] = [
  { question: 'Who is the person in this image?', answer: `This is ${person.fullName}.` },
  { question: "What colour is the person's shirt?", answer: person.appearance.clothingColour },
];
const textTurn: M.Turn = { question: `Where does ${person.fullName} live?`, answer: `${person.fullName} lives in ${person.city.name}.` };
const pixels = M.normalizePixels(cfg, rgbaOf({ personId: 1, eventId: 0, variant: 0 }));

function batchRows(): { rows: M.PackedRow[]; feeds: Record<string, HostTensor> } {
  const rows = [
    M.packRow(tokenizer, { image: true, turns, seqLen: SEQ, imageTokens }),
    M.packRow(tokenizer, { image: false, turns: [textTurn], seqLen: SEQ, imageTokens }),
  ];
  expect(rows.map((r) => r.turns)).toEqual([2, 1]);
  return { rows, feeds: M.rowsToFeeds(rows) };
}

/** Reference: log p of each answer token (incl. <eos>) of each turn as a single-turn prompt through the inference graphs. */
async function referenceLogProbs(runtime: Runtime, params: M.Params): Promise<number[][]> {
  const files = M.inferenceModels(cfg, params);
  const sessions = await openInferenceSessions(runtime, cfg, files);
  const out: number[][] = [];
  const cases = [...turns.map((t) => ({ t, image: true })), { t: textTurn, image: false }];
  for (const { t, image } of cases) {
    const prompt = M.promptIds(tokenizer, { image, question: t.question }, imageTokens).ids;
    const answer = M.answerIds(tokenizer, t.answer).ids;
    const logits = await inferenceLogits(sessions, [...prompt, ...answer], image ? pixels : null);
    out.push(answer.map((id, j) => logProbAt(logits, cfg.vocabSize, prompt.length - 1 + j, id)));
  }
  await sessions.dispose();
  return out;
}

describe('PE-Tiny graphs', () => {
  it('train-step loss and scoring log-probs equal the inference graphs on the same weights', async () => {
    const runtime = await openRuntime({ backend: 'cpu', threads: 1 });
    const params = randomParams(3);
    const reference = await referenceLogProbs(runtime, params);
    const flat = reference.flat();
    const referenceLoss = -flat.reduce((a, b) => a + b, 0) / flat.length;
    const { rows, feeds } = batchRows();
    expect(rows.reduce((n, r) => n + r.lossMask.reduce((a, b) => a + b, 0), 0)).toBe(flat.length);

    const train = M.buildTrainGraph(cfg, params, { batch: 2, seqLen: SEQ, trainable: { kind: 'all' }, optimizer: { kind: 'sgd' } });
    const { model, initial } = M.trainFeeds(train);
    const session = await TrainSession.create(runtime, model, { initial });
    const pixelFeed: HostTensor = { type: 'float32', dims: [2, 3, 64, 64], data: Float32Array.from([...pixels, ...new Float32Array(pixels.length)]) };
    const result = await session.step({ ...feeds, pixels: pixelFeed }, { lr: 0, step: 1 });
    expect(Math.abs(result.loss - referenceLoss)).toBeLessThan(1e-4 * Math.abs(referenceLoss));
    await session.dispose();

    // Scoring graph on cached image features (from the exported vision encoder).
    const vision = await runtime.createSession(M.inferenceModels(cfg, params)['onnx/vision_encoder.onnx']);
    const { image_features: features } = await vision.run({ pixel_values: pixelFeed });
    const scoringGraph = M.buildScoringGraph(cfg, params, { batch: 2, seqLen: SEQ });
    const scoring = await runtime.createSession(E.toOnnx(scoringGraph, { frozenParams: 'inputs' }).model);
    const scored = await scoring.run({ ...feeds, image_features: features, ...M.paramFeeds(scoringGraph, params) });
    const tokenLogProbs = scored.token_logprobs.data as Float32Array;
    const kept = rows.flatMap((r, b) => [...r.lossMask].flatMap((m, i) => (m ? [tokenLogProbs[b * SEQ + i]] : [])));
    expect(kept).toHaveLength(flat.length);
    kept.forEach((value, i) => expect(Math.abs(value - flat[i])).toBeLessThan(1e-4));
    const sequence = scored.sequence_logprobs.data as Float32Array;
    expect(sequence[1]).toBeCloseTo(reference[2].reduce((a, b) => a + b, 0), 3);
    await runtime.dispose();
  });

  it('trains exactly the parameters of each trainable set, with no backward pass through a frozen vision tower', () => {
    const params = randomParams(1);
    const opt: E.OptimizerConfig = { kind: 'sgd' };
    const build = (trainable: M.TrainableSet, imageInput: M.ImageInput = 'pixels') =>
      M.buildTrainGraph(cfg, params, { batch: 1, seqLen: SEQ, trainable, optimizer: opt, imageInput });
    const all = build({ kind: 'all' }).trained;
    expect(all.length).toBe(M.paramSpecs(cfg).length);
    expect(build({ kind: 'decoder' }).trained.every((n) => n.startsWith('decoder.'))).toBe(true);
    const last = build({ kind: 'lastBlocks', count: 1 }).trained;
    expect(last.every((n) => n.startsWith(`decoder.layers.${cfg.decoder.layers - 1}.`) || n === 'decoder.norm' || n === 'decoder.lm_head')).toBe(true);
    expect(last).toContain('decoder.lm_head');
    const lora = build({ kind: 'lora', rank: 2, targets: 'attention' }).trained;
    expect(lora.sort()).toEqual(
      Array.from({ length: cfg.decoder.layers }, (_, l) => ['qkv', 'o'].flatMap((w) => [`decoder.layers.${l}.${w}.lora_a`, `decoder.layers.${l}.${w}.lora_b`])).flat().sort(),
    );
    expect(() => build({ kind: 'all' }, 'features')).toThrow(/vision/);

    // With the vision tower frozen, the pixels graph differs from the cached-features graph by
    // exactly the forward nodes of vision + projector: none of their gradients are built.
    const frozenWithPixels = build({ kind: 'decoder' }, 'pixels').step.graph.nodes.length;
    const frozenWithFeatures = build({ kind: 'decoder' }, 'features').step.graph.nodes.length;
    const forwardPixels = M.buildScoringGraph(cfg, params, { batch: 1, seqLen: SEQ, imageInput: 'pixels' }).nodes.length;
    const forwardFeatures = M.buildScoringGraph(cfg, params, { batch: 1, seqLen: SEQ, imageInput: 'features' }).nodes.length;
    expect(forwardPixels - forwardFeatures).toBeGreaterThan(20);
    expect(frozenWithPixels - frozenWithFeatures).toBe(forwardPixels - forwardFeatures);
  });

  it('merges LoRA adapters into weights that score like the adapted graph', async () => {
    const params = randomParams(2);
    const trainable: M.TrainableSet = { kind: 'lora', rank: 2, alpha: 4 };
    const adapters: M.Params = {};
    const loraGraph = M.buildTrainGraph(cfg, params, { batch: 2, seqLen: SEQ, trainable, optimizer: { kind: 'sgd' } });
    let k = 0;
    for (const name of loraGraph.trained) {
      const size = loraGraph.step.graph.params.get(name)!.tensor.size;
      adapters[name] = Float32Array.from({ length: size }, () => Math.sin(k++) * 0.3);
    }
    const merged = M.mergeLora(cfg, { ...params, ...adapters }, 4);
    expect(merged['decoder.layers.0.qkv']).not.toEqual(params['decoder.layers.0.qkv']);
    const runtime = await openRuntime({ backend: 'cpu', threads: 1 });
    const { feeds } = batchRows();
    const features: HostTensor = { type: 'float32', dims: [2, imageTokens, cfg.decoder.width], data: Float32Array.from({ length: 2 * imageTokens * cfg.decoder.width }, (_, i) => Math.cos(i)) };
    const score = async (graph: E.Graph) => {
      const s = await runtime.createSession(E.toOnnx(graph).model);
      return (await s.run({ ...feeds, image_features: features })).sequence_logprobs.data as Float32Array;
    };
    const adapted = await score(M.buildScoringGraph(cfg, params, { batch: 2, seqLen: SEQ, lora: { ...trainable, adapters } }));
    const plain = await score(M.buildScoringGraph(cfg, params, { batch: 2, seqLen: SEQ }));
    const viaMerge = await score(M.buildScoringGraph(cfg, merged, { batch: 2, seqLen: SEQ }));
    expect(Math.abs(adapted[0] - plain[0])).toBeGreaterThan(1e-2);
    adapted.forEach((v, i) => expect(viaMerge[i]).toBeCloseTo(v, 3));

    // The inference decoder taking the adapters as inputs (the lab's probe) = the merged decoder.
    const prompt = M.promptIds(tokenizer, { image: true, question: turns[0].question }, imageTokens).ids;
    const ids = [...prompt, ...M.answerIds(tokenizer, turns[0].answer).ids];
    const mergedSessions = await openInferenceSessions(runtime, cfg, M.inferenceModels(cfg, merged));
    const plainSessions = await openInferenceSessions(runtime, cfg, M.inferenceModels(cfg, params));
    const adapterDecoder = await runtime.createSession(E.toOnnx(M.buildDecoderGraph(cfg, params, { rank: 2, alpha: 4 })).model);
    const decoderFeeds = Object.fromEntries(Object.entries(adapters).map(([name, data]) => {
      const dims = loraGraph.step.graph.params.get(name)!.tensor.shape as number[];
      return [name, { type: 'float32', dims, data } as HostTensor];
    }));
    expect(Object.keys(decoderFeeds)).toHaveLength(loraGraph.trained.length);
    const viaInputs = await inferenceLogits({ ...plainSessions, decoder: adapterDecoder, decoderFeeds }, ids, pixels);
    const viaMergedDecoder = await inferenceLogits(mergedSessions, ids, pixels);
    const withoutAdapters = await inferenceLogits(plainSessions, ids, pixels);
    const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(maxDiff(viaInputs, withoutAdapters)).toBeGreaterThan(1e-2);
    expect(maxDiff(viaInputs, viaMergedDecoder)).toBeLessThan(1e-4);
    await Promise.all([mergedSessions.dispose(), plainSessions.dispose(), adapterDecoder.dispose()]);
    await runtime.dispose();
  });
});
