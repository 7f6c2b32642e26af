// A WebGPU device lost mid-run (run from lab-engine.test.ts on its micro-world model): an engine
// whose 'webgpu' runtime is the Node CPU runtime under that name, losing its device on the k-th
// training run, and whose 'wasm' runtime is the Node CPU runtime again. The run (or the step
// requests) must go on from the last completed step, say so in a notice, end at totalSteps, and
// end with exactly the weights of an uninterrupted run of the same config and seed.
import { expect, it } from 'vitest';
import { openRuntime } from '../../../src/runtime/index.ts';
import { nodeBinding } from '../../../src/runtime/ort-node.ts';
import { Runtime } from '../../../src/runtime/runtime.ts';
import type { UnlearnRun } from '../../../src/unlearning/driver.ts';
import { LabEngine } from '../../../src/worker/lab-engine.ts';
import { MAX_SNAPSHOT_GAP, SnapshotKeeper } from '../../../src/worker/lab-recovery.ts';
import type { LabBackend, LabEvent, LabPayload, LabState } from '../../../src/worker/lab-protocol.ts';
import { PERSON_REQUEST, type LabTestContext } from './lab-context.ts';

const LOST = 'test: the GPU process was reset';

/**
 * The Node CPU runtime named `backend`; under 'webgpu' its device is lost during the k-th training
 * run counted once `armed.on` is set (the engine's unkept warm-up run of the step session comes first).
 */
function cpuRuntimeAs(backend: LabBackend, loseOnTrainingRun = 0, armed = { on: true }): Runtime {
  let lost: string | null = null;
  let trainingRuns = 0;
  const runtime = new Runtime({ ...nodeBinding({ device: 'cpu', threads: 1 }), backend, lostReason: () => lost });
  if (!loseOnTrainingRun) return runtime;
  const create = runtime.createSession.bind(runtime);
  runtime.createSession = async (bytes, options) => {
    const session = await create(bytes, options);
    if (options?.label?.endsWith('unlearning step')) {
      const runOnDevice = session.runOnDevice.bind(session);
      session.runOnDevice = (feeds) => {
        if (armed.on && ++trainingRuns === loseOnTrainingRun) lost = LOST;
        return runOnDevice(feeds);
      };
    }
    return session;
  };
  return runtime;
}

const CONFIG: LabPayload<'configure'> = { request: PERSON_REQUEST, method: 'npo', settings: { steps: 6, lr: 0.01 }, bgd: false, seed: 5 };

export function recoveryCases(ctx: LabTestContext): void {
  let uninterrupted: LabState;

  async function losingEngine(loseOnTrainingRun: number): Promise<LabEngine> {
    const armed = { on: false };
    const engine = new LabEngine({
      ...ctx.options,
      openRuntime: async (backend) => (backend === 'webgpu' ? cpuRuntimeAs('webgpu', loseOnTrainingRun, armed) : cpuRuntimeAs(backend)),
    });
    expect((await engine.load({ modelUrl: ctx.model, backend: 'webgpu' })).backend).toBe('webgpu');
    await engine.configure(CONFIG);
    // The background preparation (its warm-up run of the step session included) ends before `warm` does.
    await engine.warm();
    armed.on = true;
    return engine;
  }

  const sameWeights = (state: LabState) => {
    expect(state.step).toBe(uninterrupted.step);
    expect(Object.keys(state.tensors).sort()).toEqual(Object.keys(uninterrupted.tensors).sort());
    for (const [name, t] of Object.entries(uninterrupted.tensors)) expect(state.tensors[name].data, name).toEqual(t.data);
  };

  it('an uninterrupted run of the config (the reference)', async () => {
    await ctx.engine.configure(CONFIG);
    expect(await ctx.engine.run()).toMatchObject({ state: 'done', step: 6 });
    uninterrupted = await ctx.engine.state();
  }, 30_000);

  it('a run goes on on WASM from the last completed step when the WebGPU device is lost, to the same weights', async () => {
    const engine = await losingEngine(3);
    const events: string[] = [];
    const record = (e: LabEvent) => {
      if (e.type === 'step') events.push(`step ${e.step.step}`);
      if (e.type === 'notice') events.push(e.notice);
    };
    try {
      const status = await engine.run(undefined, record);
      expect(status).toMatchObject({ state: 'done', step: 6, totalSteps: 6, backend: 'wasm', last: { step: 6 } });
      const notice = `the WebGPU device was lost at step 3 (${LOST}); the run goes on on WASM from step 3`;
      expect(events).toEqual(['step 1', 'step 2', notice, 'step 3', 'step 4', 'step 5', 'step 6']);
      sameWeights(await engine.state());
      // The reopened engine answers and evaluates as usual.
      expect((await engine.ask({ question: 'Who is this person?', image: { personId: 0, eventId: 0, variant: 0 } })).step).toBe(6);
    } finally {
      await engine.dispose();
    }
  }, 60_000);

  it('a step request that loses the device reports the notice and the last completed step; later steps go on', async () => {
    const engine = await losingEngine(2);
    const notices: string[] = [];
    try {
      expect(await engine.step()).toMatchObject({ step: 1, backend: 'webgpu' });
      const lostStep = await engine.step(undefined, (e) => e.type === 'notice' && notices.push(e.notice));
      expect(lostStep).toMatchObject({ state: 'ready', step: 1, backend: 'wasm', last: { step: 1 } });
      expect(notices).toEqual([`the WebGPU device was lost at step 2 (${LOST}); the run goes on on WASM from step 2`]);
      for (let step = 2; step <= 6; step++) expect(await engine.step()).toMatchObject({ step });
      sameWeights(await engine.state());
    } finally {
      await engine.dispose();
    }
  }, 60_000);

  it('takes a snapshot after every step while it costs at most 10 ms or under a tenth of a step, else every few steps', async () => {
    let copyMs = 0;
    const run = { step: 0, trainedState: async () => {
      const until = performance.now() + copyMs;
      while (performance.now() < until); // a slow device read
      return { [`after step ${run.step}`]: { type: 'float32', dims: [1], data: new Float32Array(1) } };
    } } as unknown as UnlearnRun & { step: number };
    const keeper = new SnapshotKeeper();
    const taken: { step: number; ms: number }[] = [];
    for (run.step = 1; run.step <= 30; run.step++) {
      copyMs = run.step <= 3 ? 0 : 12; // from step 4 a copy takes 12 of a step's 20 ms (over the 10 ms always-taken floor): one every ~6 steps
      await keeper.afterStep(run, 20);
      if (keeper.current?.step === run.step) taken.push({ step: run.step, ms: keeper.lastMs });
    }
    expect(taken.slice(0, 4).map((t) => t.step)).toEqual([1, 2, 3, 4]);
    for (let i = 4; i < taken.length; i++) {
      const previous = taken[i - 1];
      expect(previous.ms).toBeGreaterThanOrEqual(12);
      expect(taken[i].step - previous.step).toBe(Math.min(10, Math.ceil(previous.ms / (0.1 * 20)))); // 6, or more if the machine was slow
    }
    expect(taken.length).toBeGreaterThanOrEqual(5);
    keeper.reset(null);
    expect(keeper.current).toBeNull();
    // A copy dearer than 10 steps still comes every MAX_SNAPSHOT_GAP steps.
    copyMs = 30;
    const dear: number[] = [];
    for (run.step = 31; run.step <= 31 + MAX_SNAPSHOT_GAP; run.step++) {
      await keeper.afterStep(run, 1);
      if (keeper.current?.step === run.step) dear.push(run.step);
    }
    expect(dear).toEqual([31, 31 + MAX_SNAPSHOT_GAP]);
  });
}
