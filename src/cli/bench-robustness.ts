// The bench's robustness summary: each row's Efficacy under held-out wordings, fresh renders, text-only
// questions and (with --relearn) after the attack (the Goal row: the Goal baseline), averaged over the
// forget seeds, with verdicts against the Goal row; collected as the bench runs, formatted at the end.
// Not here: the attack (src/unlearning/relearn*.ts), running the bench (bench-command.ts).
import { csvLine } from '../eval/report-format.ts';
import type { PebenchReport } from '../eval/pebench-report.ts';
import { GOAL_LABEL, robustnessCsvCells, robustnessJson, robustnessMarkdown, robustnessSummary, type RobustnessRow } from '../eval/robustness-format.ts';
import { meanEntries, robustnessEntries, type RelearnReport, type RobustnessEntry } from '../eval/robustness.ts';
import type { Params } from '../model/params.ts';
import { allParamSpecs } from '../unlearning/cards.ts';
import type { Experiment } from '../unlearning/experiment.ts';
import type { RelearnAttack } from '../unlearning/relearn-attack.ts';
import type { RelearnSettings } from '../unlearning/relearn-set.ts';
import type { ForgetRequest } from '../world/splits.ts';
import { openAttack } from './relearn-flags.ts';

type Target = ForgetRequest['target'];
/** The LoRA rank of the attack on the Finetune and Goal rows: the methods' default rank. */
export const DEFAULT_RELEARN_RANK = allParamSpecs().find((s) => s.key === 'loraRank')!.default;
const TABLE_OF: Record<Target, string> = { person: 'person', event: 'event', both: 'joint' };

export class BenchRobustness {
  private readonly entries: { target: Target; entries: RobustnessEntry[] }[] = [];
  private attack: RelearnAttack | null = null;

  constructor(readonly settings: RelearnSettings | null, readonly seed: number) {}

  /** A new request's experiment (the attack's split is per request). */
  open(experiment: Experiment): void {
    this.attack = this.settings ? openAttack(experiment, this.settings, this.seed) : null;
  }

  /** Adds one row; with --relearn runs the attack on `params` (the Goal row: the Goal baseline) and returns its report. */
  async add(target: Target, label: string, report: PebenchReport, params: Params | 'goal', rank = DEFAULT_RELEARN_RANK): Promise<RelearnReport | null> {
    let relearn: RelearnReport | null = null;
    if (this.attack) {
      const t0 = performance.now();
      const outcome = params === 'goal' ? await this.attack.goalBaseline(rank) : await this.attack.attack(params, rank);
      const goal = await this.attack.goalBaseline(rank);
      if (!('unavailable' in outcome)) relearn = this.attack.reportOf(outcome, goal, (performance.now() - t0) / 1000);
    }
    this.entries.push({ target, entries: robustnessEntries(label, report, relearn) });
    return relearn;
  }

  /** The rows added so far on one kind of request (a bench group's share, sent back from its worker). */
  entriesOf(target: Target): RobustnessEntry[] {
    return this.entries.filter((e) => e.target === target).flatMap((e) => e.entries);
  }

  /** Rows measured elsewhere (another group's `entriesOf`). */
  absorb(target: Target, entries: RobustnessEntry[]): void {
    this.entries.push({ target, entries });
  }

  /** Per kind of request, the seed means with verdicts. */
  summary(): { target: Target; rows: RobustnessRow[] }[] {
    const targets = [...new Set(this.entries.map((e) => e.target))];
    return targets.map((target) => ({ target, rows: robustnessSummary(meanEntries(this.entries.filter((e) => e.target === target).flatMap((e) => e.entries)), GOAL_LABEL) }));
  }

  markdown(titles: Record<Target, string>): string {
    const note = this.settings ? `after relearning: ${this.settings.steps} steps on ${this.settings.on}` : 'after relearning: not run (add --relearn)';
    return this.summary().map((s) => robustnessMarkdown(s.rows, `${titles[s.target]}: forgotten or hidden? (means over seeds; ${note})`)).join('\n');
  }

  json() {
    return { relearn: this.settings, ...Object.fromEntries(this.summary().map((s) => [TABLE_OF[s.target], robustnessJson(s.rows)])) };
  }

  /** Lines for the bench's long CSV (table,label,column,stat,value,n). */
  csvLines(): string {
    return this.summary().flatMap((s) => robustnessCsvCells(s.rows, `robustness-${TABLE_OF[s.target]}`).map(csvLine)).map((l) => `${l}\n`).join('');
  }
}
