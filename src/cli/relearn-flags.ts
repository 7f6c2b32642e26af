// The relearning attack's CLI flags (unlearn: --relearn-steps K [--relearn-on ...]; bench: --relearn),
// checked before any model is opened (one line, exit 2), and the parts it adds to a report. The attack
// is not part of a run's config (run-config.ts): it tests the unlearned weights without changing them.
// Not here: the attack (src/unlearning/relearn*.ts), the rule and formats (src/eval/robustness*.ts).
import type { PebenchReport } from '../eval/pebench-report.ts';
import { GOAL_LABEL, relearnMarkdown, robustnessJson, robustnessMarkdown, robustnessSummary } from '../eval/robustness-format.ts';
import { robustnessEntries, type RelearnReport } from '../eval/robustness.ts';
import { RelearnAttack } from '../unlearning/relearn-attack.ts';
import { DEFAULT_RELEARN_STEPS, MAX_RELEARN_STEPS, RELEARN_ON, relearnConcepts, relearnSettingsProblems, type RelearnSettings } from '../unlearning/relearn-set.ts';
import type { Experiment } from '../unlearning/experiment.ts';
import type { ForgetRequest } from '../world/splits.ts';
import { CliError, type FlagSpec } from './args.ts';

export const RELEARN_ON_HELP = `what the attack fine-tunes on: ${RELEARN_ON.join(' or ')}. generality = the generality images (held-out wordings, ` +
  'other renders, fresh renders) of half of the forget targets; text (also accepted as half, the name the issue gave it) = the text-only facts of half of the person targets. Efficacy is then ' +
  're-evaluated on the other half of the targets, which the attack never saw';

export const relearnFlags = {
  'relearn-steps': { kind: 'int', min: 1, max: MAX_RELEARN_STEPS, help: `relearning attack: fine-tune K steps (1-${MAX_RELEARN_STEPS}, plain NLL, fresh LoRA of the run's rank) after unlearning, also on the Goal model (default ${DEFAULT_RELEARN_STEPS} when --relearn-on is given)` },
  'relearn-on': { kind: 'string', help: RELEARN_ON_HELP },
} satisfies Record<string, FlagSpec>;

/**
 * The attack the flags ask for (null when none), checked against the request's kind; a CliError
 * naming every problem. `asked`: whether the command asks for the attack anyway (bench --relearn).
 */
export function relearnFromFlags(values: { 'relearn-steps'?: number; 'relearn-on'?: string }, requests: readonly ForgetRequest[], asked = false): RelearnSettings | null {
  if (!asked && values['relearn-steps'] === undefined && values['relearn-on'] === undefined) return null;
  const steps = values['relearn-steps'] ?? DEFAULT_RELEARN_STEPS;
  // `half` is the name first proposed for the text-only set (both sets use half the targets); kept as an alias.
  const on = values['relearn-on'] === 'half' ? 'text' : values['relearn-on'] ?? 'generality';
  const problems = relearnSettingsProblems(steps, on, { steps: '--relearn-steps', on: '--relearn-on' });
  if (problems.length === 0) {
    for (const request of requests) {
      const concepts = relearnConcepts(request, on as RelearnSettings['on']);
      if ('problem' in concepts) problems.push(`--relearn-on ${on} with --target ${request.target}: ${concepts.problem}`);
    }
  }
  if (problems.length) throw new CliError([...new Set(problems)].join('; '));
  return { steps: steps as number, on: on as RelearnSettings['on'] };
}

/** The attack on this request's experiment; its split problem (too few targets) as a CliError. */
export function openAttack(experiment: Experiment, settings: RelearnSettings, seed: number): RelearnAttack {
  try {
    return new RelearnAttack(experiment, settings, seed);
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(`--relearn-on ${settings.on}: ${error.message}`);
    throw error;
  }
}

/** The robustness summary of one model's report and its attack, next to the Goal model's report (null: none). */
export function robustnessRows(label: string, report: PebenchReport, relearn: RelearnReport | null, goal: PebenchReport | null) {
  const entries = [...robustnessEntries(label, report, relearn), ...(goal ? robustnessEntries(GOAL_LABEL, goal, relearn, 'goal') : [])];
  return robustnessSummary(entries);
}

/** The Markdown a single run's report ends with: the attack (when run) and the robustness summary. */
export function relearnSections(label: string, rows: ReturnType<typeof robustnessRows>, relearn: RelearnReport | null): string {
  return relearn ? `${relearnMarkdown(relearn, label)}\n${robustnessMarkdown(rows)}` : robustnessMarkdown(rows);
}

export { robustnessJson };
