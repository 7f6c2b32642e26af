// In-graph optimizers against plain-JS reference implementations on a quadratic whose gradient is
// known in closed form: AdamW (bias correction, decoupled decay on matrices only), SGD with momentum,
// and global-norm clipping (grad_norm reports the raw norm).
import { describe, expect, test } from 'vitest';
import * as E from '../../../src/engine/index.ts';
import { StepLoop } from './harness.ts';

const target = [0.5, -1, 2, 0.25, -0.75, 1.5];
const w0 = [1, 2, -1, 0.5, 0.1, -2];
const b0 = [0.3, -0.4, 0.2];

/** loss = 0.5 * sum((w - target)^2) + sum(b^2): grad_w = w - target, grad_b = 2 b. */
function quadratic(optimizer: E.OptimizerConfig, clipNorm = 0): E.TrainStep {
  const g = new E.Graph('float64');
  const w = g.param('w', [2, 3], { data: w0 });
  const b = g.param('b', [3], { data: b0 });
  const diff = E.sub(w, g.constant(target, [2, 3]));
  const loss = E.add(E.mul(E.reduceSum(E.mul(diff, diff)), 0.5), E.reduceSum(E.mul(b, b)));
  return E.buildTrainStep(g, { loss, optimizer, clipNorm });
}

/** Exact gradients, clipped to a global norm of maxNorm (0 = no clipping) like the graph does. */
function grads(w: number[], b: number[], maxNorm = 0) {
  const raw = { w: w.map((x, i) => x - target[i]), b: b.map((x) => 2 * x) };
  const norm = Math.hypot(...raw.w, ...raw.b);
  const scale = maxNorm > 0 ? Math.min(1, maxNorm / (norm + 1e-6)) : 1;
  return { w: raw.w.map((x) => x * scale), b: raw.b.map((x) => x * scale) };
}

describe('optimizers match reference implementations', () => {
  test.each([0, 0.5])('AdamW (clip %s): bias-corrected moments, decoupled weight decay on matrices only', async (clip) => {
    const cfg = { beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1 };
    const loop = await StepLoop.create(quadratic({ kind: 'adamw', ...cfg }, clip));
    const ref = { w: [...w0], b: [...b0] };
    const m = { w: w0.map(() => 0), b: b0.map(() => 0) };
    const v = { w: w0.map(() => 0), b: b0.map(() => 0) };
    const lrs = [0.1, 0.05, 0.2];
    for (let t = 1; t <= lrs.length; t++) {
      const lr = lrs[t - 1];
      const gr = grads(ref.w, ref.b, clip);
      for (const key of ['w', 'b'] as const) {
        const decay = key === 'w' ? 1 - lr * cfg.weightDecay : 1;
        ref[key] = ref[key].map((p, i) => {
          m[key][i] = cfg.beta1 * m[key][i] + (1 - cfg.beta1) * gr[key][i];
          v[key][i] = cfg.beta2 * v[key][i] + (1 - cfg.beta2) * gr[key][i] ** 2;
          const mHat = m[key][i] / (1 - cfg.beta1 ** t);
          const vHat = v[key][i] / (1 - cfg.beta2 ** t);
          return p * decay - (lr * mHat) / (Math.sqrt(vHat) + cfg.eps);
        });
      }
      const r = await loop.run({}, lr);
      expect(r.finite).toBe(true);
    }
    Array.from(loop.state['p:w']).forEach((x, i) => expect(x).toBeCloseTo(ref.w[i], 12));
    Array.from(loop.state['p:b']).forEach((x, i) => expect(x).toBeCloseTo(ref.b[i], 12));
    Array.from(loop.state['v:b']).forEach((x, i) => expect(x).toBeCloseTo(v.b[i], 12));
    await loop.release();
  });

  test.each([0, 0.5])('SGD with momentum (clip %s)', async (clip) => {
    const loop = await StepLoop.create(quadratic({ kind: 'sgd', momentum: 0.9 }, clip));
    const ref = { w: [...w0], b: [...b0] };
    const buf = { w: w0.map(() => 0), b: b0.map(() => 0) };
    for (let t = 0; t < 3; t++) {
      const gr = grads(ref.w, ref.b, clip);
      for (const key of ['w', 'b'] as const) {
        ref[key] = ref[key].map((p, i) => {
          buf[key][i] = 0.9 * buf[key][i] + gr[key][i];
          return p - 0.1 * buf[key][i];
        });
      }
      await loop.run({}, 0.1);
    }
    Array.from(loop.state['p:w']).forEach((x, i) => expect(x).toBeCloseTo(ref.w[i], 12));
    Array.from(loop.state['m:b']).forEach((x, i) => expect(x).toBeCloseTo(buf.b[i], 12));
    await loop.release();
  });

  test('global-norm clipping scales all gradients together; grad_norm is the raw norm', async () => {
    const gr = grads(w0, b0);
    const rawNorm = Math.hypot(...gr.w, ...gr.b);
    const maxNorm = rawNorm / 4;
    const loop = await StepLoop.create(quadratic({ kind: 'sgd' }, maxNorm));
    const r = await loop.run({}, 1);
    expect(r.gradNorm).toBeCloseTo(rawNorm, 12);
    const applied = [
      ...Array.from(loop.state['p:w'], (x, i) => w0[i] - x),
      ...Array.from(loop.state['p:b'], (x, i) => b0[i] - x),
    ];
    expect(Math.hypot(...applied)).toBeCloseTo(maxNorm * (rawNorm / (rawNorm + 1e-6)), 9);
    // Direction is kept: every component is scaled by the same factor.
    const ratio = applied[0] / gr.w[0];
    applied.forEach((a, i) => expect(a).toBeCloseTo(ratio * [...gr.w, ...gr.b][i], 12));
    await loop.release();
  });
});
