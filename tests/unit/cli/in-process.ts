// Runs `pebench` in this process, as the refusal tests do: main(argv) with console.error captured,
// so a test sees the exit code and the exact lines a user would. Not a test file; for commands that
// start worker threads use runPebench (pebench-process.ts), which spawns a real process.
import { vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';

export async function mainInProcess(argv: string[]): Promise<{ code: number; message: string }> {
  const errors: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    return { code: await main(argv), message: errors.join('\n') };
  } finally {
    spy.mockRestore();
  }
}
