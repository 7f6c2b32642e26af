// The methods the lab offers, in table order, and the checks on a method's parameters. The CLI's
// `unlearn` flags and the lab's Method panel are generated from these entries.
// Not here: method maths (one file per method) or running them (driver.ts).
import { BGD_SMOOTHING } from './bgd.ts';
import { DPO } from './dpo.ts';
import { GA } from './ga.ts';
import { GD } from './gd.ts';
import { KL } from './kl.ts';
import { RUN_PARAMS, type MethodDef, type MethodId, type ParamSpec } from './method.ts';
import { NPO } from './npo.ts';
import { PO } from './po.ts';

export const METHODS: readonly MethodDef[] = [PO, GA, GD, KL, DPO, NPO];
export const METHOD_IDS = METHODS.map((m) => m.id);

export class MethodError extends Error {
  override name = 'MethodError';
}

export function getMethod(id: string): MethodDef {
  const method = METHODS.find((m) => m.id === id);
  if (!method) throw new MethodError(`unknown method "${id}". Valid methods: ${METHOD_IDS.join(', ')}`);
  return method;
}

/** Every parameter a method takes, shared ones first; BGD's own when asked for. */
export function methodParams(method: MethodDef, bgd = false): ParamSpec[] {
  const own = (p: ParamSpec): ParamSpec => (method.defaults?.[p.key] !== undefined ? { ...p, default: method.defaults[p.key] } : p);
  return [...RUN_PARAMS, ...method.params, ...(bgd ? [BGD_SMOOTHING] : [])].map(own);
}

/** Settings of one run: every parameter of the method with a value. */
export type MethodSettings = Record<string, number>;

/** Defaults overridden by `given`; throws naming the parameter and its range when a value is invalid or unknown. */
export function resolveSettings(method: MethodDef, given: Readonly<Record<string, number | undefined>>, bgd = false): MethodSettings {
  if (bgd && !method.bgd) {
    const can = METHODS.filter((m) => m.bgd).map((m) => m.id);
    throw new MethodError(`${method.id} cannot be combined with BGD; methods with a BGD form: ${can.join(', ')}`);
  }
  const specs = methodParams(method, bgd);
  const out: MethodSettings = {};
  for (const spec of specs) out[spec.key] = spec.default;
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const spec = specs.find((s) => s.key === key);
    if (!spec) throw new MethodError(`${method.id} has no parameter "${key}". Its parameters: ${specs.map((s) => s.key).join(', ')}`);
    if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) {
      throw new MethodError(`${spec.key} (--${spec.flag}) must be ${spec.integer ? 'an integer' : 'a number'} from ${spec.min} to ${spec.max}, got ${value}`);
    }
    out[key] = value;
  }
  return out;
}
