// Shared by the tests that run `pebench` as a user does: in a child process (worker threads hang
// inside vitest), with its exit code and output; and the micro world those tests train a model on.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PEBENCH_BIN = fileURLToPath(new URL('../../../bin/pebench.mjs', import.meta.url));

export interface PebenchRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/pebench.mjs ...args`; resolves (never rejects) with the exit code and output. */
export function runPebench(args: readonly string[], timeoutMs = 120_000): Promise<PebenchRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [PEBENCH_BIN, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** 20 persons x 20 events: persons 5% selects 1 person, events 5% one event and 10% two (persons 1% none). */
export const MICRO_WORLD = ['--persons', '20', '--events', '20'] as const;

/** `pebench train` flags for the micro world's test-size model (~15 s on 2 cores, one thread: reproducible). */
export const MICRO_TRAIN = [
  ...MICRO_WORLD, '--model-size', 'test', '--seq-len', '96', '--batch', '8', '--lr', '3e-3', '--warmup', '20', '--epochs', '4',
  '--validate-every', '0', '--threads', '1', '--identity-wordings', '6', '--event-wordings', '6',
] as const;
