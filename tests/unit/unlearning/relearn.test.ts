// The relearning attack on micro-models trained in-process (relearn.ts, relearn-attack.ts): the Goal
// baseline comes from the Goal model (its weights and its own vision tower), not from Finetune; the
// attack reports Efficacy before and after on the held-out targets as the report scores them, one
// curve point per step, and leaves the weights it attacks untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as E from '../../../src/engine/index.ts';
import { INFERENCE_FILES, buildVisionEncoderGraph } from '../../../src/model/inference.ts';
import type { Params } from '../../../src/model/params.ts';
import { openRuntime, type Runtime } from '../../../src/runtime/index.ts';
import { Experiment } from '../../../src/unlearning/experiment.ts';
import { efficacyOf } from '../../../src/unlearning/relearn.ts';
import { RelearnAttack } from '../../../src/unlearning/relearn-attack.ts';
import { makeSplits, type Splits } from '../../../src/world/index.ts';
import { sameParams, trainMicroModel, type MicroModel } from './fixture.ts';

let runtime: Runtime;
let finetune: MicroModel;
let goal: MicroModel;
let splits: Splits;
let experiment: Experiment;
const RANK = 4;

const withFiles = (m: MicroModel) => ({ ...m, files: { [INFERENCE_FILES.vision]: E.toOnnx(buildVisionEncoderGraph(m.cfg, m.params), { graphName: 'vision_encoder' }).model } });
const copy = (p: Params): Params => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.slice()]));

beforeAll(async () => {
  runtime = await openRuntime({ backend: 'cpu', threads: 1 });
  // 20 persons: 10% is two targets, one relearnt and one held out. The "Goal" here is trained one
  // epoch only, so it cannot name anyone: its Efficacy differs from Finetune's, which the test needs.
  const world = { persons: 20, events: 5 };
  finetune = await trainMicroModel(runtime, 16, world);
  goal = await trainMicroModel(runtime, 1, world);
  splits = makeSplits(finetune.world, { target: 'person', personRatio: 0.1, forgetSeed: 0 });
  experiment = await Experiment.open(runtime, { world: finetune.world, splits, finetune: withFiles(finetune), goal: withFiles(goal), caps: { scored: 4 } });
}, 300_000);

afterAll(async () => {
  await experiment?.dispose();
  await runtime?.dispose();
});

describe('relearning attack', () => {
  it('computes the Goal baseline from the Goal model, not from Finetune', async () => {
    const attack = new RelearnAttack(experiment, { steps: 2, on: 'generality' }, 0);
    const report = await attack.report(finetune.params, RANK);
    const goalModel = await experiment.goalModel();
    if ('unavailable' in goalModel) throw new Error(goalModel.unavailable);
    const ofGoal = await efficacyOf(runtime, finetune.world, splits, goalModel, attack.split.eval);
    const ofFinetune = await efficacyOf(runtime, finetune.world, splits, { ...finetune, features: experiment.features }, attack.split.eval);
    // The two models must differ here, or the comparison below could not tell them apart.
    expect(ofGoal.values.person).not.toBe(ofFinetune.values.person);
    expect('unavailable' in report.goal).toBe(false);
    if ('unavailable' in report.goal) return;
    expect(report.goal.efficacyBefore).toEqual(ofGoal.values);
    expect(report.efficacyBefore).toEqual(ofFinetune.values);
    expect(report.goal.n).toEqual({ person: attack.split.eval.length });
    // Once per rank: the same baseline serves every model attacked.
    expect(attack.goalBaseline(RANK)).toBe(attack.goalBaseline(RANK));
  }, 300_000);

  it('reports before and after on the held-out half, a curve point per step, and leaves the weights given untouched', async () => {
    const attack = new RelearnAttack(experiment, { steps: 3, on: 'text' }, 1);
    const before = copy(finetune.params);
    const steps: number[] = [];
    const outcome = await attack.attack(finetune.params, RANK, { onStep: (k) => steps.push(k) });
    expect(sameParams(finetune.params, before)).toBe(true);
    expect(sameParams(outcome.params, before)).toBe(false);
    expect(steps).toEqual([0, 1, 2]);
    expect(outcome.forgetNll).toHaveLength(3);
    expect(outcome.forgetNll.every(Number.isFinite)).toBe(true);
    for (const side of [outcome.efficacyBefore, outcome.efficacyAfter]) {
      expect(side.person).toBeGreaterThanOrEqual(0);
      expect(side.person).toBeLessThanOrEqual(100);
    }
    expect(outcome.n.person).toBe(attack.split.eval.length);
  }, 300_000);
});
