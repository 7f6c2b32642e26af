// parseFlags' result is typed from its specs (issue #16): a flag's kind gives its value's type and
// only a flag without a default can be undefined, so the commands read flags without casts. The type
// checks here are checked by `tsc --noEmit` (which covers tests/): expectTypeOf and @ts-expect-error
// lines fail the type check, not the run, when the types drift. The run checks that the values are
// what the types promise. Also oneOf, the check of a string flag's choices, and an untyped spec set
// (Record<string, FlagSpec>, as unlearn's generated method flags are) keeping the loose type.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { CliError, isOneOf, oneOf, parseFlags, threadsFlag, withGeneratedFlags, type FlagSpec, type ParsedFlags } from '../../../src/cli/args.ts';
import { mainInProcess } from './in-process.ts';

vi.mock('../../../src/runtime/index.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/runtime/index.ts')>()),
  openRuntime: () => {
    throw new Error('openRuntime was reached: this input should have been refused before any heavy work');
  },
}));

const specs = {
  out: { kind: 'string', help: 'no default' },
  format: { kind: 'string', help: 'with a default', default: 'md' },
  seed: { kind: 'int', help: 'with a default', default: 7 },
  person: { kind: 'int', help: 'no default' },
  lr: { kind: 'number', help: 'with a default', default: 0.5, min: 0, max: 1 },
  scale: { kind: 'number', help: 'no default' },
  json: { kind: 'boolean', help: 'with a default', default: false },
  augment: { kind: 'boolean', help: 'no default' },
  threads: threadsFlag(),
} satisfies Record<string, FlagSpec>;

describe('parseFlags types its result from the specs', () => {
  it('gives each flag the type of its kind, with undefined only when it has no default', () => {
    const f = parseFlags([], specs);
    expectTypeOf(f.out).toEqualTypeOf<string | undefined>();
    expectTypeOf(f.format).toEqualTypeOf<string>();
    expectTypeOf(f.seed).toEqualTypeOf<number>();
    expectTypeOf(f.person).toEqualTypeOf<number | undefined>();
    expectTypeOf(f.lr).toEqualTypeOf<number>();
    expectTypeOf(f.scale).toEqualTypeOf<number | undefined>();
    expectTypeOf(f.json).toEqualTypeOf<boolean>();
    expectTypeOf(f.augment).toEqualTypeOf<boolean | undefined>();
    expectTypeOf(f.threads).toEqualTypeOf<number>();
    expectTypeOf(threadsFlag().default).toEqualTypeOf<number>();

    // @ts-expect-error a number flag is not a string
    const seedText: string = f.seed;
    // @ts-expect-error a flag without a default may be undefined
    const out: string = f.out;
    // @ts-expect-error a flag that is not in the specs does not exist
    void f.nonexistent;
    void seedText, out;
  });

  it('keeps the types of specs written inline', () => {
    const f = parseFlags(['--n', '3'], { n: { kind: 'int', help: '' }, name: { kind: 'string', help: '', default: 'x' } });
    expectTypeOf(f.n).toEqualTypeOf<number | undefined>();
    expectTypeOf(f.name).toEqualTypeOf<string>();
    expect(f).toEqual({ n: 3, name: 'x' });
  });

  it('holds at run time: defaults when not given, undefined without one, values of their kind when given', () => {
    const none = parseFlags([], specs);
    expect(none.out).toBeUndefined();
    expect(none.person).toBeUndefined();
    expect(none.scale).toBeUndefined();
    expect(none.augment).toBeUndefined();
    expect(none.format).toBe('md');
    expect(none.seed).toBe(7);
    expect(none.lr).toBe(0.5);
    expect(none.json).toBe(false);
    expect(none.threads).toBe(threadsFlag().default);
    expect(Object.keys(none)).toEqual(Object.keys(specs));

    const given = parseFlags(['--out', 'dir', '--seed=-3', '--person', '2', '--lr', '0.25', '--scale', '1e2', '--json', '--augment=false', '--threads', '1'], specs);
    expect(given).toEqual({ out: 'dir', format: 'md', seed: -3, person: 2, lr: 0.25, scale: 100, json: true, augment: false, threads: 1 });
    for (const [name, value] of Object.entries(given)) {
      const kind = specs[name as keyof typeof specs].kind;
      expect(typeof value, name).toBe(kind === 'string' ? 'string' : kind === 'boolean' ? 'boolean' : 'number');
    }
  });

  it('keeps the loose type for an untyped spec set, and for the generated flags spread into a typed one', () => {
    const untyped: Record<string, FlagSpec> = { steps: { kind: 'int', help: '' } };
    const loose = parseFlags(['--steps', '4'], untyped);
    expectTypeOf(loose.steps).toEqualTypeOf<string | number | boolean | undefined>();
    expectTypeOf(loose).toMatchTypeOf<ParsedFlags>();
    expect(loose.steps).toBe(4);

    // A plain spread loses the generated names from the type (TypeScript drops the index signature) ...
    const spread = parseFlags(['--steps', '5'], { json: { kind: 'boolean', help: '', default: false }, ...untyped } satisfies Record<string, FlagSpec>);
    // @ts-expect-error --steps exists at run time but not in the type
    void spread.steps;
    // ... withGeneratedFlags keeps them, loosely typed, beside the typed named ones, in the spec order.
    const specsWithGenerated = withGeneratedFlags({ json: { kind: 'boolean', help: '', default: false }, ...untyped, seed: { kind: 'int', help: '' } });
    const mixed = parseFlags(['--steps', '5'], specsWithGenerated);
    expectTypeOf(mixed.json).toEqualTypeOf<boolean>();
    expectTypeOf(mixed.seed).toEqualTypeOf<number | undefined>();
    expectTypeOf(mixed.steps).toEqualTypeOf<string | number | boolean | undefined>();
    expectTypeOf(mixed).toMatchTypeOf<ParsedFlags>();
    expect(mixed).toEqual({ json: false, steps: 5, seed: undefined });
    expect(Object.keys(specsWithGenerated)).toEqual(['json', 'steps', 'seed']);
  });
});

