// `npm run bench:engine`: times one full AdamW training step of the engine's reference transformer
// (src/engine/reference tiny-transformer: 4 layers, d=256, vocab 1024, batch 4 x 256 = 1024 tokens) on
// onnxruntime-node with 2 threads, the same step on onnxruntime-web WASM in Node, a LoRA-only step,
// and a plain 1024^3 MatMul for scale. Prints the machine first and one JSON object last.
// `--profile` adds ORT's per-op-type profile of the full step. Not a test: figures, no pass/fail.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { TrainSession, openRuntime, type Runtime } from '../src/runtime/index.ts';
import { copyTaskBatches, emitTrainStep } from '../src/runtime/check/engine-case.ts';
import { tinyTransformer, type TinyTransformerOptions } from '../src/engine/reference/tiny-transformer.ts';
import { Rng } from '../src/core/rng.ts';
import onnxProto from 'onnx-proto';

const REFERENCE: TinyTransformerOptions = { layers: 4, dModel: 256, heads: 4, vocab: 1024, seq: 256, batch: 4, seed: 1 };
const THREADS = 2;
const profile = process.argv.includes('--profile');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** FLOPs of one step: 6 per param per token (2 forward, 4 backward) + causal-agnostic attention
 *  scores and mixing, 2 matmuls of 2*T*T*d per layer forward, x3 with backward = 12*L*B*T^2*d. */
function stepFlops(params: number): number {
  const { layers, dModel, seq, batch } = REFERENCE;
  return 6 * params * batch * seq + 12 * layers * batch * seq * seq * dModel;
}

interface Timing { medianMs: number; samples: number[]; buildMs: number; firstStepMs: number }

async function timeStep(runtime: Runtime, options: TinyTransformerOptions, steps: number, profilePrefix?: string): Promise<Timing & { params: number; trainable: number }> {
  const started = performance.now();
  const model = tinyTransformer(options);
  const emitted = emitTrainStep(model.step!);
  const buildMs = performance.now() - started;
  const train = await TrainSession.create(runtime, emitted.graph, { initial: emitted.initial, label: 'reference step', profilePrefix });
  const batches = copyTaskBatches(options, 2, 3);
  const samples: number[] = [];
  let firstStepMs = 0;
  for (let t = 1; t <= steps + 1; t++) {
    const before = performance.now();
    const result = await train.step(batches[t % 2], { lr: 1e-3, step: t });
    const elapsed = performance.now() - before;
    if (!result.finite) throw new Error(`step ${t} was not finite (loss ${result.loss}): the benchmark needs a healthy step`);
    if (t === 1) firstStepMs = elapsed; // includes ORT's first-run allocations
    else samples.push(elapsed);
  }
  if (profilePrefix) train.endProfiling();
  await train.dispose();
  return { medianMs: median(samples), samples, buildMs, firstStepMs, params: model.paramCount, trainable: model.trainableParamCount };
}

async function matmulGflops(runtime: Runtime, n = 1024, runs = 10): Promise<number> {
  const { onnx } = onnxProto;
  const info = (name: string) => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } } } });
  const model = onnx.ModelProto.encode({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
    graph: { name: 'matmul', node: [{ opType: 'MatMul', input: ['a', 'b'], output: ['c'] }], input: [info('a'), info('b')], output: [info('c')] },
  }).finish();
  const session = await runtime.createSession(model, { label: `MatMul ${n}^3` });
  const rng = new Rng(5, 'bench-matmul');
  const operand = () => ({ type: 'float32' as const, dims: [n, n], data: Float32Array.from({ length: n * n }, () => rng.normal()) });
  const feeds = { a: operand(), b: operand() };
  await session.run(feeds);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = performance.now();
    await session.run(feeds);
    samples.push(performance.now() - before);
  }
  await session.dispose();
  return (2 * n ** 3) / (median(samples) / 1000) / 1e9;
}

/** Sums ORT profile kernel times by op type; prints the top entries. */
function printProfile(file: string, steps: number): void {
  const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
  const byOp = new Map<string, { us: number; count: number }>();
  for (const event of events) {
    if (event.cat !== 'Node' || !event.name.endsWith('_kernel_time')) continue;
    const op = event.args?.op_name ?? '?';
    const entry = byOp.get(op) ?? { us: 0, count: 0 };
    entry.us += event.dur;
    entry.count += 1;
    byOp.set(op, entry);
  }
  const total = [...byOp.values()].reduce((sum, entry) => sum + entry.us, 0);
  console.log(`ORT profile of ${steps + 1} steps (first included), kernel time by op type, per step:`);
  for (const [op, entry] of [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, 15)) {
    console.log(`  ${op.padEnd(22)} ${(entry.us / 1000 / (steps + 1)).toFixed(1).padStart(7)} ms  ${((100 * entry.us) / total).toFixed(1).padStart(5)}%  (${Math.round(entry.count / (steps + 1))} nodes)`);
  }
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()}-${os.arch()}`);
  const { layers, dModel, heads, vocab, batch, seq } = REFERENCE;
  console.log(`reference step: ${layers} layers, d=${dModel}, ${heads} heads, vocab ${vocab}, batch ${batch} x ${seq} = ${batch * seq} tokens, AdamW, clip 1`);

  const cpu = await openRuntime({ backend: 'cpu', threads: THREADS });
  const full = await timeStep(cpu, REFERENCE, 10);
  const flops = stepFlops(full.params);
  const gflops = flops / (full.medianMs / 1000) / 1e9;
  console.log(`ORT-node cpu, ${THREADS} threads: ${round(full.medianMs)} ms/step median of ${full.samples.length} (first ${round(full.firstStepMs)} ms; graph build+export ${round(full.buildMs)} ms)`);
  console.log(`  params ${full.params}, FLOPs/step = 6*params*tokens + 12*layers*batch*seq^2*d = ${(flops / 1e9).toFixed(2)} GFLOP -> ${round(gflops)} GFLOP/s`);
  const matmul = await matmulGflops(cpu);
  console.log(`  plain MatMul 1024x1024x1024: ${round(matmul)} GFLOP/s; step/MatMul ratio ${(gflops / matmul).toFixed(2)}`);

  const lora = await timeStep(cpu, { ...REFERENCE, lora: { rank: 8, alpha: 16 } }, 10);
  console.log(`LoRA step (rank 8 on q/k/v/o, ${lora.trainable} trainable params): ${round(lora.medianMs)} ms/step`);

  if (profile) {
    const dir = mkdtempSync(join(os.tmpdir(), 'bench-engine-'));
    await timeStep(cpu, REFERENCE, 3, join(dir, 'step'));
    const file = readdirSync(dir).find((name) => name.endsWith('.json'));
    if (file) printProfile(join(dir, file), 3);
    rmSync(dir, { recursive: true, force: true });
  }
  await cpu.dispose();

  const wasm = await openRuntime({ backend: 'wasm', threads: THREADS });
  const onWasm = await timeStep(wasm, REFERENCE, 3);
  console.log(`ORT-web wasm in Node, ${wasm.threads} threads: ${round(onWasm.medianMs)} ms/step median of ${onWasm.samples.length}`);
  await wasm.dispose();

  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`peak RSS ${round(peakRssMb)} MB`);
  console.log(JSON.stringify({
    stepMs: round(full.medianMs), gflops: round(gflops), matmulGflops: round(matmul), ratio: round(gflops / matmul, 2),
    wasmStepMs: round(onWasm.medianMs), loraStepMs: round(lora.medianMs), peakRssMb: round(peakRssMb),
  }));
}

await main();
