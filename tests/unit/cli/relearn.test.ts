// The relearning attack's flags (`pebench unlearn --relearn-steps K --relearn-on ...`, `pebench bench
// --relearn`): bad values are refused in-process with one line and exit 2 before any runtime is
// opened (openRuntime is mocked to fail here); a request with too few targets to split is refused
// once the model's world is known; a real run on a micro-world model (spawned) prints the `relearn`
// object and the robustness rows in its JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mainInProcess } from './in-process.ts';
import { relearnFromFlags } from '../../../src/cli/relearn-flags.ts';
import { MICRO_TRAIN, runPebench } from './pebench-process.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

let root: string;
let model: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-relearn-'));
  model = join(root, 'finetune');
  const trained = await runPebench(['train', '--out', model, ...MICRO_TRAIN], 120_000);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const nowhere = () => join(root, 'no-such-model');
const oneLine = (message: string) => expect(message.trim().split('\n')).toHaveLength(1);

describe('relearning attack flags: refusals', () => {
  it('refuses a step count outside 1-200 or not an integer', async () => {
    for (const bad of ['0', '201', '2.5', 'ten']) {
      const r = await mainInProcess(['unlearn', '--method', 'ga', '--model', nowhere(), '--relearn-steps', bad]);
      expect(r.code, bad).toBe(2);
      oneLine(r.message);
      expect(r.message, bad).toMatch(/--relearn-steps/);
    }
  });

  it('refuses an unknown --relearn-on, naming the valid values and what they mean', async () => {
    const r = await mainInProcess(['unlearn', '--method', 'ga', '--model', nowhere(), '--relearn-on', 'halves']);
    expect(r.code).toBe(2);
    oneLine(r.message);
    expect(r.message).toMatch(/--relearn-on must be one of generality, text .*got "halves"/);
  });

  it('takes half as another name of text (the issue\'s name): same settings, same refusal for events', () => {
    const persons = [{ target: 'person' as const, forgetSeed: 0, personRatio: 0.05 }];
    expect(relearnFromFlags({ 'relearn-on': 'half' }, persons)).toEqual(relearnFromFlags({ 'relearn-on': 'text' }, persons));
    expect(relearnFromFlags({ 'relearn-on': 'half' }, persons)).toMatchObject({ on: 'text', steps: 10 });
    expect(() => relearnFromFlags({ 'relearn-on': 'half' }, [{ target: 'event', forgetSeed: 0, eventRatio: 0.05 }])).toThrow(/events have no text-only facts/);
  });

  it('refuses text-only relearning for events, which have no text facts', async () => {
    const r = await mainInProcess(['unlearn', '--method', 'ga', '--target', 'event', '--model', nowhere(), '--relearn-on', 'text']);
    expect(r.code).toBe(2);
    oneLine(r.message);
    expect(r.message).toMatch(/events have no text-only facts/);
  });

  it('bench: refuses --relearn-steps or --relearn-on without --relearn, and bad values with it', async () => {
    const alone = await mainInProcess(['bench', '--model', nowhere(), '--relearn-steps', '5']);
    expect(alone.code).toBe(2);
    oneLine(alone.message);
    expect(alone.message).toMatch(/--relearn-steps and --relearn-on need --relearn/);
    const bad = await mainInProcess(['bench', '--model', nowhere(), '--relearn', '--relearn-on', 'images', '--targets', 'person']);
    expect(bad.code).toBe(2);
    expect(bad.message).toMatch(/--relearn-on must be one of generality, text/);
    const events = await mainInProcess(['bench', '--model', nowhere(), '--relearn', '--relearn-on', 'text', '--targets', 'person,event']);
    expect(events.code).toBe(2);
    expect(events.message).toMatch(/--target event: .*events have no text-only facts/);
  });
});

describe('relearning attack on a micro-world model', () => {
  // 20 persons x 20 events: persons 5% is one target (cannot be split), events 10% are two.
  it('refuses a request with one target of a concept once the world is known', async () => {
    const r = await runPebench(['unlearn', '--model', model, '--threads', '1', '--method', 'ga', '--steps', '1', '--relearn-steps', '2'], 120_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/needs at least 2 person targets .* has 1/);
    expect(r.stdout).toBe('');
  }, 120_000);

  it('prints the relearn object and the robustness rows', async () => {
    const r = await runPebench(['unlearn', '--model', model, '--threads', '1', '--json', '--method', 'ga', '--target', 'event', '--forget', '0.1', '--steps', '2', '--relearn-steps', '2'], 180_000);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout.trim());
    const relearn = json.relearn;
    expect(relearn).toMatchObject({ steps: 2, on: 'generality', relearnTargets: [{ concept: 'event' }], heldOutTargets: [{ concept: 'event' }] });
    expect(relearn.n.event).toBeGreaterThan(0);
    for (const side of ['efficacyBefore', 'efficacyAfter']) {
      expect(relearn[side].event).toBeGreaterThanOrEqual(0);
      expect(relearn[side].event).toBeLessThanOrEqual(1);
    }
    expect(relearn.forgetNll).toHaveLength(2);
    expect(relearn.goal.unavailable).toMatch(/no Goal model/);
    expect(json.robustness).toEqual([expect.objectContaining({ label: 'GA', concept: 'event', relearned: relearn.efficacyAfter.event, verdict: 'unknown' })]);
  }, 180_000);

  it('bench --relearn attacks every row and puts the values after relearning in its robustness summary', async () => {
    const r = await runPebench(['bench', '--model', model, '--threads', '1', '--format', 'json', '--targets', 'event', '--forget', '0.1', '--methods', 'ga',
      '--forget-seeds', '0', '--trajectory-every', '0', '--relearn', '--relearn-steps', '2'], 240_000);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.config.relearn).toEqual({ steps: 2, on: 'generality' });
    expect(json.robustness.relearn).toEqual({ steps: 2, on: 'generality' });
    const rows = json.robustness.event as { label: string; relearned: number | null }[];
    expect(rows.map((x) => x.label)).toEqual(['Finetune', 'GA']);
    for (const row of rows) expect(typeof row.relearned).toBe('number');
  }, 240_000);
});
