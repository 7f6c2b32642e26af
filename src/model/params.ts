// PE-Tiny's named parameters: the one list of names and shapes that every graph (training, scoring,
// the three inference graphs) binds to, their initial values, and helpers to count them and to
// read trained values back from a training step's state.
// Not here: how parameters are used (vision.ts, projector.ts, decoder.ts) or stored (export.ts).
import { Rng } from '../core/rng.ts';
import { imageGrid, type PeTinyConfig } from './config.ts';

/** Parameter values by name, row-major float32 (matrices are (in, out)). */
export type Params = Record<string, Float32Array>;

export type ParamInit =
  | { kind: 'normal'; std: number }
  | { kind: 'zeros' }
  | { kind: 'ones' };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
}

export type ParamGroup = 'vision' | 'projector' | 'decoder';

export function paramGroup(name: string): ParamGroup {
  const group = name.split('.')[0];
  if (group === 'vision' || group === 'projector' || group === 'decoder') return group;
  throw new Error(`parameter "${name}" belongs to no group (names start with vision., projector. or decoder.)`);
}

/** Decoder block index of a parameter name (`decoder.layers.<i>.…`), or null. */
export function decoderLayerOf(name: string): number | null {
  const match = /^decoder\.layers\.(\d+)\./.exec(name);
  return match ? Number(match[1]) : null;
}

const normal = (std: number): ParamInit => ({ kind: 'normal', std });
const ZEROS: ParamInit = { kind: 'zeros' };
const ONES: ParamInit = { kind: 'ones' };

/** Every parameter of the model, in a fixed order. */
export function paramSpecs(cfg: PeTinyConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const add = (name: string, shape: number[], init: ParamInit) => specs.push({ name, shape, init });
  const fanIn = (n: number) => normal(1 / Math.sqrt(n));

  const { vision: v, projector: pr, decoder: d } = cfg;
  const grid = imageGrid(cfg);
  const patchDim = 3 * cfg.patchSize * cfg.patchSize;
  const visionResidual = 1 / Math.sqrt(2 * v.layers);
  add('vision.patch_embed.weight', [patchDim, v.width], fanIn(patchDim));
  add('vision.patch_embed.bias', [v.width], ZEROS);
  add('vision.pos_embed', [grid.patches, v.width], normal(0.1));
  for (let l = 0; l < v.layers; l++) {
    const p = `vision.layers.${l}`;
    add(`${p}.ln1.weight`, [v.width], ONES);
    add(`${p}.ln1.bias`, [v.width], ZEROS);
    add(`${p}.qkv.weight`, [v.width, 3 * v.width], fanIn(v.width));
    add(`${p}.qkv.bias`, [3 * v.width], ZEROS);
    add(`${p}.o.weight`, [v.width, v.width], normal(visionResidual / Math.sqrt(v.width)));
    add(`${p}.o.bias`, [v.width], ZEROS);
    add(`${p}.ln2.weight`, [v.width], ONES);
    add(`${p}.ln2.bias`, [v.width], ZEROS);
    add(`${p}.fc1.weight`, [v.width, v.mlp], fanIn(v.width));
    add(`${p}.fc1.bias`, [v.mlp], ZEROS);
    add(`${p}.fc2.weight`, [v.mlp, v.width], normal(visionResidual / Math.sqrt(v.mlp)));
    add(`${p}.fc2.bias`, [v.width], ZEROS);
  }
  add('vision.ln_post.weight', [v.width], ONES);
  add('vision.ln_post.bias', [v.width], ZEROS);

  const merged = pr.merge * pr.merge * v.width;
  add('projector.fc1.weight', [merged, pr.hidden], fanIn(merged));
  add('projector.fc1.bias', [pr.hidden], ZEROS);
  add('projector.fc2.weight', [pr.hidden, d.width], fanIn(pr.hidden));
  add('projector.fc2.bias', [d.width], ZEROS);

  const decoderResidual = 1 / Math.sqrt(2 * d.layers);
  add('decoder.embed_tokens', [cfg.vocabSize, d.width], normal(1));
  for (let l = 0; l < d.layers; l++) {
    const p = `decoder.layers.${l}`;
    add(`${p}.attn_norm`, [d.width], ONES);
    add(`${p}.qkv`, [d.width, 3 * d.width], fanIn(d.width));
    add(`${p}.o`, [d.width, d.width], normal(decoderResidual / Math.sqrt(d.width)));
    add(`${p}.mlp_norm`, [d.width], ONES);
    add(`${p}.gate_up`, [d.width, 2 * d.mlp], fanIn(d.width));
    add(`${p}.down`, [d.mlp, d.width], normal(decoderResidual / Math.sqrt(d.mlp)));
  }
  add('decoder.norm', [d.width], ONES);
  add('decoder.lm_head', [d.width, cfg.vocabSize], fanIn(d.width));
  return specs;
}

export function specMap(cfg: PeTinyConfig): Map<string, ParamSpec> {
  return new Map(paramSpecs(cfg).map((s) => [s.name, s]));
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Fresh initial values; the same seed gives the same values everywhere. */
export function initParams(cfg: PeTinyConfig, seed: number): Params {
  const params: Params = {};
  const root = new Rng(seed, 'pe-tiny/init');
  for (const spec of paramSpecs(cfg)) {
    const data = new Float32Array(sizeOf(spec.shape));
    if (spec.init.kind === 'ones') data.fill(1);
    else if (spec.init.kind === 'normal') {
      const rng = root.fork(spec.name);
      for (let i = 0; i < data.length; i++) data[i] = spec.init.std * rng.normal();
    }
    params[spec.name] = data;
  }
  return params;
}

/** Parameter count per group and in total. */
export function countParams(cfg: PeTinyConfig): Record<ParamGroup | 'total', number> {
  const counts = { vision: 0, projector: 0, decoder: 0, total: 0 };
  for (const spec of paramSpecs(cfg)) {
    const n = sizeOf(spec.shape);
    counts[paramGroup(spec.name)] += n;
    counts.total += n;
  }
  return counts;
}

/** Throws naming every missing or mis-sized parameter (e.g. a checkpoint of another config). */
export function checkParams(cfg: PeTinyConfig, params: Params): void {
  const problems: string[] = [];
  for (const spec of paramSpecs(cfg)) {
    const value = params[spec.name];
    if (!value) problems.push(`${spec.name} is missing`);
    else if (value.length !== sizeOf(spec.shape)) problems.push(`${spec.name} has ${value.length} values, expected ${sizeOf(spec.shape)} [${spec.shape.join(', ')}]`);
  }
  if (problems.length) {
    const shown = problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; … ${problems.length - 8} more` : '');
    throw new Error(`parameters do not fit this PE-Tiny config: ${shown}`);
  }
}
