// The one run config: the round trip through every codec (hash -> config -> flags -> config ->
// record -> config), the check that reports every problem at once in the surface's own names, and
// the page's edits keeping the settings complete.
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../../../src/cli/args.ts';
import { METHOD_IDS, methodParams, getCard } from '../../../src/unlearning/cards.ts';
import {
  FLAG_NAMES, RunConfigError, checkRunConfig, configFromFlags, configFromHash, configFromRecord, defaultRunConfig, flagsOf, hashEntries,
  runConfigFlags, runRecord, sameRunConfig, withBgd, withMethod, withRequest, withSetting, type RunConfig, type RunLimits,
} from '../../../src/unlearning/run-config.ts';
import { createWorld } from '../../../src/world/index.ts';

const limits: RunLimits = { world: createWorld({}), decoderLayers: 4 };
const problemsOf = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RunConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a RunConfigError');
};

/** Configs that together use every field: targets, BGD, last blocks, non-default parameters. */
function samples(): RunConfig[] {
  const joint = withBgd(withMethod(withRequest(defaultRunConfig(), { target: 'both', personRatio: 0.1, eventRatio: 0.05, forgetSeed: 7 }), 'gd'), true);
  return [
    defaultRunConfig(),
    { ...withSetting(withSetting(joint, 'bgdSmoothing', 0.3), 'lr', 0.004), seed: 12, lastBlocks: 0 },
    { ...withSetting(withMethod(withRequest(defaultRunConfig(), { target: 'event', eventRatio: 0.1, forgetSeed: 2 }), 'dpo'), 'beta', 0.25), lastBlocks: 2 },
    ...METHOD_IDS.map((id) => withSetting(withMethod(defaultRunConfig(), id), 'steps', 33)),
  ];
}

