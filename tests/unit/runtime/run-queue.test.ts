// The run queue and the sessions built on it: runs never overlap, come back in call order, and a
// failing run rejects only itself. Uses a fake ORT module whose run() records when it is inside.
import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../../src/runtime/run-queue.ts';
import { Runtime } from '../../../src/runtime/runtime.ts';
import { BackendLostError } from '../../../src/runtime/errors.ts';
import type { OrtBinding, OrtModule } from '../../../src/runtime/types.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RunQueue', () => {
  it('runs tasks one at a time in enqueue order', async () => {
    const queue = new RunQueue();
    const events: string[] = [];
    const task = (id: number, ms: number) => queue.enqueue(async () => {
      events.push(`start ${id}`);
      await tick(ms);
      events.push(`end ${id}`);
      return id;
    });
    const results = await Promise.all([task(0, 15), task(1, 1), task(2, 5)]);
    expect(results).toEqual([0, 1, 2]);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(queue.pending).toBe(0);
  });

  it('runs background tasks only when nothing else is queued: tasks enqueued meanwhile overtake them', async () => {
    const queue = new RunQueue();
    const events: string[] = [];
    const task = (id: string, ms: number) => async () => {
      events.push(`start ${id}`);
      await tick(ms);
      events.push(`end ${id}`);
      return id;
    };
    const user1 = queue.enqueue(task('user 1', 10));
    const warm1 = queue.whenIdle(task('warm 1', 5));
    const warm2 = queue.whenIdle(task('warm 2', 5));
    const user2 = queue.enqueue(task('user 2', 5));
    // A failing background task rejects only itself.
    const failing = queue.whenIdle(() => { throw new Error('warm failure'); });
    await expect(failing).rejects.toThrow('warm failure');
    expect(await Promise.all([user1, warm1, warm2, user2])).toEqual(['user 1', 'warm 1', 'warm 2', 'user 2']);
    expect(events).toEqual(['start user 1', 'end user 1', 'start user 2', 'end user 2', 'start warm 1', 'end warm 1', 'start warm 2', 'end warm 2']);
    // A background task that started is not overtaken; one still waiting is.
    events.length = 0;
    const warm3 = queue.whenIdle(task('warm 3', 10));
    const warm4 = queue.whenIdle(task('warm 4', 5));
    await tick(1);
    const user3 = queue.enqueue(task('user 3', 1));
    await Promise.all([warm3, warm4, user3]);
    expect(events).toEqual(['start warm 3', 'end warm 3', 'start user 3', 'end user 3', 'start warm 4', 'end warm 4']);
    expect(queue.pending).toBe(0);
  });

  it('keeps going after a task throws or rejects', async () => {
    const queue = new RunQueue();
    const first = queue.enqueue(() => { throw new Error('sync failure'); });
    const second = queue.enqueue(async () => { await tick(1); throw new Error('async failure'); });
    const third = queue.enqueue(() => 'still running');
    await expect(first).rejects.toThrow('sync failure');
    await expect(second).rejects.toThrow('async failure');
    await expect(third).resolves.toBe('still running');
  });
});

/** A fake onnxruntime whose sessions echo input "x" + 1 and log when run() is entered and left. */
function fakeBinding(events: string[]): OrtBinding {
  class FakeTensor {
    readonly location = 'cpu';
    constructor(readonly type: string, readonly data: Float32Array, readonly dims: readonly number[]) {}
    dispose(): void {}
  }
  const session = {
    inputNames: ['x'],
    outputNames: ['y'],
    inputMetadata: [{ name: 'x', isTensor: true, type: 'float32', shape: [1] }],
    outputMetadata: [{ name: 'y', isTensor: true, type: 'float32', shape: [1] }],
    async run(feeds: Record<string, FakeTensor>) {
      const x = feeds.x.data[0];
      events.push(`enter ${x}`);
      await tick(x === 0 ? 20 : 2);
      events.push(`leave ${x}`);
      if (x < 0) throw new Error(`negative input ${x}`);
      return { y: new FakeTensor('float32', Float32Array.of(x + 1), [1]) };
    },
    async release() {},
  };
  const ort = {
    InferenceSession: { create: async () => session },
    Tensor: FakeTensor,
    env: {},
  } as unknown as OrtModule;
  return {
    backend: 'wasm', ort, threads: 1, executionProviders: ['wasm'], keepsOutputsOnDevice: false,
    sessionDefaults: {}, lostReason: () => null,
  };
}

describe('RuntimeSession.run through the queue', () => {
  it('serialises concurrent runs, returns each its own result, and survives a failing run', async () => {
    const events: string[] = [];
    const runtime = new Runtime(fakeBinding(events));
    const session = await runtime.createSession(new Uint8Array(1), { label: 'fake.onnx' });
    const feed = (x: number) => ({ x: { type: 'float32' as const, dims: [1], data: Float32Array.of(x) } });
    const runs = [0, 1, -2, 3].map((x) => session.run(feed(x)));
    const settled = await Promise.allSettled(runs);
    expect(events).toEqual(['enter 0', 'leave 0', 'enter 1', 'leave 1', 'enter -2', 'leave -2', 'enter 3', 'leave 3']);
    const values = settled.map((s) => (s.status === 'fulfilled' ? s.value.y.data[0] : 'failed'));
    expect(values).toEqual([1, 2, 'failed', 4]);
    const failure = settled[2] as PromiseRejectedResult;
    expect(String(failure.reason.message)).toMatch(/running fake\.onnx on wasm failed: negative input -2/);
    await expect(session.run(feed(5))).resolves.toMatchObject({ y: { data: Float32Array.of(6) } });
  });

  it('shares one queue between runtimes over the same ORT module', async () => {
    const events: string[] = [];
    const binding = fakeBinding(events);
    const a = await new Runtime(binding).createSession(new Uint8Array(1));
    const b = await new Runtime(binding).createSession(new Uint8Array(1));
    const feed = (x: number) => ({ x: { type: 'float32' as const, dims: [1], data: Float32Array.of(x) } });
    await Promise.all([a.run(feed(0)), b.run(feed(1))]);
    expect(events).toEqual(['enter 0', 'leave 0', 'enter 1', 'leave 1']);
  });
});

describe('a lost backend', () => {
  it('rejects runs with a BackendLostError that says what to do', async () => {
    const events: string[] = [];
    let lostReason: string | null = null;
    const binding = { ...fakeBinding(events), backend: 'webgpu' as const, lostReason: () => lostReason };
    const session = await new Runtime(binding).createSession(new Uint8Array(1));
    const feed = { x: { type: 'float32' as const, dims: [1], data: Float32Array.of(1) } };
    await expect(session.run(feed)).resolves.toBeDefined();
    lostReason = 'the WebGPU device was lost (destroyed)';
    const run = session.run(feed);
    await expect(run).rejects.toBeInstanceOf(BackendLostError);
    await expect(run).rejects.toThrow(/webgpu backend is no longer usable: the WebGPU device was lost \(destroyed\)\. .*reload the page.*checkpoint.*'wasm'/);
    expect(events).toEqual(['enter 1', 'leave 1']);
  });
});
