// The Goal points the lab bundles (src/ui/lab/goal-points.json) are what the code measures today:
// the cheapest recorded point (fewest items) is measured again from the shipped models and must
// equal the file; folders without a manifest are skipped; the page shows a point only for its own
// request, Finetune model and item sample, and says why not otherwise.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goalFolders, measureGoalPoint } from '../../../src/cli/goal-points.ts';
import { PROJECT_ROOT, openModelDir } from '../../../src/cli/model-dir.ts';
import { openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { goalPointFor, type GoalPointsFile } from '../../../src/unlearning/goal-point.ts';
import { fromHash } from '../../../src/ui/lab/lab-hash.ts';
import recorded from '../../../src/ui/lab/goal-points.json';

const file = recorded as GoalPointsFile;
const size = (p: GoalPointsFile['points'][number]) => p.n.efficacy + p.n.retain + p.n.scope;
const cheapest = [...file.points].sort((a, b) => size(a) - size(b))[0];

describe('recorded Goal points', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await openRuntime({ backend: 'wasm', threads: 1 });
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it(`equal a fresh measurement of ${cheapest.goalDir}`, async () => {
    const finetune = await openModelDir();
    const measured = await measureGoalPoint(runtime, finetune, resolve(PROJECT_ROOT, cheapest.goalDir), cheapest.perCell);
    expect(measured).toEqual(cheapest);
    // The Goal model never saw the forget set: it must not know it as Finetune does.
    expect(measured.goal.forget).toBeLessThan(measured.finetune.forget!);
  }, 180_000);

  it('cover every Goal model in models/, and a folder without a manifest is skipped', async () => {
    const { goals } = await goalFolders(resolve(PROJECT_ROOT, 'models'));
    expect(file.points.map((p) => resolve(PROJECT_ROOT, p.goalDir)).sort()).toEqual(goals.sort());
    const dir = mkdtempSync(join(tmpdir(), 'goal-points-'));
    try {
      mkdirSync(join(dir, 'pebench-tiny-goal-training'));
      const listed = await goalFolders(dir);
      expect(listed.goals).toEqual([]);
      expect(listed.skipped).toEqual([{ dir: join(dir, 'pebench-tiny-goal-training'), why: expect.stringContaining('no manifest.json') }]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('goalPointFor', () => {
  const persons = file.points.find((p) => p.goalDir.endsWith('pebench-tiny-goal-persons'))!;
  const lab = { request: fromHash('#page=lab').experiment.request, finetuneHash: persons.finetuneHash, n: persons.n };

  it("finds the point of the lab's default request (persons 5 %, forget seed 0)", () => {
    expect(goalPointFor(file.points, lab)).toEqual({ point: persons });
  });

  it('says why there is none for another forget seed, another Finetune model or another sample', () => {
    const none = (x: ReturnType<typeof goalPointFor>) => ('none' in x ? x.none : 'a point');
    expect(none(goalPointFor(file.points, { ...lab, request: { ...lab.request, forgetSeed: 7 } }))).toMatch(/^No Goal model was trained for this request/);
    expect(none(goalPointFor(file.points, { ...lab, finetuneHash: 'other' }))).toMatch(/another Finetune model/);
    expect(none(goalPointFor(file.points, { ...lab, n: { ...lab.n, retain: lab.n.retain + 1 } }))).toMatch(/another item sample/);
  });
});
