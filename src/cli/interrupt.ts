// How every `pebench` command stops on SIGINT (Ctrl-C), SIGTERM and SIGHUP: the clean-ups registered
// by the running command (stop worker threads, remove temporary folders) run newest first, one line
// says what happened, and the process exits 130 / 143 / 129. A command may instead take the first
// signal itself (train: finish the step, save a checkpoint); a second signal always stops at once.
// Not here: what each command cleans up (they register it), the error handler (main.ts).

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;
export const STOP_SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

/** A clean-up: returns a short note for the stop line ("removed the unfinished dataset"), or nothing. */
export type Cleanup = () => string | void | Promise<string | void>;

const cleanups: Cleanup[] = [];
let graceful: ((signal: StopSignal) => void) | null = null;
let received: StopSignal | null = null;
let commandName = '';
let stopping: Promise<void> | null = null;

/** Registers a clean-up for an interruption; call the returned function once it is no longer needed. */
export function onInterrupt(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const at = cleanups.lastIndexOf(cleanup);
    if (at >= 0) cleanups.splice(at, 1);
  };
}

/** Lets the running command handle the first signal itself (null: back to stopping at once). */
export function setGracefulStop(handler: ((signal: StopSignal) => void) | null): void {
  graceful = handler;
}

/** The signal that interrupted this process, if any. */
export function interruptedBy(): StopSignal | null {
  return received;
}

/** The stop in progress (clean-ups, the stop line, exit), if a signal started one: a failure it causes is not an error. */
export function stopInProgress(): Promise<void> | null {
  return stopping;
}

/** Names the running command in the stop line. */
export function setRunningCommand(name: string): void {
  commandName = name;
}

export const signalName = (signal: StopSignal): string => (signal === 'SIGINT' ? 'SIGINT (Ctrl-C)' : signal === 'SIGHUP' ? 'SIGHUP (terminal closed)' : signal);

/** Runs every registered clean-up, newest first, each at most `timeoutMs`; returns their notes. */
export async function runCleanups(timeoutMs = 5000): Promise<string[]> {
  const notes: string[] = [];
  // Taken all at once: a command unwinding meanwhile (its workers stopped) must not drop the rest.
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      let timer: NodeJS.Timeout | undefined;
      const note = await Promise.race([
        Promise.resolve().then(cleanup),
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve('a clean-up timed out'), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (note) notes.push(note);
    } catch (error) {
      notes.push(`a clean-up failed (${(error as Error).message})`);
    }
  }
  return notes;
}

/** The stop line printed once every clean-up ran. */
export function stopLine(command: string, signal: StopSignal, notes: readonly string[]): string {
  const what = notes.length ? `; ${notes.join('; ')}` : '';
  return `pebench${command ? ` ${command}` : ''}: stopped by ${signalName(signal)}${what}. Exit code ${SIGNAL_EXIT_CODES[signal]}.`;
}

/**
 * Installs the handlers for the whole process (bin/pebench.mjs; never in tests that call main()).
 * `write` and `exit` are the process's unless a test passes its own.
 */
export function installSignalHandlers(
  write: (line: string) => void = (line) => process.stderr.write(line),
  exit: (code: number) => void = (code) => process.exit(code),
): (signal: StopSignal) => Promise<void> {
  const handle = async (signal: StopSignal): Promise<void> => {
    const safeWrite = (line: string) => {
      try {
        write(`${line}\n`);
      } catch {
        // The terminal may be gone (SIGHUP): nothing left to tell.
      }
    };
    if (stopping) {
      safeWrite(`pebench${commandName ? ` ${commandName}` : ''}: stopped by a second signal (${signal}) without waiting.`);
      exit(SIGNAL_EXIT_CODES[received ?? signal]);
      return;
    }
    if (received === null && graceful) {
      received = signal;
      graceful(signal);
      return;
    }
    const stopSignal = (received ??= signal);
    stopping = (async () => {
      const notes = await runCleanups();
      safeWrite(stopLine(commandName, stopSignal, notes));
      exit(SIGNAL_EXIT_CODES[stopSignal]);
    })();
    await stopping;
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => void handle(signal));
  return handle;
}
