// Flags that used to be guessed at or reach the runtime unchecked: --force only bare (--force=no is
// an error, not "yes"), a value that is really the next option, thread counts that are zero,
// negative, fractional or beyond 4 x the cores, and zero or negative checkpoint intervals. All are
// refused in-process with one line naming the flag and the limit, before any runtime is opened.
import { availableParallelism } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { mainInProcess } from './in-process.ts';
import { CliError, parseFlags, threadsFlag, type FlagSpec } from '../../../src/cli/args.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

const refused = mainInProcess;

const specs: Record<string, FlagSpec> = {
  force: { kind: 'boolean', bare: true, help: '', default: false },
  augment: { kind: 'boolean', help: '', default: true },
  out: { kind: 'string', help: '' },
  threads: threadsFlag(),
};
const parseError = (argv: string[]) => {
  try {
    parseFlags(argv, specs);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return (error as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
};

describe('--force and other boolean flags', () => {
  it('takes --force only bare: =no, =1, =true are errors naming the flag', () => {
    expect(parseFlags(['--force'], specs).force).toBe(true);
    for (const value of ['no', '1', 'true', 'false', '']) {
      expect(parseError([`--force=${value}`])).toMatch(`--force takes no value, got "--force=${value}": write --force alone`);
    }
  });

  it('keeps --augment=false working and refuses other words', () => {
    expect(parseFlags(['--augment=false'], specs).augment).toBe(false);
    expect(parseFlags(['--augment=true'], specs).augment).toBe(true);
    expect(parseError(['--augment=no'])).toMatch('--augment is true or false, got "no"');
  });

  it('does not take the next option as a value', () => {
    expect(parseError(['--out', '--force'])).toMatch('--out needs a value, but the next argument is the option "--force"');
    expect(parseFlags(['--out=--odd-name'], specs).out).toBe('--odd-name');
  });
});

describe('thread counts and intervals', () => {
  const max = 4 * availableParallelism();

  it('bounds --threads to 1..4 x cores with the limit in the message', () => {
    expect(parseError(['--threads', String(max + 1)])).toBe(`--threads must be between 1 and ${max} (4 x this machine's ${availableParallelism()} cores), got ${max + 1}.`);
    expect(parseError(['--threads', '0'])).toMatch('--threads must be between 1 and');
    expect(parseError(['--threads', '-2'])).toMatch('--threads must be between 1 and');
    expect(parseError(['--threads', '1.5'])).toMatch('--threads must be an integer, got "1.5"');
    expect(parseFlags(['--threads', String(max)], specs).threads).toBe(max);
  });

  it('refuses them on every command before the runtime opens', async () => {
    for (const argv of [
      ['train', '--out', '/nonexistent/x', '--threads', '0'],
      ['eval', '--threads', '-1'],
      ['unlearn', '--method', 'ga', '--threads', String(max * 10)],
      ['bench', '--threads', '0'],
      ['world', '--out', '/nonexistent/x', '--workers', String(max + 1)],
    ]) {
      const result = await refused(argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.message, argv.join(' ')).toMatch(/--(threads|workers) must be between 1 and \d+ \(4 x this machine's/);
    }
  });

  it('refuses zero and negative checkpoint intervals, and negative validation intervals', async () => {
    for (const value of ['0', '-5']) {
      const result = await refused(['train', '--out', '/nonexistent/x', '--checkpoint-every', value]);
      expect(result.code).toBe(2);
      expect(result.message).toBe(`pebench train: --checkpoint-every must be at least 1, got ${value}.`);
    }
    const validate = await refused(['train', '--out', '/nonexistent/x', '--validate-every', '-1']);
    expect(validate.message).toBe('pebench train: --validate-every must be at least 0, got -1.');
  });
});
