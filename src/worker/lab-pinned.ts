// A pinned run's weights answering a probe: the page keeps each pinned run's trained weights (the
// `weights` request: LoRA adapters or the trained blocks, as a LabState without optimizer state) and
// hands them back with a question, so a pin answers questions asked after it was pinned. Checked
// before any model runs (the Finetune model they were trained from, names, shapes, finite values);
// a refusal is a LabError('bad-input'). Not here: the current run's weights (lab-prober.ts).
import { PARAM_PREFIX } from '../engine/index.ts';
import { paramsFromState } from '../model/graph-io.ts';
import type { InferenceSessions } from '../runtime/generate.ts';
import type { HostTensor } from '../runtime/types.ts';
import { loraAlpha } from '../unlearning/step-graph.ts';
import type { LabModels } from './lab-models.ts';
import { checkedTensor } from './lab-state.ts';
import { LabError, type PinnedWeights } from './lab-protocol.ts';

const LORA = /\.lora_[ab]$/;

/** Sessions answering with a pinned run's weights, and the step they are of. */
export async function pinnedSessions(models: LabModels, weights: PinnedWeights): Promise<{ sessions: InferenceSessions; step: number }> {
  const bad = (message: string): never => {
    throw new LabError('bad-input', `this pinned run cannot answer: ${message}`);
  };
  const state = weights?.state;
  if (!state || typeof state !== 'object' || typeof weights.id !== 'string') bad('its weights are not { id, state } (a `weights` result)');
  const { modelHash } = models.finetune.manifest;
  if (state.modelHash !== modelHash) {
    bad(`it was trained from Finetune model ${String(state.modelHash).slice(0, 12)}, but the loaded model is ${modelHash.slice(0, 12)}`);
  }
  if (!Number.isInteger(state.step) || state.step < 0) bad(`its step ${String(state.step)} is not a step`);
  const tensors = checkedTensors(state.tensors ?? {}, bad);
  // Step 0 and a diverged run (no tensors): the weights are Finetune's own.
  if (state.step === 0 || Object.keys(tensors).length === 0) return { sessions: models.base, step: state.step };
  const finetune = models.finetune.params;
  const names = Object.keys(tensors).map((n) => n.slice(PARAM_PREFIX.length));
  if (!state.config?.lastBlocks) {
    const rank = state.config?.settings?.loraRank;
    if (!Number.isInteger(rank) || rank < 1) bad('its config names no LoRA rank');
    const foreign = names.filter((n) => !LORA.test(n) || !(n.replace(LORA, '') in finetune));
    if (foreign.length) bad(`${foreign.slice(0, 3).join(', ')} ${foreign.length === 1 ? 'is not a LoRA adapter' : 'are not LoRA adapters'} of this model`);
    const values = Object.fromEntries(names.map((n, i) => [n, Object.values(tensors)[i]]));
    return { sessions: await models.sessionsWithAdapters({ rank, alpha: loraAlpha(rank), values }), step: state.step };
  }
  const misfit = names.filter((n) => finetune[n]?.length !== tensors[PARAM_PREFIX + n].data.length);
  if (misfit.length) bad(`${misfit.slice(0, 3).join(', ')} ${misfit.length === 1 ? 'does' : 'do'} not fit this model's weights`);
  const params = paramsFromState(finetune, tensors);
  return { sessions: await models.sessionsFor(`pinned:${weights.id}`, params, 'pinned'), step: state.step };
}

function checkedTensors(given: PinnedWeights['state']['tensors'], bad: (message: string) => never): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, tensor] of Object.entries(given)) {
    if (!name.startsWith(PARAM_PREFIX)) bad(`${name} is not a weight`);
    out[name] = checkedTensor(name, tensor, bad);
  }
  return out;
}
