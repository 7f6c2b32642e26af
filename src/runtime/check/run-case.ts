// Runs a parity case on one Runtime and reports every step's loss, gradient norm, finite flag and
// time, plus where the state lived between steps. Shared by the Node tests and the self-check page.
// Not an assertion library: callers compare the numbers.
import type { Runtime } from '../runtime.ts';
import { TrainSession } from '../train-session.ts';
import type { ParityCase } from './cases.ts';

export interface CaseReport {
  readonly case: string;
  readonly backend: string;
  readonly threads: number;
  readonly losses: number[];
  readonly gradNorms: number[];
  readonly finite: boolean[];
  readonly stepMs: number[];
  /** Location of the state tensors after the last step: 'gpu-buffer' on WebGPU, 'cpu' elsewhere. */
  readonly stateLocation: string;
}

export async function runParityCase(runtime: Runtime, parityCase: ParityCase): Promise<CaseReport> {
  const train = await TrainSession.create(runtime, parityCase.graph, { initial: parityCase.initial, label: `parity case ${parityCase.name}` });
  const report: CaseReport = {
    case: parityCase.name, backend: runtime.backend, threads: runtime.threads,
    losses: [], gradNorms: [], finite: [], stepMs: [], stateLocation: '',
  };
  try {
    for (let step = 1; step <= parityCase.steps; step++) {
      const batch = parityCase.batches[(step - 1) % parityCase.batches.length];
      const started = performance.now();
      const result = await train.step(batch, { lr: parityCase.lr, step });
      report.stepMs.push(performance.now() - started);
      report.losses.push(result.loss);
      report.gradNorms.push(result.gradNorm);
      report.finite.push(result.finite);
    }
    return { ...report, stateLocation: train.stateLocation(train.stateNames[0]) };
  } finally {
    await train.dispose();
  }
}

/** Largest |a - b| / max(|b|, tiny) over two equally long series. */
export function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`series differ in length: ${a.length} vs ${b.length}`);
  return Math.max(0, ...a.map((value, i) => Math.abs(value - b[i]) / Math.max(Math.abs(b[i]), 1e-12)));
}
