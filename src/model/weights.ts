// Binds PE-Tiny's named parameters to one engine Graph: each parameter becomes a graph param on
// first use (ONNX value `p:<name>`), trainable or frozen by the graph's policy, with its current
// value; `linear` adds a LoRA adapter to the chosen weights. Graph code asks for weights by name
// only, so the training, scoring and inference graphs cannot drift apart.
// Not here: which parameters a training mode trains (vlm.ts decides and passes the policy).
import type { Rng } from '../core/rng.ts';
import * as E from '../engine/index.ts';
import type { PeTinyConfig } from './config.ts';
import { specMap, type ParamSpec, type Params } from './params.ts';

export interface LoraBinding {
  rank: number;
  alpha: number;
  /** Which weight matrices get an adapter. */
  adapts: (name: string) => boolean;
  /** Draws fresh A matrices. */
  rng: Rng;
  /** Existing adapter values (`<name>.lora_a` / `.lora_b`) to continue from. */
  adapters?: Params;
  /**
   * The adapters are graph inputs of those names, fed at each run, instead of params: an inference
   * graph that follows a training run's adapters without being rebuilt (rng and adapters unused).
   */
  asInputs?: boolean;
}

export interface WeightPolicy {
  /** Whether a base parameter gets gradients. */
  trainable: (name: string) => boolean;
  lora?: LoraBinding;
}

export class Weights {
  private readonly specs: Map<string, ParamSpec>;
  private readonly bound = new Map<string, E.Tensor>();

  constructor(
    readonly graph: E.Graph,
    readonly cfg: PeTinyConfig,
    private readonly params: Params,
    private readonly policy: WeightPolicy,
  ) {
    this.specs = specMap(cfg);
  }

  /** The graph tensor of a named parameter (declared once). */
  get(name: string): E.Tensor {
    const known = this.bound.get(name);
    if (known) return known;
    const spec = this.specs.get(name);
    if (!spec) throw new Error(`PE-Tiny has no parameter "${name}"`);
    const data = this.params[name];
    if (!data) throw new Error(`no value for parameter "${name}": pass every parameter (initParams gives fresh ones)`);
    const t = this.graph.param(name, spec.shape, { data, trainable: this.policy.trainable(name) });
    this.bound.set(name, t);
    return t;
  }

  /** x (..., in) @ W (in, out) (+ bias) (+ LoRA adapter when the policy adapts W). */
  linear(x: E.Tensor, weightName: string, biasName?: string): E.Tensor {
    const weight = this.get(weightName);
    const lora = this.policy.lora;
    let y: E.Tensor;
    if (lora?.asInputs && lora.adapts(weightName)) {
      const [inDim, outDim] = weight.shape as number[];
      const a = this.graph.input(`${weightName}.lora_a`, [inDim, lora.rank]);
      const b = this.graph.input(`${weightName}.lora_b`, [lora.rank, outDim]);
      y = E.loraOutput(x, weight, a, b, lora.alpha / lora.rank);
    } else if (lora && lora.adapts(weightName)) {
      y = E.lora(x, weight, { name: weightName, rank: lora.rank, alpha: lora.alpha, rng: lora.rng.fork(weightName) }).y;
      for (const suffix of ['lora_a', 'lora_b']) {
        const existing = lora.adapters?.[`${weightName}.${suffix}`];
        if (existing) this.graph.setParamData(`${weightName}.${suffix}`, existing);
      }
    } else {
      y = E.linear(x, weight);
    }
    return biasName ? E.add(y, this.get(biasName)) : y;
  }
}
