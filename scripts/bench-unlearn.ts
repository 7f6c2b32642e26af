// Benchmark (not a test): the unlearning figures of issue #5 on ORT-node with the shipped models:
// median ms of one unlearning step at each method's default batch (after 2 warm-up steps), and the
// median wall time of one full report evaluation (answers for every planned item + token scores).
// Run: [TARGET=person|event|both STEPS=20 EVALS=3 THREADS=2 METHODS=simnpo,rmu,siu] npm run bench:unlearn
// (METHODS: only these registry methods; default every one; EVALS=0 skips the report timing).
// Figures depend on what else runs on the machine: the load average is printed with them.
import { cpus, loadavg } from 'node:os';
import { openExperiment } from '../src/cli/experiment-setup.ts';
import { openModelDir } from '../src/cli/model-dir.ts';
import { median } from '../src/eval/stats.ts';
import { openRuntime } from '../src/runtime/index.ts';
import { UnlearnRun } from '../src/unlearning/driver.ts';
import { resolveSettings } from '../src/unlearning/cards.ts';
import { METHODS } from '../src/unlearning/registry.ts';
import { DEFAULT_REQUESTS } from '../src/world/index.ts';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const target = env('TARGET', 'person');
const REQUEST_OF: Record<string, keyof typeof DEFAULT_REQUESTS> = { person: 'persons', event: 'events', both: 'joint' };
const steps = Number(env('STEPS', '20'));
const evals = Number(env('EVALS', '3'));
const threads = Number(env('THREADS', '2'));
const only = process.env.METHODS?.split(',').map((m) => m.trim());
const unknown = only?.filter((id) => !METHODS.some((m) => m.id === id)) ?? [];
if (unknown.length) {
  console.error(`unknown method ${unknown.join(', ')} in METHODS. Valid methods: ${METHODS.map((m) => m.id).join(', ')}`);
  process.exit(2);
}

const finetune = await openModelDir();
const runtime = await openRuntime({ backend: 'cpu', threads });
const opened = await openExperiment(runtime, finetune, { ...DEFAULT_REQUESTS[REQUEST_OF[target] ?? 'persons'] });
const { experiment } = opened;
console.log(`${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.versions.node}, ORT-node ${threads} threads; request ${target} 5%; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

const all: number[] = [];
for (const method of METHODS.filter((m) => !only || only.includes(m.id))) {
  const settings = resolveSettings(method, { steps: steps + 2 });
  const run = await UnlearnRun.create(runtime, { model: finetune, splits: experiment.splits, method, settings, bgd: false, seed: 0, features: experiment.features });
  const ms: number[] = [];
  for (let s = 0; s < steps + 2; s++) {
    const info = await run.stepOnce();
    if (s >= 2) ms.push(info.stepMs);
  }
  all.push(...ms);
  console.log(`${method.id.padEnd(6)} batch ${settings.batch} rows x 64 tokens: median ${median(ms).toFixed(1)} ms/step (min ${Math.min(...ms).toFixed(1)}, max ${Math.max(...ms).toFixed(1)}; ${steps} steps; prepare ${(run.prepareMs / 1000).toFixed(2)} s)`);
  await run.dispose();
}
console.log(`one unlearning step, ${only ? only.join(', ') : 'all methods'}: median ${median(all).toFixed(1)} ms (goal <= 100 ms)`);

if (evals === 0) {
  await experiment.dispose();
  await runtime.dispose();
  process.exit(0);
}
await experiment.reportFor(finetune.params); // Goal scores and features computed once, as in a session
const seconds: number[] = [];
for (let k = 0; k < evals; k++) seconds.push((await experiment.reportFor(finetune.params)).seconds);
const plan = experiment.plan;
const items = plan.forget.length + plan.generality.length + plan.retain.length + plan.scope.length + plan.utility.length + plan.text.forget.length + plan.text.retain.length;
console.log(`one full report evaluation (${items} answers + ${plan.scored.forget.length * 2} items scored with perturbed answers): median ${median(seconds).toFixed(1)} s over ${evals} (goal <= 20 s)`);
await experiment.dispose();
await runtime.dispose();
