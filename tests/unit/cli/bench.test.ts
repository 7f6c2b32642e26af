// `pebench bench` as a user runs it, on a micro-world model trained in beforeAll (20 persons x 20
// events, test-size model, ~15 s), over two forget seeds: the person table in JSON, CSV and Markdown
// holds Finetune, GA and an empty Goal row with why (the micro world has no Goal model), each cell as
// per-seed values with their mean and interval, GA's per-seed values equal what `pebench unlearn`
// reports for each seed alone, and trajectories, matched Retain and plots are there. Bad flags are refused in-process, before
// any runtime opens (openRuntime is mocked to fail here; spawned runs use the real one).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MICRO_TRAIN, runPebench } from './pebench-process.ts';
import { main } from '../../../src/cli/main.ts';
import { METHOD_IDS, getCard, methodParams } from '../../../src/unlearning/cards.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

const bin = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));
let root: string;
let model: string;

const run = (args: string[]) => runPebench(args, 120_000);

// 20 persons x 20 events: the default ratio 5% selects 1 person (or 1 event).
const BENCH = () => ['bench', '--model', model, '--targets', 'person', '--methods', 'ga', '--threads', '1'];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-bench-'));
  model = join(root, 'finetune');
  const trained = await run(['train', '--out', model, ...MICRO_TRAIN]);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const COLUMNS = ['efficacy', 'generality', 'retain', 'scope', 'real', 'worldFact'] as const;
interface Summary { mean: number | null; ci95: [number, number] | null; perSeed: (number | null)[] }
interface Row {
  label: string; kind: string; method: string | null; bgd: boolean;
  columns: Record<(typeof COLUMNS)[number], Summary & { n: number[] }>;
  trajectory: { forgetSeed: number; every: number; until: number; points: { step: number; efficacy: number | null; retain: number | null }[] }[];
  matched: { at: number; retain: Summary; reached: number } | null;
  area: Summary | null;
  problems: string[];
}
interface BenchJson {
  config: { forgetSeeds: number[]; tuningSeed: number; trajectory: { every: number; factor: number } | null };
  tables: { person?: { match: { at: number }; rows: Row[] } };
  robustness: { person?: ({ label: string; concept: string; verdict: string } & Record<string, number | string | null>)[] };
  timings: { target: string; label: string; forgetSeed: number; timing: { steps?: number; evalSeconds: number } }[];
  problems: string[];
  seconds: number;
  machine: string;
}

// Two forget seeds, trajectories every 20 steps (to 1.5 x GA's steps, rounded up to a multiple of 20).
const SEEDS = ['--forget-seeds', '0,1', '--trajectory-every', '20'];

