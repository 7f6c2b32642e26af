// Checkpoint states of a lab run: turning a run's trained tensors into a LabState (fresh Float32Array
// copies, safe to transfer) and checking a LabState handed back before anything is loaded: schema,
// the Finetune model hash, the exact run config, the step range, and every tensor's name, shape and
// type against the running graph. A failed check throws LabError('bad-input') and changes nothing.
// Not here: the LabState contract (storage/lab-state.ts), where states are stored (storage/) or loading them (lab-engine.ts).
import type { HostTensor } from '../runtime/types.ts';
import { LAB_STATE_SCHEMA, LabError, type LabState } from './lab-protocol.ts';
import { sameRunConfig, type RunConfig } from '../unlearning/run-config.ts';

export function labState(modelHash: string, config: RunConfig, step: number, trained: Readonly<Record<string, HostTensor>>): LabState {
  const tensors: LabState['tensors'] = {};
  for (const [name, t] of Object.entries(trained)) {
    if (t.type !== 'float32') throw new Error(`trained tensor ${name} is ${t.type}; lab states hold float32 only`);
    tensors[name] = { dims: [...t.dims], data: Float32Array.from(t.data as Float32Array) };
  }
  return { schema: LAB_STATE_SCHEMA, modelHash, config: structuredClone(config), step, tensors };
}

/** The state's tensors as host tensors, after checking that it fits this run exactly. */
export function checkLabState(
  state: LabState, expected: { modelHash: string; config: RunConfig; totalSteps: number; tensors: Readonly<Record<string, HostTensor>> },
): Record<string, HostTensor> {
  const bad = (message: string): never => {
    throw new LabError('bad-input', `this state cannot be restored: ${message}; nothing was changed`);
  };
  if (!state || typeof state !== 'object') bad('it is not a lab state object');
  if (state.schema !== LAB_STATE_SCHEMA) bad(`its schema is ${JSON.stringify(state.schema)}, this lab reads ${LAB_STATE_SCHEMA}`);
  if (state.modelHash !== expected.modelHash) {
    bad(`it was made from Finetune model ${String(state.modelHash).slice(0, 12)}, but the loaded model is ${expected.modelHash.slice(0, 12)}: load that model first`);
  }
  if (!state.config || !sameRunConfig(state.config, expected.config)) {
    bad(`its run config ${JSON.stringify(state.config)} differs from the configured run ${JSON.stringify(expected.config)}: configure the same request, method, settings and seed first`);
  }
  if (!Number.isInteger(state.step) || state.step < 0 || state.step > expected.totalSteps) bad(`its step ${state.step} is not within 0-${expected.totalSteps}`);
  const given = state.tensors ?? {};
  const want = Object.keys(expected.tensors).sort();
  const have = Object.keys(given).sort();
  if (JSON.stringify(want) !== JSON.stringify(have)) {
    const missing = want.filter((n) => !(n in given));
    const extra = have.filter((n) => !(n in expected.tensors));
    bad(`its tensors do not match the run's (missing: ${missing.join(', ') || 'none'}; unknown: ${extra.join(', ') || 'none'})`);
  }
  const out: Record<string, HostTensor> = {};
  for (const name of want) {
    const { dims } = given[name];
    const wantDims = expected.tensors[name].dims;
    if (!Array.isArray(dims) || dims.join() !== wantDims.join()) bad(`tensor ${name} has shape [${String(dims)}], the run's is [${wantDims.join(',')}]`);
    out[name] = checkedTensor(name, given[name], bad);
  }
  return out;
}

/** One float32 tensor of a state handed back, as a fresh host tensor: its data must fill its shape with finite values. */
export function checkedTensor(name: string, tensor: LabState['tensors'][string], bad: (message: string) => never): HostTensor {
  const { dims, data } = tensor ?? {};
  if (!Array.isArray(dims) || !dims.every((d) => Number.isInteger(d) && d > 0)) bad(`tensor ${name} has no shape`);
  const size = dims.reduce((a, b) => a * b, 1);
  if (!(data instanceof Float32Array) || data.length !== size) bad(`tensor ${name} must be a Float32Array of ${size} values`);
  if (!data.every(Number.isFinite)) bad(`tensor ${name} holds non-finite values (corrupt)`);
  return { type: 'float32', dims: [...dims], data: Float32Array.from(data) };
}
