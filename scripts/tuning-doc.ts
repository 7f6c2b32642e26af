// Writes docs/tuning.md from the sweeps in docs/tuning/*.json (scripts/tune-all.sh) and prints the
// `tuned` entries the method cards (src/unlearning/cards.ts) take from them, so the defaults and the
// committed sweep cannot drift apart unnoticed (tests/unit/unlearning/tuned-defaults.test.ts checks it).
// Run: npx tsx scripts/tuning-doc.ts
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TUNE_EFFICACY } from '../src/cli/tune-command.ts';
import { METHOD_CARDS, TUNING_KEYS } from '../src/unlearning/cards.ts';
import { TEST_FORGET_SEEDS, TUNING_FORGET_SEED } from '../src/unlearning/protocol.ts';

interface Sweep {
  method: string;
  kind: string;
  forgetSeed: number;
  n: { efficacy: number; retain: number; scope: number };
  chosen: { lr: number; steps: number; beta?: number; lambda?: number; reached: boolean; point: { efficacy: number; retain: number; scope: number | null } } | null;
  diverged: string[];
  sweep: { lr: number; weight: number | null; step: number; efficacy: number | null; retain: number | null; scope: number | null }[];
  seconds: number;
}

const DIR = 'docs/tuning';
const sweeps = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Sweep);
const order = (s: Sweep) => [METHOD_CARDS.findIndex((c) => c.id === s.method), TUNING_KEYS.indexOf(s.kind as never)];
sweeps.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);

const untuned = METHOD_CARDS.filter((c) => c.untuned && !sweeps.some((s) => s.method === c.id)).map((c) => c.id);
const f1 = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(1));
const lines = [
  '# How the methods\' defaults were chosen',
  '',
  `Every method's default settings were chosen by \`npx pebench tune\` on the tuning forget seed ${TUNING_FORGET_SEED} only;`,
  `the bench reports the test seeds ${TEST_FORGET_SEEDS.join(', ')}, which no setting was chosen on (\`pebench tune\` refuses them).`,
  'The sweep, a cross through the previous defaults: the learning rate at 0.5, 1 and 2 x its default',
  '(with the default weight), and the method\'s main weight (β for DPO, NPO and SimNPO, λ for GD, KL, PO and',
  'SIU; none for GA and RMU) at 0.5 and 2 x its default (with the default learning rate); joint requests sweep the',
  'learning rate only. Each run goes to twice the method\'s steps with live metrics every 10 steps, so',
  'the step count is swept along each path. A cross, not a grid, to keep the whole sweep near half an',
  'hour on 2 cores (`pebench tune --grid` runs every pair).',
  '',
  `The rule: among all (learning rate, weight, step) points whose Efficacy reaches ${TUNE_EFFICACY}, the highest Retain`,
  `(ties: fewer steps, then the smaller learning rate); when no point reaches ${TUNE_EFFICACY}, the highest Efficacy. The same`,
  'rule for every kind of request: the tuning seed has no Goal model, so the Goal\'s event Efficacy (the',
  'bench\'s matched level for events) is unknown there. Efficacy and Retain are the live metrics on a',
  'fixed sample (n below), not the full report. Re-run with `scripts/tune-all.sh`, then',
  '`npx tsx scripts/tuning-doc.ts`.',
  '',
  ...(untuned.length ? [`Not tuned yet (their defaults are starting values, no sweep committed): ${untuned.join(', ')}.`, ''] : []),
  '## Chosen settings',
  '',
  '| method | request | lr | weight | steps | Efficacy | Retain | Scope | reached 90 | sweep time (s) |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
const tuned: Record<string, Record<string, Record<string, number>>> = {};
for (const s of sweeps) {
  const c = s.chosen;
  const weight = c?.beta !== undefined ? `β ${c.beta}` : c?.lambda !== undefined ? `λ ${c.lambda}` : '-';
  lines.push(`| ${s.method} | ${s.kind} | ${c?.lr ?? 'n/a'} | ${weight} | ${c?.steps ?? 'n/a'} | ${f1(c?.point.efficacy)} | ${f1(c?.point.retain)} | ${f1(c?.point.scope)} | ${c?.reached ? 'yes' : 'no'} | ${s.seconds.toFixed(0)} |`);
  if (c) {
    tuned[s.method] ??= {};
    tuned[s.method][s.kind] = { lr: c.lr, steps: c.steps, ...(c.beta !== undefined ? { beta: c.beta } : {}), ...(c.lambda !== undefined ? { lambda: c.lambda } : {}) };
  }
}
lines.push('', '## The sweeps', '');
for (const s of sweeps) {
  lines.push(`### ${s.method}, ${s.kind} request`, '', `n per point: forget ${s.n.efficacy}, retain ${s.n.retain}, scope ${s.n.scope} items.${s.diverged.length ? ` ${s.diverged.join('; ')}.` : ''}`, '');
  const rates = [...new Set(s.sweep.map((p) => p.lr))];
  const weights = [...new Set(s.sweep.map((p) => p.weight))];
  const steps = [...new Set(s.sweep.map((p) => p.step))].sort((a, b) => a - b);
  lines.push(`Efficacy / Retain by step (columns) for each learning rate and weight (rows):`, '', `| lr | weight | ${steps.join(' | ')} |`, `| --- | --- | ${steps.map(() => '---').join(' | ')} |`);
  for (const lr of rates) {
    for (const w of weights) {
      const cells = steps.map((step) => {
        const p = s.sweep.find((x) => x.lr === lr && x.weight === w && x.step === step);
        return p ? `${f1(p.efficacy)} / ${f1(p.retain)}` : '';
      });
      lines.push(`| ${lr} | ${w ?? '-'} | ${cells.join(' | ')} |`);
    }
  }
  lines.push('');
}
writeFileSync('docs/tuning.md', `${lines.join('\n')}\n`);
console.log(JSON.stringify(tuned, null, 2));
