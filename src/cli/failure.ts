// Turns any failure of a `pebench` command into one line for the user (what happened, what to do)
// and an exit code: a CliError as it is, a system error (full disk, permission, missing file, out of
// memory) by its cause, anything else as an unexpected error with a pointer to --debug. Also the
// process-wide last resort for unhandled rejections and uncaught exceptions. Not here: the commands' own checks.
import { CliError } from './args.ts';

export interface Failure {
  line: string;
  code: number;
}

const SYSTEM_CAUSES: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space and run the command again',
  EDQUOT: 'the disk quota is used up: free some space and run the command again',
  EROFS: 'the file system is read-only: choose an output on a writable disk',
  EACCES: 'permission denied: choose files and folders you may read and write',
  EPERM: 'operation not permitted: choose files and folders you may read and write',
  ENOENT: 'a file or folder is missing: check the paths you gave',
  ENOTDIR: 'a path goes through a file as if it were a folder: check the paths you gave',
  EISDIR: 'a folder was found where a file was expected: check the paths you gave',
  EMFILE: 'too many open files: raise the limit (ulimit -n) or use fewer --threads / --workers',
  ENOMEM: 'out of memory: close other programs, or use fewer --threads / --workers and smaller inputs',
  EPIPE: 'the output was closed before everything was written',
};

const firstLine = (text: string) => text.split('\n')[0].trim();

/** One line and an exit code for `error`, thrown by the command `command`. */
export function describeFailure(command: string, error: unknown): Failure {
  const prefix = `pebench${command ? ` ${command}` : ''}`;
  if (error instanceof CliError) return { line: `${prefix}: ${error.message}`, code: error.exitCode };
  const err = error instanceof Error ? error : new Error(String(error));
  const code = (err as NodeJS.ErrnoException).code;
  const path = (err as NodeJS.ErrnoException).path;
  if (code && SYSTEM_CAUSES[code]) {
    return { line: `${prefix}: ${SYSTEM_CAUSES[code]} (${code}${path ? ` on ${path}` : ''}).`, code: 1 };
  }
  if (err instanceof RangeError && /allocation failed|Invalid (typed )?array length|Array buffer/i.test(err.message)) {
    return { line: `${prefix}: ${SYSTEM_CAUSES.ENOMEM} (${firstLine(err.message)}).`, code: 1 };
  }
  return {
    line: `${prefix}: unexpected error: ${err.name}: ${firstLine(err.message) || '(no message)'}. ` +
      'This input was not checked or it is a bug: run again with --debug to see the stack trace, and report it.',
    code: 1,
  };
}

/** Prints `error` as describeFailure's line (plus the stack with `debug`); returns the exit code. */
export function reportFailure(command: string, error: unknown, debug: boolean, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  const { line, code } = describeFailure(command, error);
  try {
    write(`${line}\n`);
    if (debug) write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  } catch {
    // stderr is gone: the exit code still tells.
  }
  return code;
}
