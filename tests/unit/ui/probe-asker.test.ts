// The probe's sender: one question in flight at a time, the user's first; re-asks only when the run
// moved past the shown answer's step (not at boot), at once between steps, at most once a second
// during a run and only for the newest step; a failed re-ask is not retried at the same step.
import { describe, expect, it } from 'vitest';
import { ProbeAsker, RUN_REASK_MS, type AskerClock, type ProbeTarget, type RunView } from '../../../src/ui/lab/probe-asker.ts';

/** A fake clock and a send whose answers the test releases one by one. */
function harness() {
  let now = 0;
  const timers: { at: number; fn: () => void; live: boolean }[] = [];
  const clock: AskerClock = {
    now: () => now,
    later: (fn, ms) => {
      const timer = { at: now + ms, fn, live: true };
      timers.push(timer);
      return () => void (timer.live = false);
    },
  };
  const sent: { question: string; auto: boolean; answer: (step: number | null) => Promise<void> }[] = [];
  const asker = new ProbeAsker((target, auto) => new Promise((resolve) => {
    sent.push({ question: target.question, auto, answer: async (step) => { resolve(step); await new Promise((r) => setTimeout(r, 0)); } });
  }), () => {}, clock);
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => t.live && t.at <= now)) {
      t.live = false;
      t.fn();
    }
  };
  return { asker, sent, advance };
}

const who: ProbeTarget = { question: 'Who is this person?', image: { personId: 3, eventId: 1, variant: 0 } };
const view = (step: number | null, answeredStep: number | null, running = false): RunView => ({ canAsk: true, step, running, answeredStep });

describe('ProbeAsker', () => {
  it('does not ask by itself at boot, nor while the model cannot answer', () => {
    const { asker, sent } = harness();
    asker.update({ ...view(3, null), canAsk: false }, who);
    asker.update(view(0, null), who);
    expect(sent).toHaveLength(0);
  });

  it('re-asks once after a step, then stops when the answer is of that step', async () => {
    const { asker, sent } = harness();
    asker.update(view(0, 0), who);
    expect(sent).toHaveLength(0);
    asker.update(view(1, 0), who);
    expect(sent.map((s) => s.auto)).toEqual([true]);
    asker.update(view(1, 0), who); // the same view again: still one in flight
    expect(sent).toHaveLength(1);
    await sent[0].answer(1);
    asker.update(view(1, 1), who);
    expect(sent).toHaveLength(1);
  });

  it('sends the user\'s question after the one in flight, before any re-ask, and only the newest of them', async () => {
    const { asker, sent } = harness();
    asker.update(view(1, 0), who);
    asker.ask({ question: 'Which event is this?', image: null });
    asker.ask({ question: 'Name the event.', image: null });
    expect(asker.userPending).toBe(true);
    expect(sent).toHaveLength(1);
    asker.update(view(2, 0), who);
    await sent[0].answer(1);
    expect(sent.map((s) => [s.question, s.auto])).toEqual([['Who is this person?', true], ['Name the event.', false]]);
    await sent[1].answer(2);
    expect(asker.userPending).toBe(false);
    expect(sent).toHaveLength(2); // its answer is of step 2: nothing to re-ask
  });

  it('during a run re-asks at most once a second, the newest step only', async () => {
    const { asker, sent, advance } = harness();
    asker.update(view(1, 0, true), who);
    expect(sent).toHaveLength(1);
    for (let step = 2; step <= 6; step++) asker.update(view(step, 0, true), who);
    await sent[0].answer(2);
    asker.update(view(6, 2, true), who);
    expect(sent).toHaveLength(1);
    advance(RUN_REASK_MS - 1);
    asker.update(view(7, 2, true), who);
    expect(sent).toHaveLength(1);
    advance(1);
    expect(sent).toHaveLength(2);
    await sent[1].answer(7);
    asker.update(view(7, 7, true), who);
    advance(5 * RUN_REASK_MS);
    expect(sent).toHaveLength(2);
  });

  it('does not retry a failed re-ask until the step changes', async () => {
    const { asker, sent } = harness();
    asker.update(view(4, 3), who);
    await sent[0].answer(null);
    asker.update(view(4, 3), who);
    expect(sent).toHaveLength(1);
    asker.update(view(5, 3), who);
    expect(sent).toHaveLength(2);
  });

  it('re-asks after a reset to step 0, and follows nothing when there is nothing to follow', async () => {
    const { asker, sent } = harness();
    asker.update(view(0, 12), who);
    expect(sent).toHaveLength(1);
    await sent[0].answer(0);
    asker.update(view(3, 0), null);
    expect(sent).toHaveLength(1);
  });
});
