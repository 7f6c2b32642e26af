// The same emitted step graph gives the same loss at every step on onnxruntime-node (CPU) and on
// onnxruntime-web's WASM backend running in Node (relative difference <= 1e-4).
import { describe, expect, it } from 'vitest';
import { openRuntime } from '../../../src/runtime/index.ts';
import { PARITY_CASES, buildParityCase } from '../../../src/runtime/check/cases.ts';
import { maxRelativeDifference, runParityCase } from '../../../src/runtime/check/run-case.ts';

describe.each(PARITY_CASES)('parity of %s between cpu and wasm', (name) => {
  it('matches loss and gradient norm at every step', async () => {
    const parityCase = buildParityCase(name, 6);
    const cpu = await openRuntime({ backend: 'cpu' });
    const wasm = await openRuntime({ backend: 'wasm' });
    const onCpu = await runParityCase(cpu, parityCase);
    const onWasm = await runParityCase(wasm, parityCase);
    expect(onCpu.backend).toBe('cpu');
    expect(onWasm.backend).toBe('wasm');
    expect(onCpu.losses).toHaveLength(6);
    expect(onCpu.finite.every(Boolean) && onWasm.finite.every(Boolean)).toBe(true);
    // Training is actually happening (the loss on each of the two alternating batches falls), so
    // matching losses at later steps mean matching updates.
    for (let i = 0; i + 2 < 6; i++) expect(onCpu.losses[i + 2]).toBeLessThan(onCpu.losses[i]);
    const lossDifference = maxRelativeDifference(onWasm.losses, onCpu.losses);
    console.log(`${name}: max relative loss difference wasm vs cpu over 6 steps ${lossDifference.toExponential(2)}`);
    expect(lossDifference).toBeLessThanOrEqual(1e-4);
    expect(maxRelativeDifference(onWasm.gradNorms, onCpu.gradNorms)).toBeLessThanOrEqual(1e-4);
    await Promise.all([cpu.dispose(), wasm.dispose()]);
  });
});
