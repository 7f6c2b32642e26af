// Minimal typed flag parsing shared by every command: --name value, --name=value, boolean --flag.
// Unknown or valueless flags, malformed or out-of-range numbers and "--force=no" are errors
// that say what is valid. The result is typed from the specs (Flags<S>): declare them with
// `satisfies Record<string, FlagSpec>` so each flag's kind stays literal. Also the pieces every
// command's help and checks share (commandHelp, threadsFlag, oneOf). Not here: output files and folders (output-check.ts).
// Not node:util parseArgs: strict mode refuses "--augment=false" and "--seed -1" with its own messages; loose mode would leave every check here anyway.
import { availableParallelism } from 'node:os';

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
  /** Inclusive bounds of an int or number flag; `maxWhy` explains where the upper one comes from. */
  min?: number;
  max?: number;
  maxWhy?: string;
  /** A boolean that is only ever written bare (--force): "--force=no" is an error, not a guess. */
  bare?: boolean;
}

/** What parseFlags returns for any spec set; the type of an untyped (Record<string, FlagSpec>) one. */
export type ParsedFlags = Record<string, string | number | boolean | undefined>;

/** The value of a flag of kind K: 'string' -> string, 'int' and 'number' -> number, 'boolean' -> boolean. */
export type FlagKindValue<K extends FlagKind> = K extends 'string' ? string : K extends 'int' | 'number' ? number : K extends 'boolean' ? boolean : never;
/** A flag's parsed value: undefined only when its spec has no default. */
export type FlagValue<Spec extends FlagSpec> =
  | FlagKindValue<Spec['kind']>
  | (Spec extends { default: string | number | boolean } ? never : undefined);
/** parseFlags' result, typed from the specs (an index signature in S stays one, of every kind's value or undefined). */
export type Flags<S extends Record<string, FlagSpec>> = { [Name in keyof S]: FlagValue<S[Name]> };

/**
 * Specs with generated flags spread in (unlearn's method parameters, a Record<string, FlagSpec>):
 * TypeScript drops a spread's index signature, so `{ ...named, ...paramFlags() } satisfies ...`
 * would lose the generated names. This keeps the named flags typed and reads any other name as
 * string | number | boolean | undefined. Returns `specs` itself (key order, and so help order, kept).
 */
export function withGeneratedFlags<const S extends Record<string, FlagSpec>>(specs: S): S & Record<string, FlagSpec> {
  return specs;
}

export function parseFlags<const S extends Record<string, FlagSpec>>(argv: string[], specs: S): Flags<S> {
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
      out[name] = eq < 0 ? true : booleanValue(name, spec, token.slice(eq + 1));
      continue;
    }
    const raw = eq >= 0 ? token.slice(eq + 1) : argv[++i];
    if (raw === undefined) throw new CliError(`--${name} needs a value`);
    if (eq < 0 && raw.startsWith('--')) {
      throw new CliError(`--${name} needs a value, but the next argument is the option "${raw}": write --${name} VALUE (or --${name}=VALUE for a value that starts with --).`);
    }
    out[name] = inRange(name, spec, convert(name, spec.kind, raw));
  }
  // Sound by construction: every name starts at its default and is only set to a value of its kind.
  return out as Flags<S>;
}

/** Whether `value` is one of `choices` (narrowing it to them). */
export function isOneOf<const C extends readonly string[]>(value: string, choices: C): value is C[number] {
  return choices.includes(value);
}

/**
 * A string flag's value checked against its choices, narrowed to them. The error names the flag and
 * the valid values ("unknown --format "x". Valid formats: md, json, csv"; `what` defaults to the
 * flag's name plus "s"), or is `problem(value)` where the check's message predates the flag.
 */
export function oneOf<const C extends readonly string[]>(
  name: string, value: string, choices: C, what: string | ((value: string) => string) = `${name}s`,
): C[number] {
  if (isOneOf(value, choices)) return value;
  throw new CliError(typeof what === 'function' ? what(value) : `unknown --${name} "${value}". Valid ${what}: ${choices.join(', ')}`);
}

function booleanValue(name: string, spec: FlagSpec, raw: string): boolean {
  if (spec.bare) throw new CliError(`--${name} takes no value, got "--${name}=${raw}": write --${name} alone, or leave it out.`);
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new CliError(`--${name} is true or false, got "${raw}": write --${name}, --${name}=false, or leave it out.`);
}

function inRange(name: string, spec: FlagSpec, value: string | number): string | number {
  if (typeof value !== 'number') return value;
  const { min, max } = spec;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = min !== undefined && max !== undefined ? `between ${min} and ${max}` : min !== undefined ? `at least ${min}` : `at most ${max}`;
    throw new CliError(`--${name} must be ${range}${max !== undefined && spec.maxWhy ? ` (${spec.maxWhy})` : ''}, got ${value}.`);
  }
  return value;
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

/** An upper bound for thread and worker counts: more than 4 per core only costs memory and time. */
export function maxThreads(): number {
  return 4 * availableParallelism();
}

/** A --threads / --workers flag: an int, so its parsed value is a number (it always has a default). */
export type ThreadsFlag = FlagSpec & { kind: 'int'; default: number; min: number; max: number };

/** A --threads / --workers flag: 1 to 4 x the cores, defaulting to `fallback` (the cores). */
export function threadsFlag(help = 'ORT-node intra-op threads', fallback = availableParallelism()): ThreadsFlag {
  return { kind: 'int', help, default: Math.min(fallback, maxThreads()), min: 1, max: maxThreads(), maxWhy: `4 x this machine's ${availableParallelism()} cores` };
}

/** A command's help: its usage and description lines, then its options. */
export function commandHelp(lines: readonly string[], specs: Record<string, FlagSpec>): string {
  return [...lines, '', 'Options:', flagHelp(specs)].join('\n');
}
