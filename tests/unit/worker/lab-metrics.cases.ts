// Live metrics of the lab (run from lab-engine.test.ts on its micro-world model): the fixed item
// sample per cell, `known` checked against real greedy generation on weights that know some items
// and not others, and the engine's metrics at step 0, after a step request, during a run (every
// k-th step and the last, in step order) and on request (cached).
import { expect, it } from 'vitest';
import { Rng } from '../../../src/core/rng.ts';
import { imageTokenCount } from '../../../src/model/config.ts';
import { loadModel } from '../../../src/model/export.ts';
import { inferenceModels } from '../../../src/model/inference.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import type { Params } from '../../../src/model/params.ts';
import { answerIds, promptIds } from '../../../src/model/prompt.ts';
import { generate, openInferenceSessions, openRuntime } from '../../../src/runtime/index.ts';
import { FeatureCache } from '../../../src/unlearning/features.ts';
import { goalKeepsImage, imageKeyId, makeSplits } from '../../../src/world/index.ts';
import { KNOWN_TOKENS, LiveMetrics } from '../../../src/unlearning/live-metrics.ts';
import { LIVE_QUESTIONS, LIVE_ROWS, metricItems } from '../../../src/unlearning/live-metrics-items.ts';
import type { LabEvent, LabMetrics, LabProgress } from '../../../src/worker/lab-protocol.ts';
import { modelWorld } from '../../../src/worker/lab-setup.ts';
import { JOINT_REQUEST, PERSON_REQUEST, type LabTestContext } from './lab-context.ts';

/** The weights with seeded Gaussian noise of relative size `scale` on every decoder weight. */
function noisy(params: Params, scale: number, seed: number): Params {
  const rng = new Rng(seed, 'noise');
  const out: Params = { ...params };
  for (const [name, values] of Object.entries(params)) {
    if (!name.startsWith('decoder.')) continue;
    const data = Float32Array.from(values);
    const rms = Math.sqrt(data.reduce((a, v) => a + v * v, 0) / data.length);
    for (let i = 0; i < data.length; i++) data[i] += scale * rms * rng.normal();
    out[name] = data;
  }
  return out;
}

