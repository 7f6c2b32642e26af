// The methods' tuned defaults are the ones the committed sweeps chose (docs/tuning/*.json, written by
// scripts/tune-all.sh on the tuning forget seed): a default changed by hand, or a sweep re-run
// without updating the cards, fails here. A method marked untuned (a new one, until its sweeps are
// run) has neither sweeps nor tuned values.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METHOD_CARDS, getCard, type TuningKey } from '../../../src/unlearning/cards.ts';
import { TUNING_FORGET_SEED } from '../../../src/unlearning/protocol.ts';

const DIR = join(import.meta.dirname, '../../../docs/tuning');
interface Sweep { method: string; kind: TuningKey; forgetSeed: number; chosen: Record<string, number | boolean | object> | null }
const sweeps = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Sweep);

describe('tuned defaults', () => {
  it('there is a committed sweep for every tuned method on persons and events, all on the tuning seed', () => {
    for (const card of METHOD_CARDS.filter((c) => !c.untuned)) for (const kind of ['person', 'event'] as const) expect(sweeps.some((s) => s.method === card.id && s.kind === kind), `${card.id} ${kind}`).toBe(true);
    for (const s of sweeps) expect(s.forgetSeed, `${s.method} ${s.kind}`).toBe(TUNING_FORGET_SEED);
  });

  it('methods still waiting for `pebench tune` say so, carry no tuned values, and have no committed sweep', () => {
    const untuned = METHOD_CARDS.filter((c) => c.untuned);
    for (const card of untuned) expect(card.tuned, card.id).toBeUndefined();
    for (const s of sweeps) expect(getCard(s.method).untuned, `${s.method}: a sweep is committed, so its card must take what it chose`).toBeFalsy();
  });

  it.each(sweeps.map((s) => [`${s.method} ${s.kind}`, s] as const))('%s: the card holds what the sweep chose', (_, sweep) => {
    const tuned = getCard(sweep.method).tuned?.[sweep.kind];
    expect(sweep.chosen).not.toBeNull();
    const chosen = Object.fromEntries(Object.entries(sweep.chosen!).filter(([key]) => ['lr', 'steps', 'beta', 'lambda'].includes(key)));
    expect(tuned).toEqual(chosen);
  });
});
