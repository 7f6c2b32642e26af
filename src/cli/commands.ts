// The registry of `pebench` commands. Each command file exports one Command; add it here.
import { worldCommand } from './world-command.ts';
import { askCommand } from './ask-command.ts';
import { evalCommand } from './eval-command.ts';
import { trainCommand } from './train-command.ts';
import { unlearnCommand } from './unlearn-command.ts';
import { benchCommand } from './bench-command.ts';
import { tuneCommand } from './tune-command.ts';
import { exportCommand } from './export-command.ts';

export interface Command {
  name: string;
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Command[] = [worldCommand, trainCommand, evalCommand, askCommand, unlearnCommand, tuneCommand, benchCommand, exportCommand];
