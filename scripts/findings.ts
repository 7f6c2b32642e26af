// Reads the JSON of `pebench bench --format json` and prints, for each of the paper's four findings,
// the comparisons its verdict rests on: each number as mean [95 % interval] over the forget seeds and
// whether two intervals are apart ("higher" / "lower"), overlap ("cannot be told apart at k seeds") or
// cannot be compared (a single seed). docs/results.md quotes this output.
// Run: npx tsx scripts/findings.ts docs/results.json
import { readFileSync } from 'node:fs';
import { compareIntervals, type SeedSummary } from '../src/eval/intervals.ts';

interface Row { label: string; columns: Record<string, SeedSummary> }
interface Table { rows: Row[] }
const bench = JSON.parse(readFileSync(process.argv[2] ?? 'docs/results.json', 'utf8')) as { config: { forgetSeeds: number[] }; tables: Record<string, Table> };
const k = bench.config.forgetSeeds.length;

const cell = (table: string, label: string, column: string): SeedSummary | null => bench.tables[table]?.rows.find((r) => r.label === label)?.columns[column] ?? null;
const fmt = (s: SeedSummary | null, digits: number): string => {
  if (!s || s.mean === null) return 'n/a';
  return s.ci95 ? `${s.mean.toFixed(digits)} [${s.ci95[0].toFixed(digits)}, ${s.ci95[1].toFixed(digits)}]` : `${s.mean.toFixed(digits)} (one seed)`;
};
function versus(what: string, a: [string, SeedSummary | null], b: [string, SeedSummary | null], digits: number): string {
  const verdict = !a[1] || !b[1] ? 'n/a' : { 'a-higher': `${a[0]} higher`, 'b-higher': `${a[0]} lower`, overlap: `cannot be told apart at ${k} seeds`, unknown: 'cannot be compared (one seed)' }[compareIntervals(a[1], b[1])];
  return `- ${what}: ${a[0]} ${fmt(a[1], digits)} vs ${b[0]} ${fmt(b[1], digits)}: ${verdict}`;
}
const methods = (table: string) => (bench.tables[table]?.rows ?? []).map((r) => r.label).filter((l) => l !== 'Finetune' && l !== 'Goal');

const out: string[] = [`Comparisons over ${k} forget seeds (${bench.config.forgetSeeds.join(', ')}), 95 % t-intervals.`, ''];
out.push('1. Person unlearning: Efficacy near 100, Retain below Goal\'s.');
for (const m of methods('person')) {
  out.push(`- ${m} person Efficacy ${fmt(cell('person', m, 'efficacy'), 1)}`);
  out.push(versus(`${m} person Retain`, [m, cell('person', m, 'retain')], ['Goal', cell('person', 'Goal', 'retain')], 1));
}
out.push('', '2. Event unlearning is harder: event Efficacy below Goal\'s, or bought with Retain.');
for (const m of methods('event')) {
  out.push(versus(`${m} event Efficacy`, [m, cell('event', m, 'efficacy')], ['Goal', cell('event', 'Goal', 'efficacy')], 3));
  out.push(versus(`${m} event Retain`, [m, cell('event', m, 'retain')], ['Finetune', cell('event', 'Finetune', 'retain')], 3));
}
out.push('', '3. Cross-concept interference: Scope (the other concept on the forgotten images) below Finetune\'s.');
for (const m of methods('person')) out.push(versus(`forgetting persons, ${m} Scope (event score)`, [m, cell('person', m, 'scope')], ['Finetune', cell('person', 'Finetune', 'scope')], 3));
for (const m of methods('event')) out.push(versus(`forgetting events, ${m} Scope (person precision)`, [m, cell('event', m, 'scope')], ['Finetune', cell('event', 'Finetune', 'scope')], 1));
out.push('', '4. Joint unlearning: Efficacy against forgetting one concept alone; BGD against plain.');
for (const m of methods('joint').filter((l) => !l.endsWith('+BGD'))) {
  out.push(versus(`${m} person Efficacy, joint vs alone`, ['joint', cell('joint', m, 'personEfficacy')], ['alone', cell('person', m, 'efficacy')], 1));
  out.push(versus(`${m} event Efficacy, joint vs alone`, ['joint', cell('joint', m, 'eventEfficacy')], ['alone', cell('event', m, 'efficacy')], 3));
  out.push(versus(`${m} person Retain, joint vs alone`, ['joint', cell('joint', m, 'personRetain')], ['alone', cell('person', m, 'retain')], 1));
  for (const column of ['personEfficacy', 'eventEfficacy', 'personRetain', 'eventRetain']) {
    out.push(versus(`${m} ${column.replace(/([A-Z])/, ' $1')}, +BGD vs plain`, ['+BGD', cell('joint', `${m}+BGD`, column)], ['plain', cell('joint', m, column)], column.startsWith('person') ? 1 : 3));
  }
}
console.log(out.join('\n'));
