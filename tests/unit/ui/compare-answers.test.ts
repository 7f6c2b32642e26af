// The pinned runs' answers to the probe's current question (compare-answers.svelte.ts) against a
// stand-in worker: each pin that kept its weights is asked once per question and picture, with its
// own weights; a newer question drops the older one's unasked pins; a refused pin says why and is not
// asked again, a passing failure is; pins without weights show the answer they kept only when it is
// to the same question; and the compare table's answer row puts each pin's answer in its column.
import { describe, expect, it } from 'vitest';
import { ASKING_NOTE, NO_WEIGHTS_NOTE, PinAnswers, type ProbeTarget } from '../../../src/ui/lab/compare-answers.svelte.ts';
import { compareRows, probeCells, type CompareColumn } from '../../../src/ui/lab/compare-rows.ts';
import { LabClientError } from '../../../src/ui/lab-client.ts';
import type { PinnedRun } from '../../../src/ui/lab/pin-store.ts';
import { defaultRunConfig } from '../../../src/unlearning/run-config.ts';
import type { LabResult, LabState, PinnedWeights } from '../../../src/worker/lab-protocol.ts';

const weightsAt = (step: number): LabState => ({ schema: 'pebench-lab-state/1', modelHash: 'h', config: defaultRunConfig(), step, tensors: {} });
const pin = (id: string, weights: LabState | null, probe: PinnedRun['probe'] = null): PinnedRun =>
  ({ id, hash: '', config: defaultRunConfig(), step: 4, metrics: [], losses: [], evaluation: null, probe, weights, pinnedAt: 0 });
const text = (t: string) => ({ text: t, tokens: [], stop: 'eos' as const });
const who: ProbeTarget = { question: 'Who is this person?', image: { personId: 3, eventId: 1, variant: 0 } };
const where: ProbeTarget = { question: 'Where is this?', image: { personId: 3, eventId: 1, variant: 0 } };

/** A worker that answers "<pin id> says <question>" and records each ask. */
function standIn(fail: (weights: PinnedWeights) => Error | null = () => null, hold: Promise<void> = Promise.resolve()) {
  const asked: string[] = [];
  const ask = async (target: ProbeTarget, weights: PinnedWeights): Promise<LabResult<'ask'>> => {
    asked.push(`${weights.id}@${weights.state.step}: ${target.question}`);
    await hold;
    const error = fail(weights);
    if (error) throw error;
    const verdict = { verdict: 'wrong' } as LabResult<'ask'>['verdict']['current'];
    return { base: text('base'), current: text(`${weights.id} says ${target.question}`), step: weights.state.step, unknownWords: [], verdict: { base: verdict, current: verdict } };
  };
  return { asked, answers: new PinAnswers(ask) };
}

describe('pinned runs answer the current question', () => {
  it('asks each pin with its own weights, once per question and picture', async () => {
    const { asked, answers } = standIn();
    const pins = [pin('a', weightsAt(4)), pin('b', weightsAt(9))];
    expect(answers.of(pins[0], who)).toEqual({ note: ASKING_NOTE });
    await answers.request(pins, who);
    await answers.request(pins, who);
    expect(asked).toEqual(['a@4: Who is this person?', 'b@9: Who is this person?']);
    expect(answers.of(pins[1], who)).toEqual({ answer: { question: who.question, image: 'person 3 × event 1 (render 0)', base: 'base', current: 'b says Who is this person?', verdict: 'wrong', step: 9 } });
    await answers.request(pins, { ...who, image: { personId: 3, eventId: 1, variant: 1 } });
    expect(asked).toHaveLength(4);
  });

  it('drops the unasked pins of a question once a newer one comes', async () => {
    let release!: () => void;
    const { asked, answers } = standIn(undefined, new Promise((resolve) => (release = resolve)));
    const pins = [pin('a', weightsAt(4)), pin('b', weightsAt(9))];
    const first = answers.request(pins, who);
    await expect.poll(() => asked.length).toBe(1); // pin a is being asked the first question
    const second = answers.request(pins, where);
    release();
    await Promise.all([first, second]);
    expect(asked).toEqual(['a@4: Who is this person?', 'a@4: Where is this?', 'b@9: Where is this?']);
    expect(answers.of(pins[1], who)).toEqual({ note: ASKING_NOTE });
  });

  it('keeps a refusal, asks again after a passing failure', async () => {
    let lost = true;
    const { asked, answers } = standIn((w) => (w.id === 'a' ? new LabClientError('bad-input', 'this pinned run cannot answer: other model', 'ask') : lost ? new Error('the model is not loaded yet') : null));
    const pins = [pin('a', weightsAt(4)), pin('b', weightsAt(9))];
    await answers.request(pins, who);
    expect(answers.of(pins[0], who)).toEqual({ note: 'could not answer: this pinned run cannot answer: other model' });
    expect(answers.of(pins[1], who)).toEqual({ note: 'could not answer: the model is not loaded yet' });
    lost = false;
    await answers.request(pins, who);
    expect(asked).toEqual(['a@4: Who is this person?', 'b@9: Who is this person?', 'b@9: Who is this person?']);
    expect(answers.of(pins[1], who)).toMatchObject({ answer: { current: 'b says Who is this person?' } });
  });

  it('shows what a pin without weights kept only for the same question and picture', async () => {
    const { asked, answers } = standIn();
    const kept = { question: who.question, image: 'person 3 × event 1 (render 0)', base: 'x', current: 'y', verdict: 'correct' as const, step: 4 };
    const old = pin('old', null, kept);
    await answers.request([old], who);
    expect(asked).toEqual([]);
    expect(answers.of(old, who)).toEqual({ answer: kept });
    expect(answers.of(old, where)).toEqual({ note: NO_WEIGHTS_NOTE });
  });

  it('fill the compare table\'s answer row, one column per run', () => {
    const column = (answer: string): CompareColumn => ({
      label: answer, config: defaultRunConfig(), step: 4, metrics: [], report: null,
      probe: { ...probeCells({ question: who.question, image: 'person 3 × event 1 (render 0)', base: '', current: answer, verdict: 'wrong', step: 4 }) },
    });
    const rows = compareRows([column('ana'), column('bo'), column('bo')]);
    const answer = rows.find((r) => r.key === 'probe.answer')!;
    expect(answer.cells).toEqual(['ana [wrong]', 'bo [wrong]', 'bo [wrong]']);
    expect(answer.differs).toEqual([true, false, false]);
    expect(rows.find((r) => r.key === 'probe.question')!.differs).toEqual([false, false, false]);
  });
});
