// The robustness summary as text: per concept a table of each model's Efficacy, plain and under each
// test (held-out wordings, fresh renders, text-only, after relearning), the Goal model's row next to
// them, and one line per model saying whether it removed or hid the knowledge (robustness.ts has the
// rule); the relearning attack's before/after lines; JSON rows and CSV lines in the bench's long layout.
// Not here: computing any value (robustness.ts, src/unlearning/relearn*.ts).
import type { ForgetConcept } from '../world/splits.ts';
import { COLUMN_SCALES } from './pebench-report.ts';
import { formatValue, row, rule } from './report-format.ts';
import { MARGIN, ROBUSTNESS_LABELS, ROBUSTNESS_TESTS, robustnessVerdict, type RelearnReport, type RobustnessEntry, type Verdict } from './robustness.ts';

export const GOAL_LABEL = 'Goal';

export interface RobustnessRow extends RobustnessEntry {
  /** 'reference' for the Goal model's own row. */
  verdict: Verdict | 'reference';
  line: string;
}

/** Each entry with its verdict against the Goal entry of the same concept (`goalLabel`). */
export function robustnessSummary(entries: readonly RobustnessEntry[], goalLabel = GOAL_LABEL): RobustnessRow[] {
  return entries.map((e) => {
    if (e.label === goalLabel) return { ...e, verdict: 'reference' as const, line: 'the reference: never learnt the targets' };
    const goal = entries.find((g) => g.label === goalLabel && g.concept === e.concept) ?? null;
    return { ...e, ...robustnessVerdict(e, goal) };
  });
}

const TITLES: Record<ForgetConcept, string> = { person: 'persons, 0-100', event: 'events, 0-1' };

/** Markdown: one table per concept (Efficacy plain and under each test), then the verdict lines and the rule. */
export function robustnessMarkdown(rows: readonly RobustnessRow[], title = 'Forgotten or hidden?'): string {
  const lines = [`### ${title}`, ''];
  for (const concept of ['person', 'event'] as const) {
    const mine = rows.filter((r) => r.concept === concept);
    if (mine.length === 0) continue;
    const scale = COLUMN_SCALES[concept].efficacy;
    lines.push(`Efficacy of the ${TITLES[concept]} (higher = less recalled):`, '',
      row(['model', 'Efficacy', ...ROBUSTNESS_TESTS.map((t) => ROBUSTNESS_LABELS[t]), 'verdict']), rule(ROBUSTNESS_TESTS.length + 3));
    for (const r of mine) lines.push(row([r.label, formatValue(r.efficacy, scale), ...ROBUSTNESS_TESTS.map((t) => formatValue(r.values[t], scale)), r.verdict]));
    lines.push('');
    for (const r of mine) if (r.verdict !== 'reference') lines.push(`- ${r.label} (${concept}s): ${r.line}.`);
    lines.push('');
  }
  lines.push(`Rule: a test shows the knowledge when a model's Efficacy there is more than ${MARGIN.person} points (persons) or ${MARGIN.event} (events) below the Goal model's ` +
    "on the same test; hidden = plain Efficacy is within that margin but some test shows it; removed = no test shows it. Held-out wordings and fresh renders are the report's " +
    'generality items of those kinds; text-only = 100 - accuracy on the forgotten persons\' text facts; after relearning = the held-out half of the targets after the attack.', '');
  return lines.join('\n');
}

/** The attack's lines: settings, halves, Efficacy before and after for the model and the Goal model. */
export function relearnMarkdown(relearn: RelearnReport, label = 'this model'): string {
  const targets = (list: RelearnReport['relearnTargets']) => list.map((t) => `${t.concept} ${t.id}`).join(', ');
  const lines = [
    '### Relearning attack', '',
    `${relearn.steps} steps of plain NLL (fresh LoRA) on ${relearn.relearnItems} ${relearn.on === 'text' ? 'text-only facts' : 'generality items'} of ${targets(relearn.relearnTargets)}; ` +
      `Efficacy re-evaluated on the forget items of ${targets(relearn.heldOutTargets)}, which the attack never saw.`, '',
    row(['model', 'concept', 'Efficacy before', 'Efficacy after', 'n']), rule(5),
  ];
  for (const concept of ['person', 'event'] as const) {
    if (!(concept in relearn.n)) continue;
    const scale = COLUMN_SCALES[concept].efficacy;
    lines.push(row([label, concept, formatValue(relearn.efficacyBefore[concept], scale), formatValue(relearn.efficacyAfter[concept], scale), relearn.n[concept] ?? 0]));
    const goal = relearn.goal;
    if (!('unavailable' in goal)) lines.push(row([GOAL_LABEL, concept, formatValue(goal.efficacyBefore[concept], scale), formatValue(goal.efficacyAfter[concept], scale), goal.n[concept] ?? 0]));
  }
  if ('unavailable' in relearn.goal) lines.push('', `Goal baseline n/a: ${relearn.goal.unavailable}`);
  return `${lines.join('\n')}\n`;
}

/** Plain rows for JSON. */
export function robustnessJson(rows: readonly RobustnessRow[]) {
  return rows.map((r) => ({ label: r.label, concept: r.concept, efficacy: r.efficacy, ...r.values, verdict: r.verdict, line: r.line }));
}

/** Cells of the bench's long CSV (table,label,column,stat,value,n): stat 'mean' per value, 'verdict' for the verdict. */
export function robustnessCsvCells(rows: readonly RobustnessRow[], table: string): (string | number | null)[][] {
  return rows.flatMap((r) => [
    [`${table}-${r.concept}`, r.label, 'efficacy', 'mean', r.efficacy, ''],
    ...ROBUSTNESS_TESTS.map((t) => [`${table}-${r.concept}`, r.label, t, 'mean', r.values[t], '']),
    [`${table}-${r.concept}`, r.label, 'verdict', 'verdict', r.verdict, ''],
  ]);
}
