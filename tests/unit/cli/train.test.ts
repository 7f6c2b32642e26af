// `pebench train` and `pebench eval` as a user runs them (real child processes): a micro-world
// model learns well above chance in seconds, an interrupted run (Ctrl-C or a crash) resumes from
// its checkpoint and ends with exactly the weights of an uninterrupted run, and bad input is refused
// with a message that says what to do.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPebench } from './pebench-process.ts';
import { createWorld, textFactsFor } from '../../../src/world/index.ts';

const bin = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pebench-train-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (args: string[]) => runPebench(args, 150_000);

// 6 persons x 3 events, the test-sized model, one thread (bit-reproducible runs).
const micro = ['--persons', '6', '--events', '3', '--model-size', 'test', '--seq-len', '96', '--batch', '8', '--lr', '3e-3', '--warmup', '20', '--threads', '1',
  '--identity-wordings', '3', '--event-wordings', '3'];
const modelHash = (dir: string) => (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { modelHash: string }).modelHash;

describe('pebench train + eval on a micro-world', () => {
  it('trains well above chance in seconds and eval reports it per question type', async () => {
    const out = join(root, 'micro');
    const started = performance.now();
    const trained = await run(['train', '--out', out, ...micro, '--epochs', '60', '--validate-every', '300']);
    const seconds = (performance.now() - started) / 1000;
    expect(trained.code, trained.stderr).toBe(0);
    expect(seconds).toBeLessThan(120);
    expect(trained.stderr).toMatch(/\[step 300\] validation: fresh identity/);
    expect(existsSync(join(out, '.checkpoint'))).toBe(false);
    const log = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8'));
    expect(log.steps).toBe(log.stepsThisRun);
    expect(log.tokensPerSecond).toBeGreaterThan(0);

    const evaluated = await run(['eval', '--model', out, '--json', '--images', '18', '--persons', '6', '--threads', '1']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    for (const set of ['train', 'fresh', 'heldOutParaphrase']) {
      expect(Object.keys(report[set])).toEqual(expect.arrayContaining(['identity', 'eventName', 'eventScore', 'attributes', 'objects', 'n']));
      expect(report[set].n).toBeGreaterThan(50);
    }
    // Chance: 1 in 6 persons, 1 in 3 events; text facts must be recalled word for word.
    expect(report.train.identity).toBeGreaterThan(0.4);
    expect(report.train.eventName).toBeGreaterThan(0.8);
    expect(report.fresh.eventName).toBeGreaterThan(0.8);
    expect(report.textOnly).toBeGreaterThan(0.8);
    expect(report.textOnlyN).toBe(6 * textFactsFor(createWorld({ persons: 6, events: 3 }), 0).filter((f) => !f.heldOut).length);
  }, 150_000);

  it('resumes after Ctrl-C and after a crash, ending with the weights of an uninterrupted run', async () => {
    const args = [...micro, '--epochs', '12', '--checkpoint-every', '10', '--validate-every', '0'];
    const straight = join(root, 'straight');
    expect((await run(['train', '--out', straight, ...args])).code).toBe(0);

    const interrupted = join(root, 'interrupted');
    const checkpoint = join(interrupted, '.checkpoint', 'state.bin');
    const stopWith = async (signal: NodeJS.Signals) => {
      const child = spawn(process.execPath, [bin, 'train', '--out', interrupted, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const before = existsSync(checkpoint) ? statSync(checkpoint).mtimeMs : 0;
      while (!(existsSync(checkpoint) && statSync(checkpoint).mtimeMs > before) && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
      return { code, stderr };
    };
    const ctrlC = await stopWith('SIGINT');
    expect(ctrlC.code).toBe(130);
    expect(ctrlC.stderr).toMatch(/Run the same command again to resume/);
    const crash = await stopWith('SIGKILL');
    expect(crash.code).toBe(null);
    expect(existsSync(checkpoint)).toBe(true);

    const resumed = await run(['train', '--out', interrupted, ...args]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const at = Number(/resuming at step (\d+)/.exec(resumed.stderr)?.[1]);
    expect(at % 10).toBe(0); // a crash loses at most one checkpoint interval
    const log = JSON.parse(readFileSync(join(interrupted, 'training.json'), 'utf8'));
    expect(log.resumedFrom).toBe(at);
    expect(log.stepsThisRun).toBe(log.steps - at);
    expect(modelHash(interrupted)).toBe(modelHash(straight));
  }, 150_000);

  it('refuses to resume with different settings, to overwrite a model, and corrupt checkpoints', async () => {
    const out = join(root, 'guarded');
    const args = [...micro, '--epochs', '2', '--checkpoint-every', '5', '--keep-checkpoint'];
    expect((await run(['train', '--out', out, ...args])).code).toBe(0);
    // A kept checkpoint: resuming it with other settings names the difference...
    const changed = await run(['train', '--out', out, ...micro, '--epochs', '2', '--lr', '1e-3']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(/settings\.lr: 0\.003 -> 0\.001/);
    expect(changed.stderr).toMatch(/--force/);
    // ...with the same settings it resumes and exports again.
    const again = await run(['train', '--out', out, ...args.filter((a) => a !== '--keep-checkpoint')]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming at step \d+/);

    expect(existsSync(join(out, '.checkpoint'))).toBe(false); // removed once training completed
    const overwrite = await run(['train', '--out', out, ...args]);
    expect(overwrite.code).toBe(2);
    expect(overwrite.stderr).toMatch(/already holds a trained model/);

    const corrupt = join(root, 'corrupt');
    expect((await run(['train', '--out', corrupt, ...micro, '--epochs', '1', '--keep-checkpoint'])).code).toBe(0);
    writeFileSync(join(corrupt, '.checkpoint', 'state.bin'), 'not a checkpoint');
    const broken = await run(['train', '--out', corrupt, ...micro, '--epochs', '1']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/state\.bin is not a usable checkpoint.*--force/s);
    expect((await run(['train', '--out', corrupt, ...micro, '--epochs', '1', '--force'])).code).toBe(0);
  }, 150_000);

  it('explains bad flags before training', async () => {
    const out = join(root, 'bad');
    const spec = await run(['train', '--out', out, ...micro, '--retain-only', 'people:5']);
    expect(spec.code).toBe(2);
    expect(spec.stderr).toMatch(/Valid forms: persons \| events \| joint/);
    const inherited = await run(['train', '--out', out, ...micro, '--retain-only', 'constructor']);
    expect(inherited.code).toBe(2);
    expect(inherited.stderr).toMatch(/unknown forget spec "constructor"\. Valid forms: persons/);
    const size = await run(['train', '--out', out, '--model-size', 'huge']);
    expect(size.stderr).toMatch(/modelSize must be one of default, test/);
    const nowhere = await run(['train', '--out', join(root, 'missing', 'model'), ...micro]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/missing does not exist: create it first/);
    const procfs = await run(['train', '--out', '/proc/pebench-model', ...micro]);
    expect(procfs.code).toBe(2);
    expect(procfs.stderr).toMatch(/cannot create \/proc\/pebench-model/);
    const noOut = await run(['train']);
    expect(noOut.stderr).toMatch(/--out DIR is required/);
    const ratio = await run(['train', '--out', out, ...micro, '--retain-only', 'person:0.5']);
    expect(ratio.stderr).toMatch(/personRatio must be one of 0\.01, 0\.05, 0\.1/);
    const goal = await run(['train', '--out', out, ...micro, '--persons', '20', '--retain-only', 'person:0.1', '--epochs', '1']);
    expect(goal.code, goal.stderr).toBe(0);
    expect(goal.stderr).toMatch(/Goal: without 2 persons, 0 events/);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).meta.kind).toBe('goal');
  }, 150_000);
});
