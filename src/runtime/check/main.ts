// The runtime self-check page (engine-check.html): builds a parity case in the page, trains it for a
// few steps on the backend named in the URL (?backend=auto|wasm|webgpu&case=...&steps=N), and
// prints a JSON report into #result. Used by the Playwright parity test and handy for checking a
// browser's WebGPU/WASM setup by hand. Not part of the lab's UI.
// Through the universal entry on purpose: the page proves it picks onnxruntime-web in a browser
// and that the bundle works without onnxruntime-node.
import { openRuntime } from '../index.ts';
import type { BackendChoice } from '../types.ts';
import { buildParityCase } from './cases.ts';
import { runParityCase } from './run-case.ts';

const BACKENDS: readonly BackendChoice[] = ['auto', 'wasm', 'webgpu'];

async function main(): Promise<void> {
  const output = document.getElementById('result')!;
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? 'auto') as BackendChoice;
  const caseName = params.get('case') ?? 'toy-regression';
  const steps = Number(params.get('steps') ?? 5);
  output.dataset.status = 'running';
  output.textContent = `running ${caseName} for ${steps} steps on ${backend}...`;
  try {
    if (!BACKENDS.includes(backend)) throw new Error(`backend must be one of ${BACKENDS.join(', ')}, got "${backend}"`);
    const runtime = await openRuntime({ backend });
    const report = await runParityCase(runtime, buildParityCase(caseName, steps));
    await runtime.dispose();
    output.textContent = JSON.stringify({ ...report, crossOriginIsolated: globalThis.crossOriginIsolated === true }, null, 2);
    output.dataset.status = 'done';
  } catch (error) {
    output.textContent = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    output.dataset.status = 'error';
  }
}

void main();
