#!/usr/bin/env node
// The `pebench` command: registers tsx so the TypeScript sources run as they are, installs the
// process-wide handlers (signals, unhandled rejections) and hands over to src/cli/main.ts.
// Even a failure to start prints one line, not a stack trace (PEBENCH_DEBUG=1 or --debug shows it).
import { register } from 'tsx/esm/api';

try {
  register();
  const { installProcessHandlers, main } = await import('../src/cli/main.ts');
  installProcessHandlers();
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`pebench: could not start (${error?.message ?? error}): run \`npm install\` in the project folder, then try again.`);
  if (process.argv.includes('--debug') || process.env.PEBENCH_DEBUG === '1') console.error(error?.stack ?? error);
  process.exitCode = 1;
}
