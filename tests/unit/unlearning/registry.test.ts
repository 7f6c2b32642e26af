// The method registry the CLI and the lab are generated from: every method is fully described
// (label, citation, summary, objective, sane parameter specs), settings are resolved from defaults
// and refused with messages that name the valid range, unknown ids list the valid ones, and BGD is
// offered only where the method has a BGD form.
import { describe, expect, it } from 'vitest';
import { BGD_SMOOTHING, METHOD_CARDS, METHOD_IDS, MethodError, RUN_PARAMS, methodParams, resolveSettings, type ParamSpec } from '../../../src/unlearning/cards.ts';
import { METHODS, getMethod } from '../../../src/unlearning/registry.ts';

const caught = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('method registry', () => {
  it('lists the nine methods (the paper’s, NPO, and the recent SimNPO, RMU and SIU), each once', () => {
    expect([...METHOD_IDS].sort()).toEqual(['dpo', 'ga', 'gd', 'kl', 'npo', 'po', 'rmu', 'simnpo', 'siu']);
    expect(new Set(METHOD_IDS).size).toBe(METHODS.length);
  });

  it.each(METHODS.map((m) => [m.id, m] as const))('%s is fully described with valid parameter specs', (_, method) => {
    for (const text of [method.label, method.citation, method.summary, method.objective]) {
      expect(typeof text).toBe('string');
      expect(text.trim().length).toBeGreaterThan(3);
    }
    expect(method.objective).toMatch(/L\s*=/);
    // Exactly one way of computing the forget term.
    expect(Boolean(method.perRow) !== Boolean(method.pairLoss)).toBe(true);
    expect(method.needs.pairs).toBe(Boolean(method.pairLoss));
    expect(method.retainTerm === 'none').toBe(!method.needs.retain);
    // Finetune logits on retain rows: KL's retain term, or SIU's masked KL (which covers retain rows too).
    expect(method.needs.referenceLogits).toBe(method.retainTerm === 'kl' || Boolean(method.batchTerm));
    // A retain term of its own reads Finetune's activations (RMU) and comes with its own weight.
    expect(method.retainTerm === 'hidden').toBe(Boolean(method.retainLoss));
    expect(Boolean(method.needs.referenceHidden)).toBe(method.retainTerm === 'hidden');
    // Untuned methods say so and carry no tuned values; tuned ones have them.
    expect(Boolean(method.untuned)).toBe(method.tuned === undefined);

    for (const bgd of method.bgd ? [false, true] : [false]) {
      const specs = methodParams(method, bgd);
      expect(new Set(specs.map((s) => s.key)).size).toBe(specs.length);
      expect(new Set(specs.map((s) => s.flag)).size).toBe(specs.length);
      for (const spec of specs) {
        expect(spec.label.length, spec.key).toBeGreaterThan(0);
        expect(spec.help.length, spec.key).toBeGreaterThan(0);
        expect(spec.flag, spec.key).toMatch(/^[a-z][a-z-]*$/);
        expect(spec.min, spec.key).toBeLessThan(spec.max);
        expect(spec.default, spec.key).toBeGreaterThanOrEqual(spec.min);
        expect(spec.default, spec.key).toBeLessThanOrEqual(spec.max);
        if (spec.integer) {
          expect(Number.isInteger(spec.default) && Number.isInteger(spec.min) && Number.isInteger(spec.max), spec.key).toBe(true);
        }
        if (spec.log) expect(spec.min, spec.key).toBeGreaterThan(0);
      }
      // The run's shared parameters come first, then the method's, then BGD's.
      expect(specs.slice(0, RUN_PARAMS.length).map((s) => s.key)).toEqual(RUN_PARAMS.map((s) => s.key));
      expect(specs.some((s) => s.key === BGD_SMOOTHING.key)).toBe(bgd);
    }
    // Method-specific defaults (of shared or own parameters) are in range and actually used.
    for (const [key, value] of Object.entries(method.defaults ?? {})) {
      const spec = [...RUN_PARAMS, ...method.params].find((p) => p.key === key) as ParamSpec;
      expect(spec, key).toBeDefined();
      expect(value).toBeGreaterThanOrEqual(spec.min);
      expect(value).toBeLessThanOrEqual(spec.max);
      expect(resolveSettings(method, {})[key]).toBe(value);
    }
  });

  it('tuned defaults per kind of request are parameters of the method, in range, and used for that kind only', () => {
    for (const method of METHOD_CARDS) {
      for (const [kind, values] of Object.entries(method.tuned ?? {})) {
        const bgd = kind === 'both+bgd';
        const target = bgd ? 'both' : (kind as 'person' | 'event' | 'both');
        expect(!bgd || method.bgd, `${method.id} ${kind}`).toBe(true);
        const specs = methodParams(method, bgd, target);
        for (const [key, value] of Object.entries(values ?? {})) {
          const spec = specs.find((p) => p.key === key);
          expect(spec, `${method.id} ${kind} ${key}`).toBeDefined();
          expect(value).toBeGreaterThanOrEqual(spec!.min);
          expect(value).toBeLessThanOrEqual(spec!.max);
          expect(resolveSettings(method, {}, bgd, target)[key], `${method.id} ${kind} ${key}`).toBe(value);
        }
      }
    }
  });

  it('needs match what each objective reads', () => {
    expect(getMethod('ga').needs.retain).toBe(false);
    for (const id of ['gd', 'kl', 'po', 'dpo', 'npo', 'simnpo', 'rmu', 'siu']) expect(getMethod(id).needs.retain, id).toBe(true);
    expect(getMethod('po').needs.refusals).toBe(true);
    expect(getMethod('dpo').needs).toMatchObject({ refusals: true, pairs: true, referenceSequence: true });
    expect(getMethod('npo').needs).toMatchObject({ referenceSequence: true, refusals: false });
    expect(getMethod('kl').needs.referenceLogits).toBe(true);
    expect(getMethod('simnpo').needs).toMatchObject({ referenceSequence: false, referenceLogits: false, refusals: false });
    expect(getMethod('rmu').needs).toMatchObject({ referenceHidden: true, referenceSequence: false, referenceLogits: false });
    expect(getMethod('siu').needs).toMatchObject({ siuTargets: true, referenceLogits: true, referenceForgetLogits: true, refusals: false });
  });

  it('resolves every parameter to its default, and overrides the ones given', () => {
    for (const method of METHODS) {
      const specs = methodParams(method);
      const settings = resolveSettings(method, {});
      expect(Object.keys(settings).sort()).toEqual(specs.map((s) => s.key).sort());
      for (const spec of specs) expect(settings[spec.key], `${method.id}.${spec.key}`).toBe(spec.default);
    }
    const gd = getMethod('gd');
    const given = resolveSettings(gd, { steps: 7, lr: 5e-4, lambda: 0, batch: undefined });
    expect(given).toMatchObject({ steps: 7, lr: 5e-4, lambda: 0, batch: methodParams(gd).find((s) => s.key === 'batch')!.default });
    expect(resolveSettings(gd, {}, true)[BGD_SMOOTHING.key]).toBe(BGD_SMOOTHING.default);
  });

  it('accepts both ends of every range', () => {
    for (const method of METHODS) {
      for (const spec of methodParams(method)) {
        expect(resolveSettings(method, { [spec.key]: spec.min })[spec.key]).toBe(spec.min);
        expect(resolveSettings(method, { [spec.key]: spec.max })[spec.key]).toBe(spec.max);
      }
    }
  });

  it('refuses unknown parameters, naming the ones the method takes', () => {
    const ga = getMethod('ga');
    const error = caught(() => resolveSettings(ga, { lambda: 1 }));
    expect(error).toBeInstanceOf(MethodError);
    expect(error.message).toMatch(/ga has no parameter "lambda"/);
    for (const spec of methodParams(ga)) expect(error.message).toContain(spec.key);
    expect(() => resolveSettings(getMethod('npo'), { bgdSmoothing: 0.5 })).toThrow(/no parameter "bgdSmoothing"/);
  });

  it('refuses out-of-range, non-finite and non-integer values, naming flag and range', () => {
    for (const method of METHODS) {
      for (const spec of methodParams(method, method.bgd)) {
        const bad = [spec.min - Math.max(1, Math.abs(spec.min)), spec.max * 2 + 1, Number.NaN, Number.POSITIVE_INFINITY];
        if (spec.integer) bad.push(spec.min + 0.5);
        for (const value of bad) {
          const error = caught(() => resolveSettings(method, { [spec.key]: value }, method.bgd));
          expect(error, `${method.id}.${spec.key}=${value}`).toBeInstanceOf(MethodError);
          expect(error.message).toContain(`--${spec.flag}`);
          expect(error.message).toContain(`from ${spec.min} to ${spec.max}`);
          expect(error.message).toContain(`got ${value}`);
          if (spec.integer) expect(error.message).toMatch(/an integer/);
        }
      }
    }
  });

  it('getMethod finds every id and lists the valid ones for an unknown id', () => {
    for (const method of METHODS) expect(getMethod(method.id)).toBe(method);
    const error = caught(() => getMethod('nope'));
    expect(error).toBeInstanceOf(MethodError);
    expect(error.message).toMatch(/unknown method "nope"/);
    for (const id of METHOD_IDS) expect(error.message).toContain(id);
  });

  it('offers BGD only with methods that have a BGD form (GD, KL, NPO)', () => {
    expect(METHODS.filter((m) => m.bgd).map((m) => m.id).sort()).toEqual(['gd', 'kl', 'npo']);
    for (const method of METHODS) {
      if (method.bgd) {
        expect(resolveSettings(method, { bgdSmoothing: 0 }, true).bgdSmoothing).toBe(0);
        expect(methodParams(method, true).map((s) => s.key)).toContain(BGD_SMOOTHING.key);
      } else {
        const error = caught(() => resolveSettings(method, {}, true));
        expect(error).toBeInstanceOf(MethodError);
        expect(error.message).toContain(`${method.id} cannot be combined with BGD`);
        expect(error.message).toMatch(/gd, kl, npo/);
      }
    }
  });
});
