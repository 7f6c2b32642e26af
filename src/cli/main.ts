// The `pebench` command line: the Node composition root. Parses the command name, gives every
// command a --help, and maps failures to a clear message and a non-zero exit code.
// Commands live in one file each beside this one and register themselves in COMMANDS.
import { COMMANDS } from './commands.ts';
import { CliError } from './args.ts';

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      console.error(`pebench ${name}: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
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
  ].join('\n');
}