describe('oneOf checks a string flag against its choices', () => {
  const FORMATS = ['md', 'json', 'csv'] as const;

  it('returns the value narrowed to the choices', () => {
    const format = oneOf('format', parseFlags(['--format', 'csv'], specs).format, FORMATS);
    expectTypeOf(format).toEqualTypeOf<'md' | 'json' | 'csv'>();
    expect(format).toBe('csv');
    const value: string = 'json';
    if (isOneOf(value, FORMATS)) expectTypeOf(value).toEqualTypeOf<'md' | 'json' | 'csv'>();
    expect(isOneOf('xml', FORMATS)).toBe(false);
  });

  it('refuses anything else with the message the commands gave before', () => {
    const message = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).exitCode).toBe(2);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(message(() => oneOf('format', 'xml', FORMATS))).toBe('unknown --format "xml". Valid formats: md, json, csv');
    expect(message(() => oneOf('format', '', FORMATS))).toBe('unknown --format "". Valid formats: md, json, csv');
    expect(message(() => oneOf('model-size', 'huge', ['default', 'test'], 'model sizes'))).toBe('unknown --model-size "huge". Valid model sizes: default, test');
    expect(message(() => oneOf('model-size', 'huge', ['default', 'test'], (v) => `no size ${v}`))).toBe('no size huge');
  });

  it('leaves the commands\' choice messages as they were', async () => {
    const size = await mainInProcess(['train', '--out', '/nonexistent/x', '--model-size', 'huge']);
    expect(size).toEqual({ code: 2, message: 'pebench train: modelSize must be one of default, test, got huge' });
    const target = await mainInProcess(['unlearn', '--method', 'ga', '--target', 'people']);
    expect(target).toEqual({ code: 2, message: 'pebench unlearn: unknown --target "people". Valid targets: person, event, both' });
    const format = await mainInProcess(['bench', '--format', 'xml']);
    expect(format).toEqual({ code: 2, message: 'pebench bench: unknown --format "xml". Valid formats: md, json, csv' });
  });
});
