// LabEngine in Node, as the lab's worker drives it: on a micro-world model trained in beforeAll by the
// real CLI (20 persons x 20 events, test-size model, ~15 s) and loaded through the injectable folder
// loader, with the Node runtime. Checks the registry as plain data, bad input refused with what is
// valid, base vs current probe answers, step / run / pause / resume / cancel / reset with step events
// at step boundaries, requests served during a run, checkpoint state round trips and refusals that
// change nothing, and the PEBench report of the current state. The case files run on the same
// model: live metrics (lab-metrics.cases.ts), model export (lab-export.cases.ts), a WebGPU device
// lost mid-run (lab-recovery.cases.ts), the worker's start-up (lab-start.cases.ts), checkpoint
// writes (lab-checkpoint.cases.ts), the relearning attack (lab-relearn.cases.ts), pinned runs'
// weights answering probes (lab-pinned.cases.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MICRO_TRAIN, runPebench } from '../cli/pebench-process.ts';
import { loadModel } from '../../../src/model/export.ts';
import { FolderFiles } from '../../../src/model/node-files.ts';
import { openRuntime } from '../../../src/runtime/index.ts';
import type { UnlearnStep } from '../../../src/unlearning/driver.ts';
import { METHOD_IDS, methodParams } from '../../../src/unlearning/cards.ts';
import { getMethod } from '../../../src/unlearning/registry.ts';
import { LabEngine } from '../../../src/worker/lab-engine.ts';
import type { LabErrorInfo, LabPayload, LabResult, LabState } from '../../../src/worker/lab-protocol.ts';
import { labErrorInfo } from '../../../src/worker/lab-setup.ts';
import type { LabTestContext } from './lab-context.ts';
import { exportCases } from './lab-export.cases.ts';
import { metricsCases } from './lab-metrics.cases.ts';
import { recoveryCases } from './lab-recovery.cases.ts';
import { startCases } from './lab-start.cases.ts';
import { checkpointCases } from './lab-checkpoint.cases.ts';
import { relearnCases } from './lab-relearn.cases.ts';
import { pinnedCases } from './lab-pinned.cases.ts';

const bin = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));