describe('pebench bench over two forget seeds on a micro-world model', () => {
  let json: BenchJson;

  it('prints the person table as JSON: per-seed values, mean and 95 % interval, trajectories, matched Retain, and why there is no Goal row', async () => {
    const details = join(root, 'details.json');
    const result = await run([...BENCH(), ...SEEDS, '--format', 'json', '--details', details]);
    expect(result.code, result.stderr).toBe(0);
    json = JSON.parse(result.stdout) as BenchJson;
    expect(json.config).toMatchObject({ forgetSeeds: [0, 1], tuningSeed: 100, trajectory: { every: 20, factor: 1.5 } });
    const person = json.tables.person!;
    expect(person.rows.map((r) => r.label)).toEqual(['Finetune', 'GA', 'Goal']);
    const [finetune, ga, goal] = person.rows;
    for (const row of [finetune, ga]) {
      for (const k of COLUMNS) {
        const cell = row.columns[k];
        expect(cell.perSeed, `${row.label} ${k}`).toHaveLength(2);
        const values = cell.perSeed as number[];
        expect(cell.mean).toBeCloseTo((values[0] + values[1]) / 2, 10);
        if (values[0] !== values[1]) expect(cell.ci95![0]).toBeLessThan(cell.mean!);
        expect(cell.n.every((n) => n > 0)).toBe(true);
      }
    }
    // Every row is asked the same evaluation items on a seed.
    expect(ga.columns.retain.n).toEqual(finetune.columns.retain.n);
    expect(goal.columns.efficacy.mean).toBeNull();
    expect(json.problems).toEqual([0, 1].map((s) => expect.stringMatching(new RegExp(`^person Goal, forget seed ${s}: no Goal model for this request .*--forget-seed ${s}`))));
    // GA's path: step 0 and every 20 steps to 1.5 x its (tuned) steps rounded up to a multiple of 20, on both seeds; matched at Efficacy 90 for persons.
    expect(ga.trajectory.map((t) => t.forgetSeed)).toEqual([0, 1]);
    const steps = methodParams(getCard('ga'), false, 'person').find((p) => p.key === 'steps')!.default;
    const expected = Array.from({ length: Math.ceil((1.5 * steps) / 20) + 1 }, (_, i) => i * 20);
    for (const t of ga.trajectory) expect(t.points.map((p) => p.step)).toEqual(expected);
    expect(person.match.at).toBe(90);
    expect(ga.matched).toMatchObject({ at: 90, reached: expect.any(Number) });
    expect(ga.area!.perSeed).toHaveLength(2);
    expect(json.timings.filter((t) => t.label === 'GA').map((t) => t.timing.steps)).toEqual([steps, steps]);

    // --details: every run's full report and its path; the same numbers as the table.
    const full = JSON.parse(readFileSync(details, 'utf8')) as { runs: { label: string; forgetSeed: number; person: Record<string, number>; config: Record<string, unknown>; trajectory?: unknown }[] };
    expect(full.runs.map((r) => `${r.label}/${r.forgetSeed}`)).toEqual(['Finetune/0', 'GA/0', 'Finetune/1', 'GA/1']);
    for (const r of full.runs) for (const k of COLUMNS) expect(r.person[k]).toBe(person.rows.find((x) => x.label === r.label)!.columns[k].perSeed[r.forgetSeed]);
    expect(full.runs[1].config).toMatchObject({ method: 'ga', bgd: false, seed: 0, request: { target: 'person', personRatio: 0.05, forgetSeed: 0 } });
  }, 240_000);

  it('each seed\'s GA values are the report `pebench unlearn` gives for that forget seed alone', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const ga = json.tables.person!.rows[1];
    for (const seed of [0, 1]) {
      const result = await run(['unlearn', '--model', model, '--method', 'ga', '--target', 'person', '--forget-seed', String(seed), '--json', '--threads', '1']);
      expect(result.code, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as { person: Record<string, number>; n: { person: Record<string, number> } };
      for (const k of COLUMNS) {
        expect(ga.columns[k].perSeed[seed], `seed ${seed} ${k}`).toBe(report.person[k]);
        expect(ga.columns[k].n[seed], `seed ${seed} ${k}`).toBe(report.n.person[k]);
      }
    }
  }, 240_000);

  it('gives the same tables in one process (--workers 1) as spread over two worker threads (the default)', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const result = await run([...BENCH(), ...SEEDS, '--format', 'json', '--workers', '1']);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as BenchJson).tables).toEqual(json.tables);
  }, 240_000);

  it('writes the same numbers as long CSV with --out, and the trade-off plots with --plots', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const out = join(root, 'person.csv');
    const plots = join(root, 'plots');
    const result = await run([...BENCH(), ...SEEDS, '--format', 'csv', '--out', out, '--plots', plots]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(''); // the tables went to the file
    expect(result.stderr).toContain(`tables written to ${out}`);
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe('table,label,column,stat,value,n');
    const all = lines.map((l) => l.split(','));
    // The robustness summary's rows (robustness-<table>-<concept>) hold the JSON's robustness values.
    const robust = all.filter(([table]) => table.startsWith('robustness-'));
    expect(robust.length).toBeGreaterThan(0);
    for (const [table, label, column, stat, value] of robust) {
      expect(table).toBe('robustness-person-person');
      const row = json.robustness.person!.find((r) => r.label === label)!;
      if (stat === 'verdict') expect(value).toBe(row.verdict);
      else if (row[column] === null) expect(value, `${label} ${column}`).toBe('');
      else expect(Number(value), `${label} ${column}`).toBeCloseTo(row[column] as number, 10);
    }
    const cells = all.filter(([table]) => !table.startsWith('robustness-'));
    for (const [table, label, column, stat, value] of cells) {
      const row = json.tables.person!.rows.find((r) => r.label === label)!;
      expect(table).toBe('person');
      const summary = column in row.columns ? row.columns[column as (typeof COLUMNS)[number]] : column === 'frontierArea' ? row.area! : row.matched!.retain;
      const expected = stat === 'mean' ? summary.mean : stat === 'ci95_low' ? summary.ci95?.[0] : stat === 'ci95_high' ? summary.ci95?.[1] : summary.perSeed[Number(stat.slice(5))];
      if (expected === null || expected === undefined) expect(value, `${label} ${column} ${stat}`).toBe('');
      else expect(Number(value), `${label} ${column} ${stat}`).toBeCloseTo(expected, 10);
    }
    for (const file of ['person-retain.svg', 'person-scope.svg']) {
      const svg = readFileSync(join(plots, file), 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), file).toBe(true);
      expect(svg, file).toContain('data-label="GA"');
    }
  }, 240_000);

  it('prints the Markdown tables with mean ± half-width, the trade-off table, the timing and the machine; --json writes the same run as JSON', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const jsonFile = join(root, 'tables.json');
    const result = await run([...BENCH(), ...SEEDS, '--json', jsonFile]);
    expect(result.code, result.stderr).toBe(0);
    const again = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchJson;
    expect(again.config).toEqual(json.config);
    expect(again.tables.person!.rows.map((r) => r.columns)).toEqual(json.tables.person!.rows.map((r) => r.columns));
    const md = result.stdout;
    expect(md).toContain('| method | Efficacy | Generality | Retain | Scope | Real | World Fact |');
    const ga = json.tables.person!.rows[1];
    const line = md.split('\n').find((l) => l.startsWith('| GA | '))!;
    const hw = (s: Summary) => (s.ci95 ? ` ± ${((s.ci95[1] - s.ci95[0]) / 2).toFixed(1)}` : '');
    expect(line.split(' | ')[1]).toBe(`${ga.columns.efficacy.mean!.toFixed(1)}${hw(ga.columns.efficacy)}`);
    expect(md).toContain('95 % t-interval over 2 forget seeds (0, 1)');
    expect(md).toContain('| method | Retain at Efficacy 90 | seeds that reached it | area under the Efficacy-Retain frontier |');
    expect(md).toContain('### Person unlearning, forget seed 1: beyond the paper');
    expect(md).toContain('### Timing');
    expect(md).toMatch(/^Where the time went \(summed over the 2 workers, which ran side by side\): unlearning steps \d+ s/m);
    expect(md).toMatch(/^A run's trajectory .* adds, over the run's own time .*, a median of \d+ % \(\d+ %-\d+ %\); its points alone \d+ %/m);
    expect(md).toMatch(/^- person Goal, forget seed 0: no Goal model for this request/m);
    expect(md).toMatch(/^Total \d+ min \d+ s on .*cores, Node/m);
  }, 240_000);
});

