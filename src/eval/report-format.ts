// Report formats from one PebenchReport (or a list of them for the bench tables): Markdown in the
// layout of docs/paper.md section 6, a plain JSON object for `--json`, and long ("tidy") CSV with one
// value per row. Numbers: 0-100 columns with 2 decimals, 0-1 columns with 3, null as "n/a" (empty in
// CSV, with the reason in its note column). Not here: computing any number (pebench-report.ts).
import {
  COLUMN_SCALES, PEBENCH_COLUMNS, type ColumnScale, type ConceptReport, type PebenchColumn, type PebenchReport,
} from './pebench-report.ts';
import type { ForgetConcept } from '../world/splits.ts';

const CONCEPTS: readonly ForgetConcept[] = ['person', 'event'];
export const COLUMN_LABELS: Record<PebenchColumn, string> = {
  efficacy: 'Efficacy', generality: 'Generality', retain: 'Retain', scope: 'Scope', real: 'Real', worldFact: 'World Fact',
};
const CONCEPT_TITLES: Record<ForgetConcept, string> = { person: 'Person unlearning', event: 'Event unlearning' };
export const SCALE_NOTES: Record<ForgetConcept, string> = {
  person: 'Person columns 0-100 (name precision, attribute and yes/no accuracy); Scope is the event score 0-1.',
  event: 'Event columns 0-1 (event score = mean of ROUGE-L and keyword recall; Real = attribute accuracy); Scope (name precision) and World Fact 0-100.',
};

type Unavailable = { unavailable: string };
const isUnavailable = (x: unknown): x is Unavailable => typeof x === 'object' && x !== null && 'unavailable' in x;

/** 0-100 with 2 decimals, 0-1 with 3, null as "n/a". */
export function formatValue(value: number | null | undefined, scale: ColumnScale): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  return value.toFixed(scale === 'percent' ? 2 : 3);
}

const pValueText = (p: number): string => (p === 0 ? '0' : p < 1e-3 ? p.toExponential(2) : p.toFixed(3));
const signedPercent = (v: number | null): string => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`);
export const row = (cells: readonly (string | number)[]): string => `| ${cells.join(' | ')} |`;
export const rule = (count: number): string => row(new Array<string>(count).fill('---'));

function conceptTable(concept: ForgetConcept, c: ConceptReport): string[] {
  const scales = COLUMN_SCALES[concept];
  const lines = [
    `### ${CONCEPT_TITLES[concept]}`, '',
    row(['', ...PEBENCH_COLUMNS.map((k) => COLUMN_LABELS[k])]), rule(PEBENCH_COLUMNS.length + 1),
    row(['score', ...PEBENCH_COLUMNS.map((k) => formatValue(c[k], scales[k]))]),
    row(['n', ...PEBENCH_COLUMNS.map((k) => c.n[k])]), '', SCALE_NOTES[concept],
  ];
  for (const k of PEBENCH_COLUMNS) if (c.unavailable[k]) lines.push(`- ${COLUMN_LABELS[k]} n/a: ${c.unavailable[k]}`);
  const parts = PEBENCH_COLUMNS.filter((k) => c.eventScoreParts[k]);
  if (parts.length) {
    lines.push('', 'Event-score parts (raw means; Efficacy and Generality are 1 minus this score):', '',
      row(['column', 'event score', 'ROUGE-L', 'keyword recall', 'n']), rule(5));
    for (const k of parts) {
      const p = c.eventScoreParts[k]!;
      lines.push(row([COLUMN_LABELS[k], formatValue(p.score, 'unit'), formatValue(p.rougeL, 'unit'), formatValue(p.keywordRecall, 'unit'), p.n]));
    }
  }
  return [...lines, ''];
}

