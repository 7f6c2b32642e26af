// LabClient talking to serveLabRequest through an in-memory port (no Worker, no model): each request
// settles once with its own result or error (kind kept), its progress and step events reach its own
// callbacks only, result buffers are transferred, and terminate() rejects what is still waiting.
import { describe, expect, it } from 'vitest';
import { LabClient, LabClientError, type LabPort } from '../../../src/ui/lab-client.ts';
import type { LabEmit } from '../../../src/worker/lab-engine.ts';
import { LabError, type LabRequest, type LabResponse } from '../../../src/worker/lab-protocol.ts';
import { serveLabRequest, type LabHandler } from '../../../src/worker/lab-serve.ts';

/** A port whose "worker" serves requests with `handler`; records what was transferred each way. */
function portTo(handler: LabHandler) {
  const sent: { request: LabRequest; transfer: Transferable[] }[] = [];
  const received: { message: LabResponse; transfer: ArrayBuffer[] }[] = [];
  let terminated = false;
  const port: LabPort = {
    onmessage: null,
    postMessage(request, transfer = []) {
      sent.push({ request, transfer });
      void serveLabRequest(handler, structuredClone(request), (message, moved) => {
        received.push({ message, transfer: moved });
        if (!terminated) port.onmessage?.({ data: message } as MessageEvent<LabResponse>);
      });
    },
    terminate: () => void (terminated = true),
  };
  return { port, sent, received };
}

const STEP = { step: 1, totalSteps: 2, loss: -1, gradNorm: 0.5, finite: true, forgetNll: 1, retainNll: 2, stepMs: 3 };

describe('LabClient over serveLabRequest', () => {
  it('routes results, progress and step events to the request that caused them', async () => {
    const handler: LabHandler = {
      async handle(type, _payload, emit: LabEmit) {
        if (type === 'run') {
          emit({ type: 'step', step: STEP });
          emit({ type: 'step', step: { ...STEP, step: 2 } });
          return { state: 'done', step: 2, totalSteps: 2, last: { ...STEP, step: 2 } } as never;
        }
        emit({ type: 'progress', progress: { phase: 'evaluate finetune', done: 0, total: 2 } });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { step: 0 } as never;
      },
    };
    const { port, sent } = portTo(handler);
    const client = new LabClient(port);
    const steps: number[] = [];
    const phases: string[] = [];
    const [evaluated, ran] = await Promise.all([
      client.request('evaluate', {}, { onProgress: (p) => phases.push(p.phase), onStep: () => steps.push(-1) }),
      client.request('run', {}, { onStep: (s) => steps.push(s.step), onProgress: () => phases.push('wrong request') }),
    ]);
    expect(evaluated).toEqual({ step: 0 });
    expect(ran).toMatchObject({ state: 'done', step: 2 });
    expect(steps).toEqual([1, 2]);
    expect(phases).toEqual(['evaluate finetune']);
    expect(sent.map((s) => [s.request.id, s.request.type])).toEqual([[1, 'evaluate'], [2, 'run']]);
    expect(client.inFlight).toBe(0);
  });

  it('rejects with the error kind; transfers result buffers and payload buffers when asked', async () => {
    const tensor = new Float32Array([1, 2, 3]);
    const handler: LabHandler = {
      async handle(type) {
        if (type === 'configure') throw new LabError('bad-input', 'unknown method "rmu". Valid methods: po, ga');
        if (type === 'ask') throw new Error('boom');
        return { schema: 'pebench-lab-state/1', tensors: { w: { dims: [3], data: tensor } } } as never;
      },
    };
    const { port, sent, received } = portTo(handler);
    const client = new LabClient(port);
    const bad = await client.request('configure', {} as never).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(LabClientError);
    expect(bad).toMatchObject({ kind: 'bad-input', request: 'configure', message: 'unknown method "rmu". Valid methods: po, ga' });
    expect(await client.request('ask', { question: 'x', image: null }).catch((e: unknown) => e)).toMatchObject({ kind: 'internal', message: 'boom' });

    const state = await client.request('state', {});
    expect(state.tensors.w.data).toEqual(new Float32Array([1, 2, 3]));
    expect(received.at(-1)?.transfer).toEqual([tensor.buffer]);
    expect(received.filter((r) => r.message.type === 'error').every((r) => r.transfer.length === 0)).toBe(true);

    const rgba = new Uint8Array(16);
    await client.request('ask', { question: 'x', image: { rgba, width: 2, height: 2 } }, { transfer: [rgba.buffer] }).catch(() => {});
    expect(sent.at(-1)?.transfer).toEqual([rgba.buffer]);
  });

  it('terminate() rejects every waiting request as cancelled and refuses new ones', async () => {
    const { port } = portTo({ handle: () => new Promise(() => {}) });
    const client = new LabClient(port);
    const waiting = client.request('run', {}).catch((e: unknown) => e);
    client.terminate();
    expect(await waiting).toMatchObject({ kind: 'cancelled', request: 'run' });
    expect(await client.request('step', {}).catch((e: unknown) => e)).toMatchObject({ kind: 'cancelled' });
    expect(client.inFlight).toBe(0);
  });
});
