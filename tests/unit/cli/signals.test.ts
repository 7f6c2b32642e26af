// SIGINT, SIGTERM and SIGHUP stop `pebench` cleanly, as a user's Ctrl-C, `kill` or a closed terminal
// would: real child processes, signalled while `pebench world` renders with its worker threads (exit
// 130 / 143 / 129, one stop line, no partial folder left) and while `pebench train` trains (it saves
// a checkpoint first). Plus the in-process pieces: clean-ups run newest first, and the stop line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onInterrupt, runCleanups, stopLine } from '../../../src/cli/interrupt.ts';
import { PEBENCH_BIN } from './pebench-process.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pebench-signals-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts `pebench args`, waits until `ready()` holds, sends `signal`; resolves with the exit code and stderr. */
async function interrupt(args: string[], ready: () => boolean, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string; sentAfterReady: boolean }> {
  const child = spawn(process.execPath, [PEBENCH_BIN, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  while (!ready() && child.exitCode === null) await sleep(20);
  const sentAfterReady = child.exitCode === null;
  child.kill(signal);
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { code, stderr, sentAfterReady };
}

const partials = () => readdirSync(root).filter((name) => name.includes('.partial-'));
const renderedImages = () => partials().some((p) => {
  try {
    return readdirSync(join(root, p, 'train', 'images')).length > 20;
  } catch {
    return false;
  }
});

describe('pebench world stopped by a signal', () => {
  // ~3,000 images: several seconds of rendering on two workers, so the signal lands mid-render.
  const big = ['world', '--persons', '100', '--events', '10', '--fresh', '2', '--workers', '2'];

  for (const [signal, code, said] of [['SIGINT', 130, 'SIGINT (Ctrl-C)'], ['SIGTERM', 143, 'SIGTERM'], ['SIGHUP', 129, 'SIGHUP (terminal closed)']] as const) {
    it(`${signal}: stops the workers, removes the partial folder, says so, exits ${code}`, async () => {
      const out = join(root, `world-${signal}`);
      const result = await interrupt([...big, '--out', out], renderedImages, signal);
      expect(result.sentAfterReady, 'the export finished before the signal').toBe(true);
      expect(result.code, result.stderr).toBe(code);
      const lines = result.stderr.trim().split('\n');
      expect(lines.at(-1)).toBe(`pebench world: stopped by ${said}; stopped 2 worker threads; removed the unfinished dataset; nothing was written to ${out}. Exit code ${code}.`);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(partials()).toEqual([]);
      expect(existsSync(out)).toBe(false);
    }, 60_000);
  }
});

describe('pebench train stopped by a signal', () => {
  it('SIGHUP: finishes the step, saves a checkpoint and exits 129', async () => {
    const out = join(root, 'train-hup');
    const checkpoint = join(out, '.checkpoint', 'state.bin');
    const args = ['train', '--out', out, '--persons', '6', '--events', '3', '--model-size', 'test', '--seq-len', '96', '--batch', '8',
      '--threads', '1', '--epochs', '200', '--checkpoint-every', '5', '--validate-every', '0'];
    const result = await interrupt(args, () => existsSync(checkpoint), 'SIGHUP');
    expect(result.sentAfterReady).toBe(true);
    expect(result.code, result.stderr).toBe(129);
    expect(result.stderr).toMatch(/SIGHUP \(terminal closed\): stopping after this step; saving a checkpoint/);
    expect(result.stderr).toMatch(/checkpoint saved in .*state\.bin\. Run the same command again to resume\./);
    expect(readdirSync(join(out, '.checkpoint'))).toEqual(['state.bin']); // no temporary file left
  }, 60_000);
});

describe('clean-ups', () => {
  it('run newest first, even when one unregisters itself meanwhile, and feed the stop line', async () => {
    const order: string[] = [];
    const forgetFolder = onInterrupt(() => {
      order.push('folder');
      return 'removed the unfinished dataset';
    });
    onInterrupt(async () => {
      order.push('workers');
      forgetFolder(); // what a command unwinding after its workers stopped does
      return 'stopped 2 worker threads';
    });
    const notes = await runCleanups();
    expect(order).toEqual(['workers', 'folder']);
    expect(stopLine('world', 'SIGTERM', notes)).toBe('pebench world: stopped by SIGTERM; stopped 2 worker threads; removed the unfinished dataset. Exit code 143.');
    expect(await runCleanups()).toEqual([]);
  });
});
