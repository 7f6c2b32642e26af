// No raw stack trace reaches a user: whatever a command throws (a plain bug, a system error such as
// a full disk, an error from a worker thread) main() prints one line that says what happened and
// what to do and returns non-zero; --debug adds the stack. In-process, with a stand-in command.
import { afterEach, describe, expect, it } from 'vitest';
import { CliError } from '../../../src/cli/args.ts';
import { COMMANDS, type Command } from '../../../src/cli/commands.ts';
import { describeFailure } from '../../../src/cli/failure.ts';
import { WorkerError } from '../../../src/cli/pool.ts';
import { mainInProcess } from './in-process.ts';

let thrown: unknown = null;
const boom: Command = { name: 'boom', summary: 'throws what the test says', help: 'boom', run: async () => Promise.reject(thrown) };

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  COMMANDS.push(boom);
  try {
    const { code, message } = await mainInProcess(argv);
    return { code, stderr: message };
  } finally {
    COMMANDS.splice(COMMANDS.indexOf(boom), 1);
  }
}
afterEach(() => {
  thrown = null;
});

describe('the top-level error handler', () => {
  it('prints one line for an unexpected error, and the stack only with --debug', async () => {
    thrown = new TypeError("Cannot read properties of undefined (reading 'dims')");
    const plain = await run(['boom', '--some-flag']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe("pebench boom: unexpected error: TypeError: Cannot read properties of undefined (reading 'dims'). " +
      'This input was not checked or it is a bug: run again with --debug to see the stack trace, and report it.');
    const debug = await run(['boom', '--debug']);
    expect(debug.code).toBe(1);
    expect(debug.stderr.split('\n')[0]).toBe(plain.stderr);
    expect(debug.stderr).toMatch(/\n\s+at .*failure\.test\.ts/);
  });

  it('names system errors by their cause, even from a worker thread', async () => {
    thrown = Object.assign(new Error("ENOSPC: no space left on device, write '/data/out/images/p001.png'"), { code: 'ENOSPC', path: '/data/out/images/p001.png' });
    const full = await run(['boom']);
    expect(full).toEqual({ code: 1, stderr: 'pebench boom: the disk is full: free some space and run the command again (ENOSPC on /data/out/images/p001.png).' });
    thrown = new WorkerError('worker 1: EACCES: permission denied', 'EACCES');
    expect((await run(['boom'])).stderr).toBe('pebench boom: permission denied: choose files and folders you may read and write (EACCES).');
    thrown = new RangeError('Array buffer allocation failed');
    expect((await run(['boom'])).stderr).toMatch(/^pebench boom: out of memory: .*\(Array buffer allocation failed\)\.$/);
  });

  it('passes a CliError through with its own exit code, and a first line only of multi-line messages from elsewhere', async () => {
    thrown = new CliError('--out x is a folder: give a file path.', 2);
    expect(await run(['boom'])).toEqual({ code: 2, stderr: 'pebench boom: --out x is a folder: give a file path.' });
    expect(describeFailure('ask', new Error('ORT failed\n    at Session.run (native)')).line).not.toMatch(/\n/);
    expect(describeFailure('ask', 'a string').line).toMatch(/^pebench ask: unexpected error: Error: a string\./);
  });
});