/** Markdown: one table per concept, the cross-concept matrix, text facts, the extras, with sample sizes. */
export function reportMarkdown(report: PebenchReport, title = 'PEBench report'): string {
  const r = report.request;
  const ratios = [r.personRatio !== undefined ? `persons ${r.personRatio * 100}%` : '', r.eventRatio !== undefined ? `events ${r.eventRatio * 100}%` : '']
    .filter(Boolean).join(' + ');
  const lines = [`## ${title}`, '', `Forget request: ${ratios} (forget seed ${r.forgetSeed}); persons [${report.forgetPersons.join(', ')}], events [${report.forgetEvents.join(', ')}].`, ''];
  for (const concept of CONCEPTS) if (report[concept]) lines.push(...conceptTable(concept, report[concept]!));

  lines.push('### Cross-concept matrix', '', 'Own: the target\'s concept on its forget items (person: name precision 0-100, event: event score 0-1). Other: the other concept on its images (scope items).', '',
    row(['target', 'name', 'own', 'n', 'other', 'n']), rule(6));
  for (const t of report.crossConcept) {
    const [ownScale, otherScale]: ColumnScale[] = t.concept === 'person' ? ['percent', 'unit'] : ['unit', 'percent'];
    lines.push(row([`${t.concept} ${t.id}`, t.name, formatValue(t.own, ownScale), t.ownN, formatValue(t.other, otherScale), t.otherN]));
  }
  lines.push('', '### Text-only facts', '');
  const text = report.textFacts;
  if (isUnavailable(text)) lines.push(`n/a: ${text.unavailable}`);
  else {
    lines.push(row(['facts of', 'accuracy (0-100)', 'n']), rule(3),
      row(['forgotten persons', formatValue(text.forget, 'percent'), text.n.forget]), row(['retained persons', formatValue(text.retain, 'percent'), text.n.retain]));
  }
  lines.push('', '### Beyond the paper', '', row(['metric', 'value', 'n']), rule(3), ...extraRows(report).map((cells) => row(cells)), '');
  return lines.join('\n');
}

function extraRows(report: PebenchReport): string[][] {
  const e = report.extra;
  const na = (x: Unavailable, metric: string): string[] => [metric, `n/a (${x.unavailable})`, ''];
  const rows: string[][] = [];
  if (isUnavailable(e.answerProbability)) rows.push(na(e.answerProbability, 'answer probability'));
  else {
    rows.push(['answer probability, forget (0-1)', formatValue(e.answerProbability.forget, 'unit'), String(e.answerProbability.n.forget)]);
    rows.push(['answer probability, unseen renders (0-1)', formatValue(e.answerProbability.unseen, 'unit'), String(e.answerProbability.n.unseen)]);
  }
  rows.push(isUnavailable(e.truthRatio) ? na(e.truthRatio, 'truth ratio')
    : ['truth ratio, forget: mean min(R, 1/R) (0-1)', formatValue(e.truthRatio.forget, 'unit'), String(e.truthRatio.n)]);
  rows.push(isUnavailable(e.forgetQuality) ? na(e.forgetQuality, 'forget quality')
    : ['forget quality: KS p-value vs Goal (effect size D)', `${pValueText(e.forgetQuality.pValue)} (D = ${formatValue(e.forgetQuality.statistic, 'unit')})`, `${e.forgetQuality.n[0]} vs ${e.forgetQuality.n[1]}`]);
  const aucs = (m: { loss: number; minK: number; minKPlusPlus: number | null }): string =>
    [m.loss, m.minK, m.minKPlusPlus].map((v) => formatValue(v, 'unit')).join(' / ');
  rows.push(isUnavailable(e.membership) ? na(e.membership, 'membership AUC')
    : ['membership AUC, LOSS / Min-K% / Min-K%++ (forget vs unseen)', aucs(e.membership), `${e.membership.n.members} vs ${e.membership.n.nonMembers}`]);
  if (isUnavailable(e.privLeak)) rows.push(na(e.privLeak, 'PrivLeak'));
  else {
    rows.push(['Goal model membership AUC, LOSS / Min-K% / Min-K%++', aucs(e.privLeak.goal), `${e.privLeak.goal.n.members} vs ${e.privLeak.goal.n.nonMembers}`]);
    rows.push(['PrivLeak vs Goal, LOSS / Min-K% / Min-K%++', [e.privLeak.loss, e.privLeak.minK, e.privLeak.minKPlusPlus].map(signedPercent).join(' / '), '']);
  }
  return rows;
}