describe('RunConfig', () => {
  it.each(samples().map((c, i) => [i, c] as const))('sample %i survives hash -> config -> flags -> config -> record -> config', (_, config) => {
    const fromHash = configFromHash(new URLSearchParams(hashEntries(config)));
    expect(fromHash.ignored).toEqual([]);
    expect(fromHash.config).toEqual(config);
    const parsed = parseFlags(flagsOf(fromHash.config), runConfigFlags());
    const fromFlags = configFromFlags(parsed, limits);
    expect(fromFlags).toEqual(config);
    const record = JSON.parse(JSON.stringify(runRecord(fromFlags)));
    expect(record.trainable).toEqual(config.lastBlocks ? { kind: 'lastBlocks', count: config.lastBlocks } : { kind: 'lora', rank: config.settings.loraRank });
    const back = configFromRecord(record, limits);
    expect(back).toEqual(config);
    expect(sameRunConfig(back, config)).toBe(true);
  });

  it('fills every parameter of the method with its default and checks the result is complete', () => {
    const config = checkRunConfig({ request: { target: 'person', personRatio: 0.05, forgetSeed: 0 }, method: 'npo' }, limits);
    expect(Object.keys(config.settings).sort()).toEqual(methodParams(getCard('npo'), false, 'person').map((p) => p.key).sort());
    expect(config).toMatchObject({ bgd: false, seed: 0, lastBlocks: 0 });
  });

  it('reports every problem at once, in payload names', () => {
    const problems = problemsOf(() => checkRunConfig({
      request: { target: 'person', personRatio: 0.3, forgetSeed: 0 }, method: 'ga', settings: { lr: 5, beta: 1 }, bgd: true, seed: -1, lastBlocks: 9,
    }, limits));
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch('ga cannot be combined with BGD');
    expect(problems.join('\n')).toMatch('personRatio must be one of 0.01, 0.05, 0.1, got 0.3');
    expect(problems.join('\n')).toMatch('seed must be an integer from 0 to 4294967295, got -1');
    expect(problems.join('\n')).toMatch("lastBlocks must be an integer from 0 (LoRA) to 4 (the decoder's blocks), got 9");
    expect(problems.join('\n')).toMatch('lr (--lr) must be a number from 0.000001 to 0.1, got 5');
    expect(problems.join('\n')).toMatch('beta is not a parameter of ga; its parameters: steps, lr, batch, loraRank');
    expect(new RunConfigError(problems).message).toMatch(/^6 problems: /);
  });

  it('names problems by CLI flag on the command line', () => {
    const flags = (argv: string[]) => configFromFlags(parseFlags(argv, runConfigFlags()), limits);
    expect(problemsOf(() => flags([]))).toEqual([`--method is required. Valid methods: ${METHOD_IDS.join(', ')}`]);
    expect(problemsOf(() => flags(['--method', 'npo', '--bgd']))).toEqual(['--bgd balances person and event forgetting: use it with --target both']);
    expect(problemsOf(() => flags(['--method', 'ga', '--target', 'both', '--bgd']))).toEqual(['ga cannot be combined with BGD; methods with a BGD form: gd, kl, npo']);
    expect(problemsOf(() => flags(['--method', 'npo', '--bgd-smoothing', '0.5']))[0]).toMatch('--bgd-smoothing is not a parameter of npo without --bgd; its parameters: --steps, --lr, --batch, --lora-rank, --beta, --lambda');
    const two = problemsOf(() => flags(['--method', 'wizard', '--target', 'people']));
    expect(two).toEqual(['unknown --target "people". Valid targets: person, event, both', `unknown method "wizard". Valid methods: ${METHOD_IDS.join(', ')}`]);
    expect(problemsOf(() => flags(['--method', 'ga', '--forget', 'half']))[0]).toMatch('--forget "half" is not a ratio');
    expect(FLAG_NAMES.field('lastBlocks')).toBe('--last-blocks');
  });

  it('takes the tuned defaults of the kind of request: a value left at one kind\'s default moves to the other\'s, one the user set stays', () => {
    const npo = getCard('npo');
    const atEvent = withRequest(defaultRunConfig(), { target: 'event' });
    expect(atEvent.settings).toEqual(Object.fromEntries(methodParams(npo, false, 'event').map((p) => [p.key, p.default])));
    const userSteps = withRequest(withSetting(defaultRunConfig(), 'steps', 33), { target: 'event' });
    expect(userSteps.settings.steps).toBe(33);
    expect(userSteps.settings.lr).toBe(methodParams(npo, false, 'event').find((p) => p.key === 'lr')!.default);
    // The hash writes only what differs from the kind's defaults, and reads it back.
    expect(hashEntries(atEvent).some(([key]) => key === 'lr' || key === 'steps')).toBe(false);
    expect(configFromHash(new URLSearchParams(hashEntries(atEvent))).config).toEqual(atEvent);
  });

  it('lists what a damaged hash could not use and keeps the rest', () => {
    const { config, ignored } = configFromHash(new URLSearchParams('target=events&er=0.1&method=ga&beta=2&lr=0.5&lb=x'));
    expect(config.request).toEqual({ target: 'event', eventRatio: 0.1, forgetSeed: 0 });
    expect(config.method).toBe('ga');
    expect(ignored.sort()).toEqual(['beta=2', 'lb=x', 'lr=0.5'].sort());
  });

  it('edits keep the settings complete: another method resets them, BGD adds and removes its parameter, the request keeps BGD only for both', () => {
    const npo = withSetting(defaultRunConfig(), 'lr', 0.01);
    const ga = withMethod(npo, 'ga');
    expect(ga.settings).toEqual(Object.fromEntries(methodParams(getCard('ga'), false, 'person').map((p) => [p.key, p.default])));
    const joint = withBgd(withRequest(npo, { target: 'both' }), true);
    expect(joint.request).toEqual({ target: 'both', personRatio: 0.05, eventRatio: 0.05, forgetSeed: 0 });
    expect(joint.settings.bgdSmoothing).toBe(0.8);
    expect(joint.settings.lr).toBe(0.01);
    const persons = withRequest(joint, { target: 'person' });
    expect(persons.bgd).toBe(false);
    expect(persons.settings).not.toHaveProperty('bgdSmoothing');
    expect(persons.request).toEqual({ target: 'person', personRatio: 0.05, forgetSeed: 0 });
  });
});
