// RMU, representation misdirection for unlearning (Li et al. 2024, "The WMDP Benchmark: Measuring and
// Reducing Malicious Use with Unlearning"), on the output h_l of decoder block l:
//   L(theta) = E_{D_f} mean_t (1/D) ||h_l,theta(x)_t - c u||^2 + alpha E_{D_r} mean_t (1/D) ||h_l,theta(x)_t - h_l,theta0(x)_t||^2
// u: a fixed random unit vector (uniform [0, 1) entries, normalised, as in the WMDP code; drawn from
// the run's seed), c the steering coefficient, D the decoder width, t the answer positions of a row
// (those that predict the answer: where the knowledge is read out); theta0 is the frozen Finetune
// model, its retain activations computed once (reference.ts). The squared distances are means over
// the width (the reference code's MSE).
// In plain words: scramble what one layer says about the forget answers, so every later layer
// reads noise there, and keep that layer unchanged on retained answers.
// Trained: the LoRA adapters of every decoder layer as for every method, but only blocks 0..l reach
// the loss, so only those move (blocks above keep B = 0): on PE-Tiny's 4 blocks with l = 2 that is
// exactly RMU's l-2..l neighbourhood. With --last-blocks k only blocks >= layers - k train, so l
// must be one of them. Learning rate and steps are tuned (`pebench tune`); l = 2, c = 150, alpha = 100 are starting values, c about
// 3 x the median length of Finetune's block-2 output on answer tokens (47; scripts/rmu-scale.ts).
import { Rng } from '../core/rng.ts';
import * as E from '../engine/index.ts';
import { RMU_CARD } from './cards.ts';
import type { ForgetContext, MethodDef } from './method.ts';

/** The step input of Finetune's block-l output on the batch (B, T, D), zeros off retain answer tokens. */
export const RMU_REF_HIDDEN = 'ref_hidden';

/** RMU's fixed random direction u (unit length, D entries) of a run's seed. */
export function rmuDirection(seed: number, width: number): number[] {
  const rng = new Rng(seed, 'rmu/direction');
  const raw = Array.from({ length: width }, () => rng.next());
  const norm = Math.hypot(...raw);
  return raw.map((v) => v / norm);
}

/** Mean over the width of (a - b)^2: (B, T, D) -> (B, T). */
export function meanSquare(a: E.Tensor, b: E.Tensor): E.Tensor {
  const d = E.sub(a, b);
  return E.reduceMean(E.mul(d, d), [-1]);
}

function hiddenOf(ctx: ForgetContext): E.Tensor {
  if (!ctx.hidden) throw new RangeError('RMU needs the output of a decoder block (the step graph passes it when the card needs referenceHidden)');
  return ctx.hidden;
}

export const RMU: MethodDef = {
  ...RMU_CARD,
  perRow: (ctx) => {
    const h = hiddenOf(ctx);
    const width = h.shape[2] as number;
    const u = h.graph.constant(rmuDirection(ctx.seed, width).map((v) => v * ctx.settings.steer), [width]);
    const perToken = meanSquare(h, u); // (B, T)
    return E.div(E.reduceSum(E.mul(perToken, ctx.mask), [-1]), E.maximum(E.reduceSum(ctx.mask, [-1]), 1));
  },
  retainLoss: (ctx) => {
    const h = hiddenOf(ctx);
    const reference = ctx.input(RMU_REF_HIDDEN, h.shape as number[]);
    return E.maskedMean(meanSquare(h, reference), E.mul(ctx.mask, E.unsqueeze(ctx.retainRows, [1])));
  },
};
