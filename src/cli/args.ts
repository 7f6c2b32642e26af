// Minimal typed flag parsing shared by every command: --name value, --name=value, boolean --flag.
// Unknown flags and malformed numbers are errors that list what is valid. Also the pieces every
// command's help and output checks share (commandHelp, requireParentFolder).
import { statSync } from 'node:fs';
import { dirname } from 'node:path';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export type FlagKind = 'string' | 'int' | 'number' | 'boolean';
export interface FlagSpec {
  kind: FlagKind;
  help: string;
  default?: string | number | boolean;
}

export type ParsedFlags = Record<string, string | number | boolean | undefined>;

export function parseFlags(argv: string[], specs: Record<string, FlagSpec>): ParsedFlags {
  const out: ParsedFlags = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = spec.default;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) throw new CliError(`unexpected argument "${token}"`);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    const spec = specs[name];
    if (!spec) {
      throw new CliError(`unknown option --${name}. Valid options: ${Object.keys(specs).map((n) => `--${n}`).join(', ')}`);
    }
    if (spec.kind === 'boolean') {
      out[name] = eq < 0 ? true : token.slice(eq + 1) !== 'false';
      continue;
    }
    const raw = eq >= 0 ? token.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new CliError(`--${name} needs a value`);
    out[name] = convert(name, spec.kind, raw);
  }
  return out;
}

function convert(name: string, kind: FlagKind, raw: string): string | number {
  if (kind === 'string') return raw;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || (kind === 'int' && !Number.isInteger(value))) {
    throw new CliError(`--${name} must be ${kind === 'int' ? 'an integer' : 'a number'}, got "${raw}"`);
  }
  return value;
}

export function flagHelp(specs: Record<string, FlagSpec>): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const left = spec.kind === 'boolean' ? `--${name}` : `--${name} <${spec.kind === 'string' ? 'value' : spec.kind}>`;
    const def = spec.default === undefined ? '' : ` (default: ${spec.default})`;
    return [left, spec.help + def] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`).join('\n');
}

/** A command's help: its usage and description lines, then its options. */
export function commandHelp(lines: readonly string[], specs: Record<string, FlagSpec>): string {
  return [...lines, '', 'Options:', flagHelp(specs)].join('\n');
}

/** `path` (a file or folder to be written) must lie in an existing folder; checked before any work. */
export function requireParentFolder(flag: string, path: string): void {
  const parent = dirname(path);
  let ok = false;
  try {
    ok = statSync(parent).isDirectory();
  } catch {
    // Missing.
  }
  if (!ok) throw new CliError(`${flag} ${path}: its parent folder ${parent} does not exist: create it first, or choose another ${flag}.`);
}
