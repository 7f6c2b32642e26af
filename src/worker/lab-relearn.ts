// The lab's relearning attack ("try to bring it back"): K steps on a copy of the run's weights, then
// Efficacy of the held-out targets before and after, and the Goal model's baseline when one is loaded
// (kept per request and settings). The run is never touched: undoing is dropping the result (the page).
// Not here: the attack's maths and items (src/unlearning/relearn*.ts), the request queue (lab-engine.ts).
import type { Experiment } from '../unlearning/experiment.ts';
import type { UnlearnRun } from '../unlearning/driver.ts';
import { RelearnAttack } from '../unlearning/relearn-attack.ts';
import { DEFAULT_RELEARN, relearnSettingsProblems, relearnSplitProblem, type RelearnSettings } from '../unlearning/relearn-set.ts';
import type { RunConfig } from '../unlearning/run-config.ts';
import type { LabEmit } from './lab-engine.ts';
import { LabError, type LabPayload, type LabResult } from './lab-protocol.ts';

/** Attacks by experiment and settings, so the Goal baseline is computed once per request. */
const attacks = new WeakMap<Experiment, Map<string, RelearnAttack>>();

function attackFor(experiment: Experiment, settings: RelearnSettings, seed: number): RelearnAttack {
  const key = `${settings.on}/${settings.steps}/${seed}`;
  let byKey = attacks.get(experiment);
  if (!byKey) attacks.set(experiment, (byKey = new Map()));
  let attack = byKey.get(key);
  if (!attack) byKey.set(key, (attack = new RelearnAttack(experiment, settings, seed)));
  return attack;
}

/** The attack on the configured run's current weights, with progress events (phase 'relearn', then 'relearn goal'). */
export async function relearnCurrent(
  configured: { config: RunConfig; experiment: { experiment: Experiment }; run: UnlearnRun }, payload: LabPayload<'relearn'>, emit: LabEmit,
): Promise<LabResult<'relearn'>> {
  const settings: RelearnSettings = { steps: payload?.steps ?? DEFAULT_RELEARN.steps, on: payload?.on ?? DEFAULT_RELEARN.on };
  const problems = relearnSettingsProblems(settings.steps, settings.on);
  const experiment = configured.experiment.experiment;
  const splitProblem = problems.length ? null : relearnSplitProblem(experiment.splits, settings.on);
  if (problems.length || splitProblem) throw new LabError('bad-input', [...problems, splitProblem].filter(Boolean).join('; '));
  const { run, config } = configured;
  const attack = attackFor(experiment, settings, config.seed);
  const rank = config.settings.loraRank;
  const t0 = performance.now();
  const total = settings.steps + 1;
  emit({ type: 'progress', progress: { phase: 'relearn', done: 0, total } });
  const curve: number[] = [];
  const outcome = await attack.attack(await run.params(), rank, {
    onStep: (k, forgetNll) => {
      curve.push(forgetNll);
      emit({ type: 'progress', progress: { phase: 'relearn', done: k + 1, total, curve: [...curve] } });
    },
  });
  const attackSeconds = (performance.now() - t0) / 1000;
  const withGoal = payload?.goal ?? true;
  if (withGoal) emit({ type: 'progress', progress: { phase: 'relearn goal', done: total, total } });
  const goal = withGoal ? await attack.goalBaseline(rank) : { unavailable: 'not asked for' };
  return { step: run.step, attackSeconds, relearn: attack.reportOf(outcome, goal, (performance.now() - t0) / 1000) };
}
