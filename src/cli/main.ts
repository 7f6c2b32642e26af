// The `pebench` command line: the Node composition root. Parses the command name, gives every
// command a --help, and passes every failure through one handler (failure.ts): one line, a non-zero
// exit code, the stack only with --debug. installProcessHandlers (bin/pebench.mjs only) adds the
// signals (interrupt.ts), unhandled rejections and a closed stdout. Commands live in one file each beside this one.
import { COMMANDS } from './commands.ts';
import { reportFailure } from './failure.ts';
import { SIGNAL_EXIT_CODES, installSignalHandlers, interruptedBy, setRunningCommand, stopInProgress } from './interrupt.ts';

/** `--debug` anywhere on the line (or PEBENCH_DEBUG=1) prints stack traces under the error line. */
export const DEBUG_FLAG = '--debug';
let debug = false;

export async function main(argv: string[]): Promise<number> {
  debug = argv.includes(DEBUG_FLAG) || process.env.PEBENCH_DEBUG === '1';
  const [name, ...rest] = argv.filter((a) => a !== DEBUG_FLAG);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`pebench: unknown command "${name}". Valid commands: ${COMMANDS.map((c) => c.name).join(', ')}.`);
    console.error('Run `npx pebench --help` for a summary.');
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  setRunningCommand(name);
  try {
    return await command.run(rest);
  } catch (error) {
    // A failure caused by Ctrl-C's clean-up (workers stopped under the command) is not news: the stop line says it all.
    const stopping = stopInProgress();
    if (stopping) {
      await stopping;
      return SIGNAL_EXIT_CODES[interruptedBy()!];
    }
    return reportFailure(name, error, debug, (text) => console.error(text.replace(/\n$/, '')));
  }
}

/** Process-wide handlers of the real command (never installed by tests that call main()). */
export function installProcessHandlers(): void {
  installSignalHandlers();
  const fatal = (error: unknown) => {
    if (stopInProgress()) return;
    process.exitCode = reportFailure(process.argv[2] ?? '', error, debug);
    process.exit();
  };
  process.on('unhandledRejection', fatal);
  process.on('uncaughtException', fatal);
  // `pebench bench | head`: a closed stdout ends the command quietly instead of with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    fatal(error);
  });
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'pebench: the PEBench Lab command line (runs the same code as the browser lab, headless).',
    '',
    'Usage: npx pebench <command> [options]    (npx pebench <command> --help for its options)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Add ${DEBUG_FLAG} to any command to see the stack trace of an error.`,
  ].join('\n');
}
