// Forget requests written on the command line: a default request by name (persons, events, joint:
// the 5% requests of docs/paper.md section 3) or concept:ratio (person:0.1, event:0.05, both:0.05,0.1).
// Not here: whether the world can take the request (requestProblem in src/world/splits.ts).
import { CliError } from './args.ts';
import { DEFAULT_REQUESTS, type ForgetRequest } from '../world/index.ts';

const FORMS = 'persons | events | joint | person:R | event:R | both:R,R (R a ratio in (0, 1), e.g. 0.05)';

export function parseForgetSpec(spec: string, forgetSeed: number): ForgetRequest {
  // Own names only: `constructor` or `toString` are not requests.
  if (Object.hasOwn(DEFAULT_REQUESTS, spec)) return { ...(DEFAULT_REQUESTS as Record<string, ForgetRequest>)[spec], forgetSeed };
  const match = /^(person|event|both):([0-9.]+)(?:,([0-9.]+))?$/.exec(spec);
  const ratio = (text: string | undefined): number => {
    const value = Number(text);
    if (text === undefined || !(value > 0 && value < 1)) throw new CliError(`forget spec "${spec}": ratios must be in (0, 1). Valid forms: ${FORMS}`);
    return value;
  };
  if (!match) throw new CliError(`unknown forget spec "${spec}". Valid forms: ${FORMS}`);
  const [, target, first, second] = match;
  if (target === 'both') {
    if (second === undefined) throw new CliError(`forget spec "${spec}": both needs two ratios (persons,events), e.g. both:0.05,0.05`);
    return { target: 'both', personRatio: ratio(first), eventRatio: ratio(second), forgetSeed };
  }
  if (second !== undefined) throw new CliError(`forget spec "${spec}": ${target} takes one ratio`);
  return target === 'person' ? { target: 'person', personRatio: ratio(first), forgetSeed } : { target: 'event', eventRatio: ratio(first), forgetSeed };
}
