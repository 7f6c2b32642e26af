// `pebench tune` keeps tuning apart from testing: the tuning forget seed is never a test seed and a
// test seed is refused before any work; the selection rule picks the highest Retain among points that
// reach Efficacy 90 (ties: fewer steps, then the smaller learning rate) and falls back to the highest
// Efficacy; the main weight is β where a method has one, else λ.
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { choose, mainWeight, type SweepPoint } from '../../../src/cli/tune-command.ts';
import { getCard } from '../../../src/unlearning/cards.ts';
import { TEST_FORGET_SEEDS, TUNING_FORGET_SEED, tuningSeedProblem } from '../../../src/unlearning/protocol.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

const point = (lr: number, step: number, efficacy: number | null, retain: number | null): SweepPoint => ({ lr, weight: 1, step, efficacy, retain, scope: null });

async function refused(args: string[]): Promise<{ code: number; message: string }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    return { code: await main(['tune', ...args]), message: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('tuning apart from testing', () => {
  it('the tuning seed is not a test seed, and every test seed is refused for tuning', () => {
    expect(TEST_FORGET_SEEDS).not.toContain(TUNING_FORGET_SEED);
    expect(TEST_FORGET_SEEDS.length).toBeGreaterThanOrEqual(3);
    expect(tuningSeedProblem(TUNING_FORGET_SEED)).toBeNull();
    for (const seed of TEST_FORGET_SEEDS) expect(tuningSeedProblem(seed)).toMatch(`forget seed ${seed} is a test seed`);
  });

  it('`pebench tune` refuses a test seed, an unknown method and a weight GA does not have, before any work', async () => {
    const test = await refused(['--method', 'npo', '--forget-seed', '1']);
    expect(test.code).toBe(2);
    expect(test.message).toMatch('--forget-seed: forget seed 1 is a test seed (0, 1, 2)');
    expect((await refused(['--method', 'wizard'])).message).toMatch('unknown method "wizard". Valid methods:');
    expect((await refused(['--method', 'ga', '--weights', '1'])).message).toMatch('ga has no main weight');
    expect((await refused([])).message).toMatch('--method is required');
  });
});

describe('the selection rule', () => {
  it('takes the highest Retain among points that reach Efficacy 90, never step 0', () => {
    const chosen = choose([point(1, 0, 95, 100), point(1, 10, 80, 99), point(1, 20, 92, 70), point(2, 10, 90, 75), point(2, 20, 100, 60)]);
    expect(chosen).toEqual({ point: point(2, 10, 90, 75), reached: true });
  });

  it('breaks ties by fewer steps, then the smaller learning rate', () => {
    expect(choose([point(2, 30, 95, 80), point(2, 20, 95, 80), point(1, 20, 99, 80)])!.point).toEqual(point(1, 20, 99, 80));
  });

  it('falls back to the highest Efficacy (then Retain) when nothing reaches 90, and to null without a usable point', () => {
    expect(choose([point(1, 10, 50, 99), point(1, 20, 70, 10), point(2, 20, 70, 40)])).toEqual({ point: point(2, 20, 70, 40), reached: false });
    expect(choose([point(1, 0, 95, 99), point(1, 10, null, 90)])).toBeNull();
  });

  it('sweeps β where a method has one, else λ, and nothing for GA', () => {
    expect(mainWeight(getCard('npo'))).toBe('beta');
    expect(mainWeight(getCard('dpo'))).toBe('beta');
    expect(mainWeight(getCard('gd'))).toBe('lambda');
    expect(mainWeight(getCard('ga'))).toBeNull();
  });
});
