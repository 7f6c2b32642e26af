// A decoder block's output as a training target (RMU): the gradients of RMU's loss on PE-Tiny's
// real decoder (test size, float64, plain SGD at lr = 1, so p − new_p is the analytic gradient) match
// central differences of the step's loss, for the whole decoder trainable and for LoRA adapters
// with non-zero B; blocks above the chosen one get exactly zero gradient.
import { describe, expect, test } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import * as E from '../../../src/engine/index.ts';
import { TEST_CONFIG, imageTokenCount, withVocabulary } from '../../../src/model/config.ts';
import { initParams } from '../../../src/model/params.ts';
import { packRow, rowsToFeeds } from '../../../src/model/sequence.ts';
import { Tokenizer } from '../../../src/model/tokenizer.ts';
import { rowLogits, weightPolicy, type TrainableSet } from '../../../src/model/vlm.ts';
import { Weights } from '../../../src/model/weights.ts';
import { OBJECTIVE_INPUTS, buildObjective } from '../../../src/unlearning/objectives.ts';
import { GraphRunner, checkStepGradients, randomData, type Feeds } from './harness.ts';

const tokenizer = Tokenizer.fromWords(['who', 'is', 'this', 'person', '?', 'ada', 'lind', 'bo', 'ek', '.']);
const cfg = withVocabulary({ ...TEST_CONFIG, decoder: { ...TEST_CONFIG.decoder, width: 8, heads: 2, mlp: 12 } }, tokenizer.size);
const B = 2;
const SEQ = imageTokenCount(cfg) + 16;

function rmuStep(trainable: TrainableSet, layer: number) {
  const g = new E.Graph('float64');
  const w = new Weights(g, cfg, initParams(cfg, 2), weightPolicy(cfg, trainable));
  const { logits, targets, lossMask, hidden } = rowLogits(w, { batch: B, seqLen: SEQ }, 'features', layer);
  expect(hidden?.shape).toEqual([B, SEQ, cfg.decoder.width]);
  const objective = buildObjective(g, { tokenLogProbs: E.tokenLogProbs(logits, targets), mask: lossMask, logits, hidden }, {
    kind: 'rmu', lambda: 1, beta: 1, balanced: false, seed: 1, settings: { layer, steer: 3, alpha: 2 },
  });
  return E.buildTrainStep(g, { loss: objective.loss, optimizer: { kind: 'sgd' }, clipNorm: 0 });
}

function data(rng: Rng): Feeds {
  const turns = [[{ question: 'who is this person?', answer: 'this is ada lind.' }], [{ question: 'who is this?', answer: 'this is bo ek.' }]];
  const rows = turns.map((t) => packRow(tokenizer, { image: true, turns: t, seqLen: SEQ, imageTokens: imageTokenCount(cfg) }));
  const feeds = rowsToFeeds(rows);
  const int = (name: keyof typeof feeds) => feeds[name].data as BigInt64Array;
  return {
    input_ids: int('input_ids'), targets: int('targets'), position_ids: int('position_ids'), segment_ids: int('segment_ids'),
    loss_mask: Float64Array.from(feeds.loss_mask.data as Float32Array),
    image_features: randomData(rng, B * imageTokenCount(cfg) * cfg.decoder.width),
    [OBJECTIVE_INPUTS.forgetRows]: Float64Array.of(1, 0),
    [OBJECTIVE_INPUTS.retainRows]: Float64Array.of(0, 1),
    [OBJECTIVE_INPUTS.refHidden]: randomData(rng, B * SEQ * cfg.decoder.width),
  };
}

describe("RMU's loss on a decoder block's output: gradients match finite differences", () => {
  test('whole decoder trainable, block 0 of 2: block 1 and the head get zero gradient', async () => {
    const step = rmuStep({ kind: 'decoder' }, 0);
    const rng = new Rng(4, 'hidden-state');
    const feeds = data(rng);
    const r = await checkStepGradients(step, feeds, rng);
    expect(r.bad).toEqual([]);
    expect(r.worst).toBeLessThan(1e-6);
    expect(r.tensors).toBeGreaterThan(10);
    // One SGD step at lr = 1: what does not reach block 0's output stays bit-identical, the rest moves.
    const state = E.initialState(step) as Feeds;
    const runner = await GraphRunner.create(step.graph);
    const out = await runner.run({ ...state, ...feeds, lr: Float64Array.of(1), step: Float64Array.of(1) });
    await runner.release();
    const moved = (slot: E.StateSlot) => (out[slot.output].data as Float64Array).some((v, i) => v !== state[slot.input][i]);
    for (const slot of step.state) {
      const above = /^decoder\.(layers\.1\.|norm$|lm_head$)/.test(slot.param);
      expect(moved(slot), slot.param).toBe(!above);
    }
  });

  test('LoRA adapters (non-zero B), block 1 of 2', async () => {
    const step = rmuStep({ kind: 'lora', rank: 2, seed: 3 }, 1);
    const rng = new Rng(5, 'hidden-state');
    const state = E.initialState(step) as Feeds;
    for (const name of Object.keys(state)) if (name.endsWith('.lora_b')) state[name] = randomData(rng, state[name].length, 0.5);
    const r = await checkStepGradients(step, data(rng), rng, state);
    expect(r.tensors).toBe(2 * 4 * 2); // 2 blocks x 4 linear layers x (A, B)
    expect(r.bad).toEqual([]);
  });
});
