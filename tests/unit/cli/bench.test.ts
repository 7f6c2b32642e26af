// `pebench bench` as a user runs it, on a micro-world model trained in beforeAll (20 persons x 20
// events, test-size model, ~15 s): the person table in JSON, CSV and Markdown holds Finetune then GA,
// no Goal row (the micro world has no Goal model) but a line saying why, and its GA row equals what
// `pebench unlearn` reports for the same request and seeds. Bad flags are refused in-process, before
// any runtime opens (openRuntime is mocked to fail here; spawned runs use the real one).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MICRO_TRAIN, runPebench } from './pebench-process.ts';
import { main } from '../../../src/cli/main.ts';
import { METHOD_IDS } from '../../../src/unlearning/cards.ts';

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
type Row = Record<(typeof COLUMNS)[number], number> & { label: string; n: Record<string, number> };
interface BenchJson {
  tables: { person: Row[]; event: Row[]; joint: Row[] };
  timings: { target: string; label: string; timing: { steps?: number; evalSeconds: number } }[];
  problems: string[];
  seconds: number;
  machine: string;
}

describe('pebench bench on a micro-world model', () => {
  let json: BenchJson;

  it('prints the person table as JSON: Finetune, then GA, and why there is no Goal row', async () => {
    const details = join(root, 'details.json');
    const result = await run([...BENCH(), '--format', 'json', '--details', details]);
    expect(result.code, result.stderr).toBe(0);
    json = JSON.parse(result.stdout) as BenchJson;
    expect(json.tables.person.map((r) => r.label)).toEqual(['Finetune', 'GA']);
    expect(json.tables.event).toEqual([]);
    expect(json.tables.joint).toEqual([]);
    for (const row of json.tables.person) {
      for (const k of COLUMNS) {
        expect(row[k], `${row.label} ${k}`).toBeGreaterThanOrEqual(0);
        expect(row[k], `${row.label} ${k}`).toBeLessThanOrEqual(k === 'scope' ? 1 : 100);
        expect(row.n[k], `${row.label} ${k}`).toBeGreaterThan(0);
      }
    }
    // Every row is asked the same evaluation items.
    expect(json.tables.person[1].n).toEqual(json.tables.person[0].n);
    expect(json.problems).toEqual([expect.stringMatching(/^person Goal: no Goal model for this request .*--retain-only person:0\.05 --forget-seed 0/)]);
    expect(result.stderr).toContain(`pebench bench: ${json.problems[0]}`);
    expect(json.timings.map((t) => t.label)).toEqual(['Finetune', 'GA']);
    expect(json.timings[1].timing.steps).toBeGreaterThan(0);
    expect(json.seconds).toBeGreaterThan(0);

    // --details: every row's full report, the same numbers as the table.
    const full = JSON.parse(readFileSync(details, 'utf8')) as { rows: { label: string; person: Record<string, number>; config: Record<string, unknown> }[] };
    expect(full.rows.map((r) => r.label)).toEqual(['Finetune', 'GA']);
    for (const [i, row] of full.rows.entries()) for (const k of COLUMNS) expect(row.person[k]).toBe(json.tables.person[i][k]);
    expect(full.rows[1].config).toMatchObject({ method: 'ga', bgd: false, seed: 0, request: { target: 'person', personRatio: 0.05 } });
  }, 120_000);

  it('its GA row is the report `pebench unlearn` gives for the same request and seeds', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const result = await run(['unlearn', '--model', model, '--method', 'ga', '--target', 'person', '--json', '--threads', '1']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { person: Record<string, number>; n: { person: Record<string, number> } };
    const ga = json.tables.person[1];
    for (const k of COLUMNS) {
      expect(ga[k], k).toBe(report.person[k]);
      expect(ga.n[k], k).toBe(report.n.person[k]);
    }
  }, 120_000);

  it('writes the same table as CSV with --out', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const out = join(root, 'person.csv');
    const result = await run([...BENCH(), '--format', 'csv', '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(''); // the tables went to the file
    expect(result.stderr).toContain(`tables written to ${out}`);
    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header).toBe('table,label,column,value,n');
    const cells = lines.map((l) => l.split(','));
    expect(cells.map(([table, label]) => `${table} ${label}`)).toEqual([...COLUMNS.map(() => 'person Finetune'), ...COLUMNS.map(() => 'person GA')]);
    for (const [table, label, column, value, n] of cells) {
      const row = json.tables[table as 'person'].find((r) => r.label === label)!;
      expect(Number(value), `${label} ${column}`).toBe(row[column as (typeof COLUMNS)[number]]);
      expect(Number(n)).toBe(row.n[column]);
    }
  }, 120_000);

  it('prints the Markdown table with the timing, the missing Goal row explained, and the machine', async () => {
    expect(json, 'needs the JSON bench above').toBeDefined();
    const result = await run(BENCH());
    expect(result.code, result.stderr).toBe(0);
    const md = result.stdout;
    expect(md).toContain('### Person unlearning');
    expect(md).toContain('| method | Efficacy | Generality | Retain | Scope | Real | World Fact |');
    // The first section is the paper's table (an extras table for the same rows follows it).
    const table = md.split('### ').find((section) => section.startsWith('Person unlearning\n'))!;
    const rows = table.split('\n').filter((l) => /^\| (Finetune|GA|Goal) \|/.test(l));
    expect(md).toContain('### Person unlearning: beyond the paper');
    expect(rows.map((l) => l.split('|')[1].trim())).toEqual(['Finetune', 'GA']);
    // Person columns with 2 decimals (0-100), Scope with 3 (0-1), as the JSON values.
    const ga = json.tables.person[1];
    expect(rows[1]).toBe(`| GA | ${COLUMNS.map((k) => ga[k].toFixed(k === 'scope' ? 3 : 2)).join(' | ')} |`);
    expect(md).not.toContain('### Event unlearning');
    expect(md).toContain('### Timing');
    expect(md).toMatch(/^- person Goal: no Goal model for this request/m);
    expect(md).toMatch(/^Total \d+ min \d+ s on .*cores, Node/m);
  }, 120_000);
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
    const noTarget = await refused(['--targets', '', '--model', nowhere()]);
    expect(noTarget.message).toMatch('in --targets. Valid targets: person, event, both');
    const method = await refused(['--methods', 'ga,rmu', '--model', nowhere()]);
    expect(method.code).toBe(2);
    expect(method.message).toMatch(`unknown method "rmu" in --methods. Valid methods: ${METHOD_IDS.join(', ')}`);
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
  });
});
