// The lab's relearning attack (run from lab-engine.test.ts on its micro-world model, 20 x 20: events
// 10% are two targets, persons 5% one): the `relearn` request attacks a copy of the current weights
// with progress per step and leaves the run exactly as it was (its step and trained state); what it
// cannot do is refused as bad input.
import { expect, it } from 'vitest';
import type { LabEvent } from '../../../src/worker/lab-protocol.ts';
import { labErrorInfo } from '../../../src/worker/lab-setup.ts';
import { PERSON_REQUEST, type LabTestContext } from './lab-context.ts';

const EVENT_REQUEST = { target: 'event', eventRatio: 0.1, forgetSeed: 0 } as const;
const kindOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => labErrorInfo(e));

export function relearnCases(ctx: LabTestContext): void {
  it('attacks a copy of the weights: Efficacy before and after, progress per step, the run untouched', async () => {
    const { engine } = ctx;
    await engine.configure({ request: EVENT_REQUEST, method: 'ga', settings: { steps: 2, lr: 0.01 }, bgd: false, seed: 0 });
    await engine.run();
    const before = await engine.state();
    const events: LabEvent[] = [];
    const result = await engine.relearn({ steps: 3 }, (e) => events.push(e));
    expect(result.step).toBe(2);
    expect(result.relearn).toMatchObject({ steps: 3, on: 'generality', heldOutTargets: [{ concept: 'event' }], relearnTargets: [{ concept: 'event' }] });
    expect(result.relearn.n.event).toBeGreaterThan(0);
    expect(result.relearn.efficacyAfter.event).toBeGreaterThanOrEqual(0);
    expect(result.relearn.forgetNll).toHaveLength(3);
    expect(result.relearn.goal).toEqual({ unavailable: expect.stringMatching(/no Goal model/) });
    expect(result.attackSeconds).toBeGreaterThan(0);
    const progress = events.flatMap((e) => (e.type === 'progress' && e.progress.phase === 'relearn' ? [e.progress.done] : []));
    expect(progress).toEqual([0, 1, 2, 3]);
    // The run is kept: same step, same trained tensors.
    const after = await engine.state();
    expect(after.step).toBe(before.step);
    expect(after.tensors).toEqual(before.tensors);
  }, 120_000);

  it('refuses what it cannot do, as bad input', async () => {
    const { engine } = ctx;
    expect(await kindOf(engine.relearn({ on: 'text' }))).toEqual({ kind: 'bad-input', message: expect.stringMatching(/events have no text-only facts/) });
    expect(await kindOf(engine.relearn({ steps: 0 }))).toEqual({ kind: 'bad-input', message: expect.stringMatching(/steps must be an integer from 1 to 200/) });
    await engine.configure({ request: PERSON_REQUEST, method: 'ga', settings: { steps: 1 }, bgd: false, seed: 0 });
    expect(await kindOf(engine.relearn({}))).toEqual({ kind: 'bad-input', message: expect.stringMatching(/at least 2 person targets/) });
  }, 60_000);
}