/** Runs `pebench bench` in this process; returns the exit code and what went to stderr. */
async function refused(args: string[]): Promise<{ code: number; message: string }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    const code = await main(['bench', ...args]);
    return { code, message: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('pebench bench: refusals before any work', () => {
  const nowhere = () => join(root, 'no-such-model');

  it('names the valid formats, targets and methods', async () => {
    const format = await refused(['--format', 'xlsx', '--model', nowhere()]);
    expect(format.code).toBe(2);
    expect(format.message).toMatch('unknown --format "xlsx". Valid formats: md, json, csv');
    const target = await refused(['--targets', 'person,people', '--model', nowhere()]);
    expect(target.code).toBe(2);
    expect(target.message).toMatch('unknown target "people" in --targets. Valid targets: person, event, both');
    const seeds = await refused(['--forget-seeds', '0,x', '--model', nowhere()]);
    expect(seeds.code).toBe(2);
    expect(seeds.message).toMatch('--forget-seeds must be comma-separated integers from 0 to 4294967295');
    expect((await refused(['--forget-seeds', '1,1', '--model', nowhere()])).message).toMatch('--forget-seeds names a seed twice');
    const noTarget = await refused(['--targets', '', '--model', nowhere()]);
    expect(noTarget.message).toMatch('in --targets. Valid targets: person, event, both');
    const method = await refused(['--methods', 'ga,wizard', '--model', nowhere()]);
    expect(method.code).toBe(2);
    expect(method.message).toMatch(`unknown method "wizard" in --methods. Valid methods: ${METHOD_IDS.join(', ')}`);
  });

  it('refuses a ratio the world cannot take, and a missing --model folder', async () => {
    const ratio = await refused(['--model', model, '--targets', 'person', '--forget', '0.01']);
    expect(ratio.code).toBe(2);
    expect(ratio.message).toMatch('cannot make this forget request: personRatio 0.01 selects no persons in a world of 20 persons');
    const missing = await refused(['--model', nowhere()]);
    expect(missing.code).toBe(2);
    expect(missing.message).toMatch(`model folder ${nowhere()} does not exist`);
  });

  // A full bench takes ~15 minutes; an --out (or --details) file that cannot be written must be
  // refused up front, not after every row has run (the tables would be lost with a stack trace).
  it('refuses an --out or --details file in a folder that does not exist before running anything', async () => {
    for (const flag of ['--out', '--details']) {
      const file = join(root, 'missing-folder', 'tables.md');
      const result = await refused(['--model', model, '--targets', 'person', '--methods', 'ga', flag, file]);
      expect(result.code, flag).toBe(2);
      expect(result.message, flag).toMatch(join(root, 'missing-folder'));
    }
    const same = await refused(['--model', model, '--targets', 'person', '--out', join(root, 't.md'), '--json', join(root, 't.md')]);
    expect(same.code).toBe(2);
    expect(same.message).toMatch('--out and --json name the same file: give different files.');
  });
});