/** The `--json` object: person/event columns, n, why columns are null, extras; the caller's config and timing. */
export function reportJson<C, T>(report: PebenchReport, extra: { config: C; timing: T }) {
  const columns = (c: ConceptReport) => Object.fromEntries(PEBENCH_COLUMNS.map((k) => [k, c[k]])) as Record<PebenchColumn, number | null>;
  const perConcept = <V>(pick: (c: ConceptReport) => V): Partial<Record<ForgetConcept, V>> =>
    Object.fromEntries(CONCEPTS.filter((k) => report[k]).map((k) => [k, pick(report[k]!)]));
  return {
    ...perConcept(columns),
    n: perConcept((c) => ({ ...c.n })),
    unavailable: perConcept((c) => ({ ...c.unavailable })),
    extra: {
      forgetPersons: [...report.forgetPersons],
      forgetEvents: [...report.forgetEvents],
      eventScoreParts: perConcept((c) => structuredClone(c.eventScoreParts)),
      crossConcept: report.crossConcept.map((t) => ({ ...t })),
      textFacts: structuredClone(report.textFacts),
      ...structuredClone(report.extra),
    },
    config: extra.config,
    timing: extra.timing,
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or newline. */
export function csvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
export const csvLine = (cells: readonly (string | number | null | undefined)[]): string => cells.map(csvField).join(',');

/**
 * Long CSV, one value per row: section,concept,target,metric,value,n,note. Values at full precision
 * on their scale; note holds a column's scale (percent / unit), a target's name, or, where value is
 * empty (n/a), the reason; n of a two-sample metric is "a;b" (model;Goal or members;non-members).
 */
export function reportCsv(report: PebenchReport): string {
  const lines = [csvLine(['section', 'concept', 'target', 'metric', 'value', 'n', 'note'])];
  const add = (...cells: (string | number | null | undefined)[]) => lines.push(csvLine(cells));
  for (const concept of CONCEPTS) {
    const c = report[concept];
    if (!c) continue;
    for (const k of PEBENCH_COLUMNS) add('column', concept, '', k, c[k], c.n[k], c.unavailable[k] ?? COLUMN_SCALES[concept][k]);
    for (const k of PEBENCH_COLUMNS) {
      const p = c.eventScoreParts[k];
      if (p) for (const part of ['score', 'rougeL', 'keywordRecall'] as const) add('eventScorePart', concept, '', `${k}.${part}`, p[part], p.n, '');
    }
  }
  for (const t of report.crossConcept) {
    add('crossConcept', t.concept, t.id, 'own', t.own, t.ownN, t.name);
    add('crossConcept', t.concept, t.id, 'other', t.other, t.otherN, t.name);
  }
  const text = report.textFacts;
  if (isUnavailable(text)) add('textFacts', '', '', 'accuracy', null, 0, text.unavailable);
  else {
    add('textFacts', '', '', 'forget', text.forget, text.n.forget, 'percent');
    add('textFacts', '', '', 'retain', text.retain, text.n.retain, 'percent');
  }
  const e = report.extra;
  const extra = (metric: string, value: number | null, n: string | number, note = '') => add('extra', '', '', metric, value, n, note);
  const aucs = (name: string, m: { loss: number | null; minK: number | null; minKPlusPlus: number | null }, n: string) => {
    extra(`${name}.loss`, m.loss, n);
    extra(`${name}.minK`, m.minK, n);
    extra(`${name}.minKPlusPlus`, m.minKPlusPlus, n);
  };
  if (isUnavailable(e.answerProbability)) extra('answerProbability', null, '', e.answerProbability.unavailable);
  else {
    extra('answerProbability.forget', e.answerProbability.forget, e.answerProbability.n.forget);
    extra('answerProbability.unseen', e.answerProbability.unseen, e.answerProbability.n.unseen);
  }
  if (isUnavailable(e.truthRatio)) extra('truthRatio', null, '', e.truthRatio.unavailable);
  else extra('truthRatio.forget', e.truthRatio.forget, e.truthRatio.n);
  if (isUnavailable(e.forgetQuality)) extra('forgetQuality', null, '', e.forgetQuality.unavailable);
  else {
    extra('forgetQuality.pValue', e.forgetQuality.pValue, e.forgetQuality.n.join(';'));
    extra('forgetQuality.statistic', e.forgetQuality.statistic, e.forgetQuality.n.join(';'));
  }
  if (isUnavailable(e.membership)) extra('membershipAuc', null, '', e.membership.unavailable);
  else aucs('membershipAuc', e.membership, `${e.membership.n.members};${e.membership.n.nonMembers}`);
  if (isUnavailable(e.privLeak)) extra('privLeak', null, '', e.privLeak.unavailable);
  else {
    aucs('privLeak', e.privLeak, '');
    aucs('goalMembershipAuc', e.privLeak.goal, `${e.privLeak.goal.n.members};${e.privLeak.goal.n.nonMembers}`);
  }
  // Efficacy under the tests that need only this report's answers (the attack's values are the caller's).
  for (const concept of CONCEPTS) {
    const r = report.robustness[concept];
    if (!r) continue;
    for (const test of ['heldOutWordings', 'freshRenders', 'textOnly'] as const) add('robustness', concept, '', test, r[test].value, r[test].n, COLUMN_SCALES[concept].efficacy);
  }
  return `${lines.join('\n')}\n`;
}

/** One line of the bench: a method (or Finetune / Goal) run on one kind of request. */
export interface BenchRow {
  label: string;
  target: ForgetConcept | 'both';
  report: PebenchReport;
}

export interface BenchColumn {
  key: string;
  label: string;
  concept: ForgetConcept;
  column: PebenchColumn;
}

const conceptColumns = (concept: ForgetConcept): BenchColumn[] =>
  PEBENCH_COLUMNS.map((column) => ({ key: column, label: COLUMN_LABELS[column], concept, column }));

/** The paper's three tables: person rows, event rows, and joint rows (person / event Efficacy and Retain). */
export const BENCH_TABLES: { name: string; title: string; target: BenchRow['target']; columns: BenchColumn[]; note: string }[] = [
  { name: 'person', title: 'Person unlearning', target: 'person', columns: conceptColumns('person'), note: SCALE_NOTES.person },
  { name: 'event', title: 'Event unlearning', target: 'event', columns: conceptColumns('event'), note: SCALE_NOTES.event },
  {
    name: 'joint', title: 'Joint person + event unlearning', target: 'both', note: 'Person columns 0-100, event columns 0-1.',
    columns: [
      { key: 'personEfficacy', label: 'Person Efficacy', concept: 'person', column: 'efficacy' },
      { key: 'personRetain', label: 'Person Retain', concept: 'person', column: 'retain' },
      { key: 'eventEfficacy', label: 'Event Efficacy', concept: 'event', column: 'efficacy' },
      { key: 'eventRetain', label: 'Event Retain', concept: 'event', column: 'retain' },
    ],
  },
];

/** One column of one report: its value, n and why it is n/a. */
export const reportCell = (report: PebenchReport, c: BenchColumn) => cellOf({ label: '', target: report.request.target, report }, c);

const cellOf = (r: BenchRow, c: BenchColumn) => {
  const concept = r.report[c.concept];
  return {
    value: concept ? concept[c.column] : null,
    n: concept ? concept.n[c.column] : 0,
    why: concept ? concept.unavailable[c.column] : `the report has no ${c.concept} results`,
  };
};

/**
 * The bench tables, rows in the order given (Finetune first and Goal last by the caller's order):
 * 'md' one Markdown table per kind of request that has rows, with sample sizes and the reason for
 * each n/a; 'json' { person: [...], event: [...], joint: [...] } with raw values and n per row;
 * 'csv' long rows table,label,column,value,n (empty value = n/a).
 */
export function benchTables(rows: readonly BenchRow[], format: 'md' | 'json' | 'csv'): string {
  if (format === 'json') {
    const tables = Object.fromEntries(BENCH_TABLES.map((t) => [t.name, rows.filter((r) => r.target === t.target).map((r) => ({
      label: r.label,
      ...Object.fromEntries(t.columns.map((c) => [c.key, cellOf(r, c).value])),
      n: Object.fromEntries(t.columns.map((c) => [c.key, cellOf(r, c).n])),
    }))]));
    return `${JSON.stringify(tables, null, 2)}\n`;
  }
  if (format === 'csv') {
    const lines = [csvLine(['table', 'label', 'column', 'value', 'n'])];
    for (const t of BENCH_TABLES) {
      for (const r of rows.filter((x) => x.target === t.target)) {
        for (const c of t.columns) lines.push(csvLine([t.name, r.label, c.key, cellOf(r, c).value, cellOf(r, c).n]));
      }
    }
    return `${lines.join('\n')}\n`;
  }
  if (format !== 'md') throw new RangeError(`bench format must be md, json or csv, got ${String(format)}`);
  const lines: string[] = [];
  for (const t of BENCH_TABLES) {
    const mine = rows.filter((r) => r.target === t.target);
    if (mine.length === 0) continue;
    lines.push(`### ${t.title}`, '', row(['method', ...t.columns.map((c) => c.label)]), rule(t.columns.length + 1));
    for (const r of mine) lines.push(row([r.label, ...t.columns.map((c) => formatValue(cellOf(r, c).value, COLUMN_SCALES[c.concept][c.column]))]));
    lines.push('', t.note);
    const sizes = (r: BenchRow) => t.columns.map((c) => `${c.label} ${cellOf(r, c).n}`).join(', ');
    if (new Set(mine.map(sizes)).size === 1) lines.push(`Sample sizes (n): ${sizes(mine[0])}.`);
    else for (const r of mine) lines.push(`- n for ${r.label}: ${sizes(r)}.`);
    for (const r of mine) {
      for (const c of t.columns) {
        const cell = cellOf(r, c);
        if (cell.value === null) lines.push(`- ${r.label} ${c.label} n/a: ${cell.why ?? 'no value'}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/**
 * Markdown table of the metrics beyond the paper, one line per bench row of one kind of request:
 * answer probability and truth ratio on forget items, forget quality (KS p-value against the Goal
 * model, effect size D), membership AUCs (LOSS / Min-K% / Min-K%++, forget vs fresh renders),
 * PrivLeak against the Goal model, and text-only facts of forgotten and retained persons.
 */
export function benchExtrasMarkdown(rows: readonly BenchRow[], title: string): string {
  const has = <T extends object>(x: T | Unavailable): x is T => !('unavailable' in x);
  const f3 = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
  const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`);
  const lines = [
    `### ${title}: beyond the paper`, '',
    row(['method', 'answer prob.', 'truth ratio', 'forget quality p (D)', 'MIA AUC LOSS / Min-K / Min-K++', 'PrivLeak LOSS / Min-K / Min-K++', 'text facts forgotten / retained']),
    rule(7),
  ];
  for (const r of rows) {
    const e = r.report.extra;
    const ap = has(e.answerProbability) ? f3(e.answerProbability.forget) : 'n/a';
    const tr = has(e.truthRatio) ? f3(e.truthRatio.forget) : 'n/a';
    const fq = has(e.forgetQuality) ? `${e.forgetQuality.pValue.toPrecision(2)} (${e.forgetQuality.statistic.toFixed(2)})` : 'n/a';
    const mia = has(e.membership) ? `${f3(e.membership.loss)} / ${f3(e.membership.minK)} / ${f3(e.membership.minKPlusPlus)}` : 'n/a';
    const leak = has(e.privLeak) ? `${pct(e.privLeak.loss)} / ${pct(e.privLeak.minK)} / ${pct(e.privLeak.minKPlusPlus)}` : 'n/a';
    const t = r.report.textFacts;
    const text = has(t) ? `${t.forget === null ? 'n/a' : t.forget.toFixed(1)} / ${t.retain === null ? 'n/a' : t.retain.toFixed(1)}` : 'n/a';
    lines.push(row([r.label, ap, tr, fq, mia, leak, text]));
  }
  const first = rows[0]?.report.extra;
  const n = first && has(first.membership) ? `; scored items: ${first.membership.n.members} forget vs ${first.membership.n.nonMembers} fresh renders` : '';
  lines.push('', `Answer probability and truth ratio on forget items (0-1); forget quality: KS test of the truth ratios against the Goal model (high p = like Goal); MIA AUC 0.5 = no membership signal; PrivLeak = (AUC - Goal AUC) / Goal AUC${n}.`);
  return `${lines.join('\n')}\n`;
}
