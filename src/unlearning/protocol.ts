// The benchmark's protocol, kept apart from any one command: which forget seeds tune the methods'
// settings and which test them (never the same, so no reported number is measured on the draw it
// was tuned on), and how a run's path is sampled. `pebench tune` uses the tuning seed only and
// refuses a test seed; `pebench bench` runs the test seeds by default.
// Not here: the selection rule (tune-command.ts), the intervals (eval/intervals.ts).

/** The forget seed every method's defaults are tuned on. */
export const TUNING_FORGET_SEED = 100;
/** The forget seeds the bench reports, each a different draw of forget targets. */
export const TEST_FORGET_SEEDS: readonly number[] = [0, 1, 2];

/**
 * A bench run's path: live metrics every `every` steps up to `factor` x its steps, on `perCell` items
 * per cell. 1.5, not 2: going on past a run's own steps is what a trajectory costs (its points are
 * cheap), and at 2 x it added more than half again to the longest runs; every run of the 3-seed bench
 * at 2 x that reached Efficacy 90 (persons, joint) or the Goal model's (events) did so by 1.5 x but one.
 */
export const TRAJECTORY = { every: 10, factor: 1.5, perCell: 16 } as const;
/** `pebench tune` sweeps further, to twice the default steps: its runs are what the defaults are chosen from. */
export const SWEEP_FACTOR = 2;

/** The last step of a run's path: at least `factor` x its steps, on a multiple of `every` (so it is measured). */
export function trajectoryUntil(steps: number, every: number, factor: number = TRAJECTORY.factor): number {
  return Math.max(steps, Math.ceil((factor * steps) / every) * every);
}

/** Why `seed` may not tune, or null when it may. */
export function tuningSeedProblem(seed: number): string | null {
  return TEST_FORGET_SEEDS.includes(seed)
    ? `forget seed ${seed} is a test seed (${TEST_FORGET_SEEDS.join(', ')}): tuning on it would report numbers measured on the draw they were tuned on; tune on ${TUNING_FORGET_SEED} or another seed`
    : null;
}
