// `pebench unlearn` as a user runs it: on a micro-world model trained in beforeAll (20 persons x 20
// events, test-size model, ~15 s), real runs print one JSON report on the paper's scales with its
// sample sizes, config and timing, replay bit for bit from the same seeds, and --save writes a model
// folder `pebench eval` loads. Bad input is refused in-process with a message that says what is valid,
// before any runtime is opened (openRuntime is mocked to fail here; spawned runs use the real one).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MICRO_TRAIN, runPebench } from './pebench-process.ts';
import { main } from '../../../src/cli/main.ts';
import { TEST_CONFIG } from '../../../src/model/config.ts';
import { METHOD_IDS } from '../../../src/unlearning/cards.ts';

// Refusals must come before the heavy work: opening the runtime in this process is a test failure.
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

// 20 persons x 20 events: persons 5% -> 1 person, events 10% -> 2 events (persons 1% selects none).

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pebench-unlearn-'));
  model = join(root, 'finetune');
  const trained = await run(['train', '--out', model, ...MICRO_TRAIN]);
  expect(trained.code, trained.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `pebench unlearn` in this process; returns the exit code and what went to stderr. */
async function refused(args: string[]): Promise<{ code: number; message: string }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    const code = await main(['unlearn', ...args]);
    return { code, message: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

describe('pebench unlearn: refusals before any work', () => {
  const nowhere = () => join(root, 'no-such-model');

  it('needs a known method and lists the valid ones', async () => {
    const missing = await refused(['--target', 'person']);
    expect(missing.code).toBe(2);
    expect(missing.message).toMatch(`--method is required. Valid methods: ${METHOD_IDS.join(', ')}`);
    // Checked before the model folder is even opened (a missing --model is not what is reported).
    const unknown = await refused(['--method', 'wizard', '--model', nowhere()]);
    expect(unknown.code).toBe(2);
    expect(unknown.message).toMatch(`unknown method "wizard". Valid methods: ${METHOD_IDS.join(', ')}`);
    const flag = await refused(['--method', 'ga', '--omega', '1']);
    expect(flag.code).toBe(2);
    expect(flag.message).toMatch('unknown option --omega. Valid options: --method, ');
    // The method parameters' flags come from the registry.
    for (const name of ['--steps', '--lr', '--lambda', '--beta', '--bgd-smoothing', '--lora-rank', '--gamma', '--layer', '--steer', '--alpha', '--kl-weight']) {
      expect(flag.message).toContain(`${name},`);
    }
    // Another method's parameter is known, but not one of this method's.
    const other = await refused(['--method', 'ga', '--alpha', '1']);
    expect(other.code).toBe(2);
    expect(other.message).toMatch('--alpha is not a parameter of ga');
  });

  it('names the valid targets and refuses ratios the world cannot take', async () => {
    const target = await refused(['--method', 'ga', '--model', model, '--target', 'people']);
    expect(target.code).toBe(2);
    expect(target.message).toMatch('unknown --target "people". Valid targets: person, event, both');
    const none = await refused(['--method', 'ga', '--model', model, '--target', 'person', '--forget', '0.01']);
    expect(none.code).toBe(2);
    expect(none.message).toMatch('cannot make this forget request: personRatio 0.01 selects no persons in a world of 20 persons');
    const notAllowed = await refused(['--method', 'ga', '--model', model, '--target', 'event', '--forget', '0.01']);
    expect(notAllowed.message).toMatch('cannot make this forget request: eventRatio must be one of 0.05, 0.1, got 0.01');
    const odd = await refused(['--method', 'ga', '--model', model, '--target', 'person', '--forget', '0.3']);
    expect(odd.message).toMatch('personRatio must be one of 0.01, 0.05, 0.1, got 0.3');
    const text = await refused(['--method', 'ga', '--model', model, '--forget', 'half']);
    expect(text.message).toMatch('--forget "half" is not a ratio');
    const two = await refused(['--method', 'ga', '--model', model, '--target', 'person', '--forget', '0.05,0.1']);
    expect(two.message).toMatch('--forget takes one ratio for --target person');
    // With every allowed ratio (at most 10%) "selects every target" cannot happen on any world:
    // round(0.1 * n) < n for every n >= 1, so only "selects none" is reachable from the CLI.
  });

  it("refuses a parameter the method does not take, naming the method's parameters", async () => {
    const beta = await refused(['--method', 'ga', '--beta', '0.5', '--model', nowhere()]);
    expect(beta.code).toBe(2);
    expect(beta.message).toMatch('--beta is not a parameter of ga; its parameters: --steps, --lr, --batch, --lora-rank');
    const lambda = await refused(['--method', 'ga', '--lambda', '1', '--model', nowhere()]);
    expect(lambda.message).toMatch('--lambda is not a parameter of ga');
    const smoothing = await refused(['--method', 'npo', '--bgd-smoothing', '0.5', '--model', nowhere()]);
    expect(smoothing.message).toMatch('--bgd-smoothing is not a parameter of npo without --bgd; its parameters: --steps, --lr, --batch, --lora-rank, --beta, --lambda');
  });

  it('refuses out-of-range values with the valid range', async () => {
    const lr = await refused(['--method', 'npo', '--lr', '5', '--model', nowhere()]);
    expect(lr.code).toBe(2);
    expect(lr.message).toMatch('lr (--lr) must be a number from 0.000001 to 0.1, got 5');
    const steps = await refused(['--method', 'gd', '--steps', '0', '--model', nowhere()]);
    expect(steps.message).toMatch('steps (--steps) must be an integer from 1 to 1000, got 0');
    const beta = await refused(['--method', 'dpo', '--beta', '100', '--model', nowhere()]);
    expect(beta.message).toMatch('beta (--beta) must be a number from 0.01 to 10, got 100');
    const notNumber = await refused(['--method', 'gd', '--lr', 'fast']);
    expect(notNumber.message).toMatch('--lr must be a number, got "fast"');
  });

  it('allows --bgd only for joint requests and methods with a BGD form', async () => {
    const person = await refused(['--method', 'gd', '--bgd', '--target', 'person', '--model', nowhere()]);
    expect(person.code).toBe(2);
    expect(person.message).toMatch('--bgd balances person and event forgetting: use it with --target both');
    const ga = await refused(['--method', 'ga', '--bgd', '--target', 'both', '--model', nowhere()]);
    expect(ga.code).toBe(2);
    expect(ga.message).toMatch('ga cannot be combined with BGD; methods with a BGD form: gd, kl, npo');
  });

  it('refuses --save into an existing folder (leaving it untouched) or under a missing parent', async () => {
    const existing = join(root, 'existing');
    mkdirSync(existing);
    writeFileSync(join(existing, 'notes.txt'), 'keep me');
    const before = statSync(join(existing, 'notes.txt')).mtimeMs;
    const taken = await refused(['--method', 'ga', '--model', model, '--save', existing]);
    expect(taken.code).toBe(2);
    expect(taken.message).toMatch(`--save ${existing} already exists: choose a new folder (nothing is overwritten)`);
    expect(readdirSync(existing)).toEqual(['notes.txt']);
    expect(readFileSync(join(existing, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(statSync(join(existing, 'notes.txt')).mtimeMs).toBe(before);

    const orphan = join(root, 'missing-parent', 'unlearned');
    const parent = await refused(['--method', 'ga', '--model', model, '--save', orphan]);
    expect(parent.code).toBe(2);
    expect(parent.message).toMatch(`its parent folder ${join(root, 'missing-parent')} does not exist`);
    expect(existsSync(join(root, 'missing-parent'))).toBe(false);
  });

  it('keeps --last-blocks within the decoder, and names a missing --model folder', async () => {
    const negative = await refused(['--method', 'ga', '--last-blocks', '-1', '--model', nowhere()]);
    expect(negative.code).toBe(2);
    expect(negative.message).toMatch('--last-blocks must be at least 0, got -1');
    const layers = TEST_CONFIG.decoder.layers;
    const tooMany = await refused(['--method', 'ga', '--last-blocks', String(layers + 1), '--model', model]);
    expect(tooMany.code).toBe(2);
    expect(tooMany.message).toMatch(`--last-blocks must be an integer from 0 (LoRA) to ${layers} (the decoder's blocks), got ${layers + 1}`);
    const missing = await refused(['--method', 'ga', '--model', nowhere()]);
    expect(missing.code).toBe(2);
    expect(missing.message).toMatch(`model folder ${nowhere()} does not exist: check --model`);
  });
});

type Columns = Record<'efficacy' | 'generality' | 'retain' | 'scope' | 'real' | 'worldFact', number>;
interface UnlearnJson {
  person?: Columns;
  event?: Columns;
  n: Record<string, Record<string, number>>;
  unavailable: Record<string, Record<string, string>>;
  extra: Record<string, unknown> & {
    forgetPersons: number[];
    forgetEvents: number[];
    crossConcept: { concept: string; id: number; own: number; ownN: number; other: number; otherN: number }[];
    answerProbability: { forget: number };
  };
  config: { method: string; bgd: boolean; settings: Record<string, number>; request: Record<string, unknown>; seed: number; goal: Record<string, unknown> };
  timing: { prepareSeconds: number; stepsSeconds: number; evalSeconds: number; steps: number };
  saved?: string;
}

const COLUMNS = ['efficacy', 'generality', 'retain', 'scope', 'real', 'worldFact'] as const;
const withoutTiming = ({ timing: _timing, ...rest }: UnlearnJson) => rest;

/** Runs `pebench unlearn --json` on the micro model (one thread: bit-reproducible). */
async function unlearn(args: string[]): Promise<UnlearnJson> {
  const result = await run(['unlearn', '--model', model, '--threads', '1', '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1); // one JSON object, nothing else on stdout
  return JSON.parse(lines[0]) as UnlearnJson;
}

/** Sample-size-weighted mean of the cross-concept `own` scores of one concept's targets. */
const ownMean = (report: UnlearnJson, concept: string): number => {
  const rows = report.extra.crossConcept.filter((t) => t.concept === concept);
  return rows.reduce((s, t) => s + t.own * t.ownN, 0) / rows.reduce((s, t) => s + t.ownN, 0);
};

describe('pebench unlearn on a micro-world model', () => {
  it('prints one JSON report on the paper scales, with n, extras, config and timing; same seeds give the same report', async () => {
    const args = ['--method', 'npo', '--target', 'person', '--forget', '0.05', '--steps', '3'];
    const report = await unlearn(args);
    expect(report.event).toBeUndefined();
    expect(report.extra.forgetPersons).toHaveLength(1);
    expect(report.extra.forgetEvents).toEqual([]);
    const person = report.person!;
    for (const k of COLUMNS) {
      expect(typeof person[k], k).toBe('number');
      expect(person[k], k).toBeGreaterThanOrEqual(0);
      expect(person[k], k).toBeLessThanOrEqual(k === 'scope' ? 1 : 100);
      expect(report.n.person[k], k).toBeGreaterThan(0);
    }
    // The scales, cross-checked against the report's own raw parts: Efficacy is 100 - name precision
    // (0-100) on the forget items, Scope the event score (0-1) on the target's images.
    expect(person.efficacy).toBeCloseTo(100 - ownMean(report, 'person'), 9);
    expect(person.scope).toBeCloseTo(report.extra.crossConcept[0].other, 12);
    // A 4-epoch micro model knows some of its world: a 0-1 scale here would stay below 1.
    expect(Math.max(person.retain, person.real, person.worldFact)).toBeGreaterThan(1);
    expect(report.unavailable.person).toEqual({});

    // No Goal model exists for the micro world: its metrics are unavailable with the reason, never 0.
    for (const metric of ['forgetQuality', 'privLeak']) {
      expect(report.extra[metric], metric).toEqual({ unavailable: expect.stringMatching(/^no Goal model: .*--retain-only person:0\.05 --forget-seed 0/) });
    }
    expect(report.config.goal).toEqual({ unavailable: expect.stringMatching(/no Goal model for this request/) });
    // The metrics that need no Goal model are there.
    expect(report.extra.answerProbability.forget).toBeGreaterThan(0);
    expect(report.extra.membership).toMatchObject({ n: { members: expect.any(Number), nonMembers: expect.any(Number) } });

    expect(report.config).toMatchObject({
      method: 'npo', bgd: false, seed: 0, request: { target: 'person', personRatio: 0.05, forgetSeed: 0 },
      settings: { steps: 3, lr: expect.any(Number), beta: expect.any(Number), lambda: expect.any(Number) },
    });
    expect(report.timing.steps).toBe(3);
    expect(report.timing.evalSeconds).toBeGreaterThan(0);

    const again = await unlearn(args);
    expect(withoutTiming(again)).toEqual(withoutTiming(report));
    // ...and the seed matters (so the equality above is not vacuous).
    const otherSeed = await unlearn([...args, '--seed', '1']);
    expect(otherSeed.config.seed).toBe(1);
    expect(otherSeed.extra.answerProbability.forget).not.toBe(report.extra.answerProbability.forget);
  }, 120_000);

  it('forgets events (0-1 columns) and saves a model folder that `pebench eval` loads', async () => {
    const saved = join(root, 'unlearned-events');
    const report = await unlearn(['--method', 'ga', '--target', 'event', '--forget', '0.1', '--steps', '3', '--save', saved]);
    expect(report.person).toBeUndefined();
    expect(report.extra.forgetEvents).toHaveLength(2);
    const event = report.event!;
    for (const k of COLUMNS) {
      expect(event[k], k).toBeGreaterThanOrEqual(0);
      expect(event[k], k).toBeLessThanOrEqual(k === 'scope' || k === 'worldFact' ? 100 : 1);
    }
    expect(event.efficacy).toBeCloseTo(1 - ownMean(report, 'event'), 9);
    expect(report.saved).toBe(saved);

    const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { modelHash: string; meta: Record<string, unknown> };
    const finetuneHash = manifest(model).modelHash;
    const savedManifest = manifest(saved);
    expect(savedManifest.meta).toMatchObject({ kind: 'unlearned', from: finetuneHash, unlearning: { method: 'ga', request: { target: 'event', eventRatio: 0.1 } } });
    expect(savedManifest.modelHash).not.toBe(finetuneHash); // the unlearned weights, not a copy

    const evaluated = await run(['eval', '--model', saved, '--json', '--images', '10', '--persons', '5', '--threads', '1']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout)).toMatchObject({ model: saved, modelHash: savedManifest.modelHash, train: { n: expect.any(Number) } });
  }, 120_000);

  it('ends its Markdown report with the robustness summary, also without the relearning attack', async () => {
    const result = await run(['unlearn', '--model', model, '--threads', '1', '--method', 'ga', '--steps', '2']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('### Forgotten or hidden?');
    expect(result.stdout).toMatch(/\| GA \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| n\/a \| unknown \|/);
    expect(result.stdout).toMatch(/cannot tell without the Goal model's values/);
  }, 120_000);

  it('forgets persons and events together with GD+BGD, reporting both concepts', async () => {
    const report = await unlearn(['--method', 'gd', '--bgd', '--target', 'both', '--forget', '0.05,0.1', '--steps', '3']);
    expect(report.extra.forgetPersons).toHaveLength(1);
    expect(report.extra.forgetEvents).toHaveLength(2);
    const { person, event } = report as Required<UnlearnJson>;
    expect(Object.keys(report.n).sort()).toEqual(['event', 'person']);
    // The same utility answers on the two scales: Real is 0-100 for persons and 0-1 for events.
    expect(person.real / 100).toBeCloseTo(event.real, 12);
    expect(person.worldFact).toBeCloseTo(event.worldFact, 12);
    expect(report.config).toMatchObject({
      method: 'gd', bgd: true, request: { target: 'both', personRatio: 0.05, eventRatio: 0.1 }, settings: { bgdSmoothing: expect.any(Number) },
    });
  }, 120_000);
});