let root: string;
let engine: LabEngine;
let loaded: LabResult<'load'>;
const ctx = {} as LabTestContext;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-lab-'));
  const model = join(root, 'finetune');
  const trained = await runPebench(['train', '--out', model, ...MICRO_TRAIN]);
  if (trained.code !== 0) throw new Error(trained.stderr);
  const options = {
    loadModel: (url: string) => loadModel(new FolderFiles(url)),
    openRuntime: (backend: 'cpu' | 'wasm' | 'webgpu') => openRuntime({ backend, threads: 1 }),
    evalCaps: { forget: 24, generality: 16, retain: 16, scope: 16, utility: 16, text: 8, scored: 6 },
  };
  engine = new LabEngine(options);
  loaded = await engine.load({ modelUrl: model, backend: 'cpu' });
  Object.assign(ctx, { model, engine, loaded, options });
}, 120_000);
afterAll(async () => {
  await engine?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** The error a request failed with, as the worker would post it. */
async function failure(promise: Promise<unknown>): Promise<LabErrorInfo> {
  try {
    await promise;
  } catch (error) {
    return labErrorInfo(error);
  }
  throw new Error('the request was expected to fail');
}

const PERSON_REQUEST = { target: 'person', personRatio: 0.05, forgetSeed: 0 } as const;
const configure = (steps: number, extra: Partial<LabPayload<'configure'>> = {}) =>
  engine.configure({ request: PERSON_REQUEST, method: 'ga', settings: { steps, lr: 0.01 }, bgd: false, seed: 0, ...extra });

/** Asks "who is this" on a forget image of the forgotten person. */
let probeImage: { personId: number; eventId: number; variant: number };
const askWho = () => engine.ask({ question: 'Who is this person?', image: probeImage });
const probs = (a: LabResult<'ask'>['current']) => a.tokens.map((t) => t.prob);

describe('LabEngine', () => {
  it('loads: backend, timing and the world as plain data', () => {
    expect(loaded.backend).toBe('cpu');
    expect(loaded.loadMs).toBeGreaterThan(0);
    expect(loaded.world.persons).toHaveLength(20);
    expect(loaded.world.events).toHaveLength(20);
    expect(loaded.goal).toEqual({ unavailable: expect.stringMatching(/no Goal model was loaded/) });
    // Survives the structured clone of postMessage (no functions, no class instances).
    expect(structuredClone(loaded)).toEqual(loaded);
  });

  it('refuses bad configure input, listing what is valid', async () => {
    const method = await failure(configure(3, { method: 'wizard' }));
    expect(method).toEqual({ kind: 'bad-input', message: `unknown method "wizard". Valid methods: ${METHOD_IDS.join(', ')}` });
    const ratio = await failure(configure(3, { request: { target: 'person', personRatio: 0.3, forgetSeed: 0 } }));
    expect(ratio.kind).toBe('bad-input');
    expect(ratio.message).toMatch('personRatio must be one of 0.01, 0.05, 0.1, got 0.3');
    const none = await failure(configure(3, { request: { target: 'person', personRatio: 0.01, forgetSeed: 0 } }));
    expect(none.message).toMatch('selects no persons in a world of 20 persons');
    const lr = await failure(configure(3, { settings: { lr: 5 } }));
    expect(lr).toEqual({ kind: 'bad-input', message: 'lr (--lr) must be a number from 0.000001 to 0.1, got 5' });
    const beta = await failure(configure(3, { settings: { beta: 1 } }));
    expect(beta.message).toMatch('beta is not a parameter of ga; its parameters: steps, lr, batch, loraRank');
    const bgd = await failure(configure(3, { bgd: true }));
    expect(bgd.message).toMatch('use it with target both');
    // Nothing is configured by a refused configure: the run requests say so.
    expect(await failure(engine.step())).toEqual({ kind: 'bad-input', message: 'no run is configured: send configure first' });
  });

  it('configures a request: steps, targets by name', async () => {
    const configured = await configure(3);
    expect(configured.totalSteps).toBe(3);
    expect(configured.config).toMatchObject({ method: 'ga', bgd: false, seed: 0, lastBlocks: 0, settings: { steps: 3, lr: 0.01, batch: expect.any(Number), loraRank: expect.any(Number) } });
    expect(configured.targets).toHaveLength(1);
    const [target] = configured.targets;
    expect(target.concept).toBe('person');
    expect(target.name).toBe(loaded.world.persons[target.id].name);
    probeImage = { personId: target.id, eventId: 0, variant: 0 };
  }, 30_000);

  it('refuses empty and over-long questions and images outside the world', async () => {
    expect(await failure(engine.ask({ question: '  ', image: null }))).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/question is empty/) });
    const long = await failure(engine.ask({ question: 'who '.repeat(60), image: null }));
    expect(long).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/has 239 characters; at most 200/) });
    const tokens = await failure(engine.ask({ question: 'who is this '.repeat(16).trim(), image: probeImage }));
    expect(tokens).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/has 48 tokens; the model has room for \d+/) });
    const image = await failure(engine.ask({ question: 'Who is this person?', image: { personId: 20, eventId: 0, variant: 0 } }));
    expect(image).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/persons are 0-19, events 0-19, variants 0-2/) });
  });

  let atStep3: LabResult<'ask'>;
  let baseBefore: LabResult<'ask'>['base'];

  it('answers with the base and the current model; steps change only the current one', async () => {
    const before = await askWho();
    baseBefore = before.base;
    expect(before.step).toBe(0);
    expect(before.base.text.length).toBeGreaterThan(0);
    expect(before.current).toEqual(before.base); // fresh LoRA adapters add exactly zero
    expect(before.base.tokens.length).toBeGreaterThan(0);
    expect(before.base.tokens.every((t) => t.prob > 0 && t.prob <= 1)).toBe(true);

    const steps: UnlearnStep[] = [];
    // A probe sent with the step is answered with the new weights before that step's live metrics.
    const order: string[] = [];
    const stepping = engine.step(undefined, (e) => {
      order.push(e.type);
      if (e.type === 'step') steps.push(e.step);
    });
    const probing = askWho().then((answer) => (order.push('ask'), answer));
    const [one, probed] = await Promise.all([stepping, probing]);
    expect(order).toEqual(['step', 'ask', 'metrics']);
    expect(probed.step).toBe(1);
    expect(one).toMatchObject({ state: 'ready', step: 1, totalSteps: 3, last: { step: 1 } });
    const ran = await engine.run(undefined, (e) => e.type === 'step' && steps.push(e.step));
    expect(ran).toMatchObject({ state: 'done', step: 3, last: { step: 3 } });
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(steps.every((s) => s.finite && Number.isFinite(s.loss))).toBe(true);

    atStep3 = await askWho();
    expect(atStep3.step).toBe(3);
    expect(atStep3.base).toEqual(baseBefore);
    expect(probs(atStep3.current)).not.toEqual(probs(atStep3.base)); // GA moved the current model
    expect(await failure(engine.step())).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/the run is complete \(3 of 3 steps\)/) });
  }, 30_000);

  let savedAt3: LabState;

  it('state -> reset -> restore gives the same answers; a foreign state is refused and changes nothing', async () => {
    savedAt3 = await engine.state();
    expect(savedAt3).toMatchObject({ schema: 'pebench-lab-state/1', modelHash: loaded.modelHash, step: 3, config: { method: 'ga' } });
    const names = Object.keys(savedAt3.tensors);
    expect(names.some((n) => n.endsWith('.lora_a'))).toBe(true);
    expect(Object.values(savedAt3.tensors).every((t) => t.data instanceof Float32Array)).toBe(true);

    expect(await engine.reset()).toMatchObject({ state: 'ready', step: 0, last: null });
    const afterReset = await askWho();
    expect(afterReset.step).toBe(0);
    expect(afterReset.current).toEqual(afterReset.base);

    const foreign = await failure(engine.restore({ state: { ...savedAt3, modelHash: '0'.repeat(64) } }));
    expect(foreign.kind).toBe('bad-input');
    expect(foreign.message).toMatch(/made from Finetune model 000000000000, but the loaded model is .*nothing was changed/);
    const otherConfig = await failure(engine.restore({ state: { ...savedAt3, config: { ...savedAt3.config, seed: 1 } } }));
    expect(otherConfig.message).toMatch(/differs from the configured run/);
    const [first] = names;
    const damaged = { ...savedAt3.tensors, [first]: { dims: savedAt3.tensors[first].dims, data: new Float32Array(3) } };
    expect((await failure(engine.restore({ state: { ...savedAt3, tensors: damaged } }))).message).toMatch(`tensor ${first} must be a Float32Array of`);
    const unchanged = await askWho();
    expect(unchanged.step).toBe(0);
    expect(unchanged.current).toEqual(afterReset.current);

    expect(await engine.restore({ state: savedAt3 })).toMatchObject({ step: 3, totalSteps: 3 });
    const restored = await askWho();
    expect(restored.step).toBe(3);
    expect(restored.current).toEqual(atStep3.current);
  }, 30_000);

  it('serves requests during a run, pauses at a step boundary and resumes', async () => {
    await configure(8);
    const steps: number[] = [];
    let during!: (value: Promise<[LabResult<'ask'>, LabState]>) => void;
    const duringRun = new Promise<[LabResult<'ask'>, LabState]>((resolve) => (during = resolve));
    let paused!: (value: Promise<LabResult<'pause'>>) => void;
    const pausedRun = new Promise<LabResult<'pause'>>((resolve) => (paused = resolve));
    const running = engine.run(undefined, (e) => {
      if (e.type !== 'step') return;
      steps.push(e.step.step);
      if (e.step.step === 1) during(Promise.all([askWho(), engine.state()]));
      if (e.step.step === 2) paused(engine.pause());
    });
    expect(await pausedRun).toMatchObject({ state: 'paused', step: 2 });
    const [asked, state] = await duringRun;
    expect(asked.step).toBeGreaterThanOrEqual(1);
    expect(state.step).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(steps).toEqual([1, 2]); // held: no step while paused
    expect((await askWho()).step).toBe(2);
    expect(await failure(engine.run())).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/a run is already going \(paused\)/) });
    expect(await engine.resume()).toMatchObject({ state: 'running' });
    expect(await running).toMatchObject({ state: 'done', step: 8 });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }, 30_000);

  it('cancels at a step boundary: the run request fails with kind cancelled, the weights stay', async () => {
    await engine.reset();
    const steps: number[] = [];
    let firstStep!: () => void;
    const started = new Promise<void>((resolve) => (firstStep = resolve));
    const running = failure(engine.run(undefined, (e) => {
      if (e.type === 'step') {
        steps.push(e.step.step);
        firstStep();
      }
    }));
    await started;
    const cancelled = await engine.cancel();
    const error = await running;
    expect(error.kind).toBe('cancelled');
    expect(error.message).toMatch(`cancelled at step ${cancelled.step}`);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.step).toBeLessThan(8);
    expect(steps).toEqual(Array.from({ length: cancelled.step }, (_, i) => i + 1));
    expect((await askWho()).step).toBe(cancelled.step);
  }, 30_000);

  it('evaluates the current state against Finetune (computed once)', async () => {
    await engine.reset();
    const atZero = await engine.evaluate();
    expect(atZero.step).toBe(0);
    expect(atZero.report).toEqual(atZero.finetune);
    expect(atZero.finetune.person?.efficacy).toEqual(expect.any(Number));
    expect(atZero.finetune.person?.n.efficacy).toBeGreaterThan(0);
    await engine.step();
    await engine.step();
    const phases: string[] = [];
    const later = await engine.evaluate(undefined, (e) => e.type === 'progress' && phases.push(e.progress.phase));
    expect(later.step).toBe(2);
    expect(later.finetune).toEqual(atZero.finetune);
    expect(later.report.person).toBeDefined();
    expect(later.report.forgetPersons).toEqual(atZero.report.forgetPersons);
    expect(later.report.extra).not.toEqual(atZero.report.extra); // token scores moved with the weights
    expect(phases).toEqual(['evaluate finetune', 'evaluate current', 'evaluate current']);
  }, 60_000);
});

describe('live metrics', () => metricsCases(ctx));
describe('exportModel', () => exportCases(ctx));
describe('WebGPU device lost', () => recoveryCases(ctx));
describe('worker start-up', () => startCases(ctx));
describe('checkpoint writes', () => checkpointCases(ctx));
describe('relearning attack', () => relearnCases(ctx));
describe('pinned runs answer later probes', () => pinnedCases(ctx));
