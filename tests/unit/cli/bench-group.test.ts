// How `pebench bench --workers N` splits its groups (a request and forget seed each): every group
// runs exactly once, and the heavy joint groups do not pile up on one worker.
import { describe, expect, it } from 'vitest';
import { balanceGroups, benchPlan, type GroupSpec } from '../../../src/cli/bench-group.ts';
import { createWorld } from '../../../src/world/index.ts';

const world = createWorld();
const limits = { world, decoderLayers: 4 };
const request = (target: GroupSpec['target'], forgetSeed: number): GroupSpec['request'] =>
  target === 'person' ? { target, forgetSeed, personRatio: 0.05 } : target === 'event' ? { target, forgetSeed, eventRatio: 0.05 } : { target, forgetSeed, personRatio: 0.05, eventRatio: 0.05 };
const targets = ['person', 'event', 'both'] as const;
const groups: GroupSpec[] = targets.flatMap((target) => [0, 1, 2].map((forgetSeed) => ({ target, forgetSeed, request: request(target, forgetSeed) })));
const plan = benchPlan(targets, null);

describe('balanceGroups', () => {
  it('gives every group to exactly one worker, and never more workers than groups', () => {
    for (const workers of [1, 2, 3, 9, 12]) {
      const shards = balanceGroups(groups, plan, workers, limits);
      expect(shards).toHaveLength(Math.min(workers, groups.length));
      const seen = shards.flat().map((g) => `${g.target}/${g.forgetSeed}`).sort();
      expect(seen).toEqual(groups.map((g) => `${g.target}/${g.forgetSeed}`).sort());
    }
  });

  it('spreads the seeds of one kind of request over both workers', () => {
    const shards = balanceGroups(groups, plan, 2, limits);
    for (const target of targets) for (const shard of shards) expect(shard.filter((g) => g.target === target).length, target).toBeLessThan(3);
  });
});
