// The relearning attack on one request's Experiment: the split (the same for every model attacked with
// the same settings and seed), the attack on weights sharing Finetune's vision tower, and the same
// attack on the Goal model, once per LoRA rank: the baseline of what a model that never learnt the
// targets recalls after the attack. Not here: the fine-tuning (relearn.ts), items (relearn-set.ts).
import type { RelearnReport, Unavailable } from '../eval/robustness.ts';
import type { Params } from '../model/params.ts';
import type { Experiment } from './experiment.ts';
import { relearnAttack, type RelearnModel, type RelearnOutcome } from './relearn.ts';
import { relearnSplit, type RelearnSettings, type RelearnSplit } from './relearn-set.ts';

export class RelearnAttack {
  readonly split: RelearnSplit;
  private readonly goalRuns = new Map<number, Promise<RelearnOutcome | Unavailable>>();

  /** Throws RangeError when the request's targets cannot be split for `settings.on` (relearnSplitProblem). */
  constructor(readonly experiment: Experiment, readonly settings: RelearnSettings, readonly seed: number) {
    this.split = relearnSplit(experiment.splits, settings.on, seed);
  }

  /** The attack on `params` (Finetune's vision tower): the weights given are left as they are. */
  attack(params: Params, rank: number, options: { onStep?: (step: number, forgetNll: number) => void; signal?: AbortSignal } = {}): Promise<RelearnOutcome> {
    const { finetune } = this.experiment.options;
    return this.run({ cfg: finetune.cfg, tokenizer: finetune.tokenizer, params, features: this.experiment.features }, rank, options);
  }

  /** The same attack on the Goal model (with its own features), once per rank; or why there is no Goal model. */
  goalBaseline(rank: number): Promise<RelearnOutcome | Unavailable> {
    let baseline = this.goalRuns.get(rank);
    if (!baseline) {
      baseline = (async () => {
        const goal = await this.experiment.goalModel();
        return 'unavailable' in goal ? goal : this.run(goal, rank);
      })();
      this.goalRuns.set(rank, baseline);
    }
    return baseline;
  }

  /** The `relearn` object of a report: the attack on `params` and on the Goal model. */
  async report(params: Params, rank: number): Promise<RelearnReport> {
    const t0 = performance.now();
    const outcome = await this.attack(params, rank);
    const goal = await this.goalBaseline(rank);
    return this.reportOf(outcome, goal, (performance.now() - t0) / 1000);
  }

  reportOf(outcome: RelearnOutcome, goal: RelearnOutcome | Unavailable, seconds: number): RelearnReport {
    const { split, settings } = this;
    return {
      steps: settings.steps, on: settings.on,
      efficacyBefore: outcome.efficacyBefore, efficacyAfter: outcome.efficacyAfter, n: outcome.n,
      relearnTargets: split.relearnTargets, heldOutTargets: split.heldOutTargets, relearnItems: split.train.length,
      forgetNll: outcome.forgetNll,
      goal: 'unavailable' in goal ? { unavailable: `no Goal model: ${goal.unavailable}` } : { efficacyBefore: goal.efficacyBefore, efficacyAfter: goal.efficacyAfter, n: goal.n },
      seconds,
    };
  }

  private run(model: RelearnModel, rank: number, options: { onStep?: (step: number, forgetNll: number) => void; signal?: AbortSignal } = {}): Promise<RelearnOutcome> {
    const { runtime, world, splits } = this.experiment;
    return relearnAttack(runtime, world, splits, model, this.split, { steps: this.settings.steps, seed: this.seed, rank, ...options });
  }
}