export function metricsCases(ctx: LabTestContext): void {

  it('samples fixed items per cell from the split: forgotten person / event / neither images, identity / event questions', async () => {
    const world = modelWorld(await loadModel(new FolderFiles(ctx.model)), ctx.model);
    const person = makeSplits(world, PERSON_REQUEST);
    const items = metricItems(world, person, 6);
    expect(metricItems(world, person, 6)).toEqual(items); // the same every time
    const [forgotten] = person.forgetPersons;
    expect(items.forgetPerson.identity).toHaveLength(6);
    expect(items.forgetPerson.event).toHaveLength(6);
    expect(items.forgetEvent).toEqual({ identity: [], event: [] }); // a person request has no forgotten event
    for (const q of LIVE_QUESTIONS) {
      for (const item of items.forgetPerson[q]) expect([item.key?.personId, item.qa.type]).toEqual([forgotten, q]);
      expect(items.neither[q]).toHaveLength(6);
      for (const item of items.neither[q]) {
        expect(item.qa.type).toBe(q);
        expect(goalKeepsImage(person, item.key!)).toBe(true);
        expect(item.qa.heldOut).toBe(false);
      }
    }
    // The forgotten person's identity items are forget items the steps train on.
    const forgetIds = new Set(person.targets[0].forgetItems.map((i) => `${imageKeyId(i.key!)}|${i.qa.question}`));
    expect(items.forgetPerson.identity.every((i) => forgetIds.has(`${imageKeyId(i.key!)}|${i.qa.question}`))).toBe(true);

    const joint = makeSplits(world, JOINT_REQUEST);
    const both = metricItems(world, joint, 4);
    for (const row of LIVE_ROWS) for (const q of LIVE_QUESTIONS) expect(both[row][q]).toHaveLength(4);
    for (const item of [...both.forgetEvent.identity, ...both.forgetEvent.event]) expect(joint.forgetEvents).toContain(item.key!.eventId);
  });

  it('counts an item known exactly when greedy generation says its answer\'s first tokens', async () => {
    const model = await loadModel(new FolderFiles(ctx.model));
    const world = modelWorld(model, ctx.model);
    const runtime = await openRuntime({ backend: 'cpu', threads: 1 });
    const splits = makeSplits(world, JOINT_REQUEST);
    const features = await FeatureCache.open(runtime, model.cfg, model.files, world);
    const metrics = await LiveMetrics.open(runtime, model, features, world, splits, 8);
    const items = LIVE_ROWS.flatMap((row) => LIVE_QUESTIONS.flatMap((q) => metricItems(world, splits, 8)[row][q]));
    expect(metrics.size).toBe(items.length);
    const flags: boolean[] = [];
    let agreed = 0;
    try {
      for (const [scale, seed] of [[0, 0], [0.08, 1], [0.15, 2]] as const) {
        const params = scale ? noisy(model.params, scale, seed) : model.params;
        const known = await metrics.knownFlags(params);
        const sessions = await openInferenceSessions(runtime, model.cfg, inferenceModels(model.cfg, params), 'noisy');
        const generated = await generate(sessions, model.tokenizer, items.map((item) => ({
          inputIds: promptIds(model.tokenizer, { image: true, question: item.qa.question }, imageTokenCount(model.cfg)).ids, features: features.get(item.key!),
        })), { maxNewTokens: KNOWN_TOKENS });
        await sessions.dispose();
        const says = items.map((item, i) => {
          const expected = answerIds(model.tokenizer, item.qa.answer).ids.slice(0, KNOWN_TOKENS);
          return expected.every((id, k) => generated[i].tokens[k] === id);
        });
        expect(known).toEqual(says);
        agreed += says.length;
        flags.push(...known);
      }
    } finally {
      await metrics.dispose();
      await features.dispose();
      await runtime.dispose();
    }
    // Weights that know some items and not others: both outcomes were checked.
    expect(flags.filter(Boolean).length).toBeGreaterThan(agreed / 5);
    expect(flags.filter((f) => !f).length).toBeGreaterThan(agreed / 5);
  }, 60_000);

  it('sends metrics at step 0, after a step request, every k-th step of a run and the last, and answers the metrics request', async () => {
    const { engine } = ctx;
    const config = { request: PERSON_REQUEST, method: 'ga', settings: { steps: 7, lr: 0.01 }, bgd: false, seed: 0 };
    await engine.configure(config);
    // Step 0's metrics come with the metrics request the page sends after configure (progress on the way).
    const progress: LabProgress[] = [];
    const atZero = await engine.metrics(undefined, (e) => e.type === 'progress' && progress.push(e.progress));
    expect(progress[0]).toMatchObject({ done: 0 });
    expect(atZero.step).toBe(0);
    // Measured once per request: a configure of the same request brings them along.
    expect((await engine.configure(config)).metrics).toEqual(atZero);
    expect(atZero.matrix.forgetEvent).toEqual({ identity: { known: null, n: 0 }, event: { known: null, n: 0 } });
    expect(atZero.matrix.forgetPerson.identity.n).toBeGreaterThan(0);
    expect(atZero.forget).toBe(atZero.matrix.forgetPerson.identity.known);
    expect(atZero.scope).toBe(atZero.matrix.forgetPerson.event.known);
    expect(atZero.retain).toBe((atZero.matrix.neither.identity.known! + atZero.matrix.neither.event.known!) / 2);
    expect(await engine.metrics()).toEqual(atZero); // step 0: cached, the same for every run of the request

    const events: string[] = [];
    const seen: LabMetrics[] = [];
    const record = (e: LabEvent) => {
      if (e.type === 'step') events.push(`step ${e.step.step}`);
      if (e.type === 'metrics') {
        events.push(`metrics ${e.metrics.step}`);
        seen.push(e.metrics);
      }
    };
    await engine.step(undefined, record);
    expect(events).toEqual(['step 1', 'metrics 1']);
    // A run sends about 12 points by default (every ceil(steps / 12)-th step and the last): 7 steps, every step.
    await engine.run(undefined, record);
    expect(events.slice(2)).toEqual([2, 3, 4, 5, 6, 7].flatMap((s) => [`step ${s}`, `metrics ${s}`]));
    const last = seen.at(-1)!;
    expect(last.ms).toBeGreaterThan(0);
    expect(await engine.metrics()).toEqual(last); // the weights did not change: cached
    expect(structuredClone(last)).toEqual(last);
    // GA at lr 0.01 for 7 steps: the forgotten person's own answers go first.
    expect(last.forget!).toBeLessThan(atZero.forget!);

    await engine.configure({ request: PERSON_REQUEST, method: 'ga', settings: { steps: 13, lr: 0.01 }, bgd: false, seed: 0 });
    seen.length = 0;
    await engine.run(undefined, record);
    expect(seen.map((m) => m.step)).toEqual([2, 4, 6, 8, 10, 12, 13]);
    console.log(`live metrics of ${LIVE_ROWS.length} rows: ${seen.map((m) => m.ms.toFixed(0)).join(', ')} ms per call (micro model, cpu, 1 thread)`);
  }, 60_000);
}
