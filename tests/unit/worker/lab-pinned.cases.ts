// A pinned run answers later probes (run from lab-engine.test.ts on its micro-world model): the
// `weights` request keeps the trained weights alone, and `ask` with them answers exactly as that run
// did at that step, after the run was reset or replaced, for LoRA and last-blocks runs alike; the
// weights of another model or corrupt ones are refused as bad input, and the current run's own
// answers are untouched by a pinned run's.
import { expect, it } from 'vitest';
import type { LabPayload, LabState } from '../../../src/worker/lab-protocol.ts';
import { labErrorInfo } from '../../../src/worker/lab-setup.ts';
import { PERSON_REQUEST, type LabTestContext } from './lab-context.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => labErrorInfo(e));

export function pinnedCases(ctx: LabTestContext): void {
  const configure = (extra: Partial<LabPayload<'configure'>>) =>
    ctx.engine.configure({ request: PERSON_REQUEST, method: 'ga', settings: { steps: 3, lr: 0.01 }, bgd: false, seed: 0, ...extra });
  let question: LabPayload<'ask'>;

  it('answers with a LoRA run\'s weights after the run was reset, as that run did', async () => {
    const { engine } = ctx;
    const { targets } = await configure({});
    question = { question: 'Who is this person?', image: { personId: targets[0].id, eventId: 1, variant: 1 } };
    await engine.run();
    const atEnd = await engine.ask(question);
    const weights = await engine.weights();
    const state = await engine.state();
    expect(weights).toMatchObject({ step: 3, modelHash: ctx.loaded.modelHash, config: { method: 'ga' } });
    const names = Object.keys(weights.tensors);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /^p:.*\.lora_[ab]$/.test(n))).toBe(true);
    expect(names.length).toBeLessThan(Object.keys(state.tensors).length); // no optimizer state

    await engine.reset();
    const pinned = await engine.ask({ ...question, weights: { id: 'pin-lora', state: weights } });
    expect(pinned.step).toBe(3);
    expect(pinned.current).toEqual(atEnd.current);
    expect(pinned.base).toEqual(atEnd.base);
    // The current run is at step 0 again: its own answer is Finetune's.
    const own = await engine.ask(question);
    expect(own.step).toBe(0);
    expect(own.current).toEqual(own.base);
    expect(own.current).not.toEqual(atEnd.current);
  }, 60_000);

  it('answers with a last-blocks run\'s weights while another run is current, each with its own', async () => {
    const { engine } = ctx;
    await configure({ lastBlocks: 1, settings: { steps: 2, lr: 0.001 } });
    await engine.run();
    const atEnd = await engine.ask(question);
    const weights = await engine.weights();
    expect(Object.keys(weights.tensors).every((n) => n.startsWith('p:decoder.'))).toBe(true);

    await configure({ settings: { steps: 1, lr: 0.01 } });
    await engine.run();
    const current = await engine.ask(question);
    const pinned = await engine.ask({ ...question, weights: { id: 'pin-blocks', state: weights } });
    expect(pinned).toMatchObject({ step: 2, current: atEnd.current });
    // The pinned run's sessions do not stand in for the current run's.
    expect(await engine.ask(question)).toEqual(current);
    expect(current.current).not.toEqual(atEnd.current);
  }, 60_000);

  it('refuses weights of another model, corrupt weights and names that are not weights, as bad input', async () => {
    const { engine } = ctx;
    const weights = await engine.weights();
    const ask = (state: LabState) => failure(engine.ask({ ...question, weights: { id: 'bad', state } }));
    expect(await ask({ ...weights, modelHash: 'f'.repeat(64) })).toEqual({
      kind: 'bad-input', message: expect.stringMatching(/^this pinned run cannot answer: it was trained from Finetune model ffffffffffff, but the loaded model is /),
    });
    const [first] = Object.keys(weights.tensors);
    const nan = { ...weights.tensors, [first]: { dims: weights.tensors[first].dims, data: weights.tensors[first].data.map(() => NaN) } };
    expect(await ask({ ...weights, tensors: nan })).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/holds non-finite values/) });
    const renamed = { 'p:decoder.no_such.lora_a': weights.tensors[first] };
    expect(await ask({ ...weights, tensors: renamed })).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/decoder\.no_such\.lora_a is not a LoRA adapter of this model/) });
    expect(await ask({ ...weights, tensors: { optimizer_m: weights.tensors[first] } })).toMatchObject({ kind: 'bad-input', message: expect.stringMatching(/optimizer_m is not a weight/) });
  }, 30_000);
}
