// Records the lab's "recorded example run" (src/ui/lab/example-run.json, shown before the model is
// ready): the LabEngine of the browser lab, run in Node on onnxruntime-node with models/pebench-tiny
// and the lab's default experiment (forget 5% of persons, forget seed 0; NPO with its registry
// defaults; run seed 0). Keeps per step the loss and NLLs, the live-metrics events, three probe
// answers (Finetune vs the final weights) and the PEBench report of Finetune and of the final state.
// Run: npm run record:example   (about a minute; the file says when, where and on what it was made)
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/model/export.ts';
import { FolderFiles } from '../src/model/node-files.ts';
import { openRuntime } from '../src/runtime/index.ts';
import { median } from '../src/eval/stats.ts';
import { DEFAULT_REQUESTS, EVENT_QUESTIONS, IDENTITY_QUESTIONS, makeSplits } from '../src/world/index.ts';
import { LabEngine } from '../src/worker/lab-engine.ts';
import type { LabMetrics, ProbeAnswer } from '../src/worker/lab-protocol.ts';
import { modelWorld } from '../src/worker/lab-setup.ts';

const MODEL = fileURLToPath(new URL('../models/pebench-tiny', import.meta.url));
const OUT = fileURLToPath(new URL('../src/ui/lab/example-run.json', import.meta.url));
const THREADS = 2;

const round = (x: number, digits = 4) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
/** Numbers rounded to 4 decimals throughout (the file stays small; the UI shows 2-3 digits). */
const compact = <T>(value: T): T => JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'number' ? round(v) : v)));
const answerOf = (a: ProbeAnswer) => ({ text: a.text, tokens: a.tokens.map((t) => ({ token: t.token, prob: round(t.prob, 3) })), stop: a.stop });

const engine = new LabEngine({ loadModel: (url) => loadModel(new FolderFiles(url)), openRuntime: (backend) => openRuntime({ backend, threads: THREADS }) });
try {
  const loaded = await engine.load({ modelUrl: MODEL, backend: 'cpu' });
  const request = DEFAULT_REQUESTS.persons;
  const configured = await engine.configure({ request, method: 'npo', settings: {}, bgd: false, seed: 0 });
  console.log(`configured ${configured.config.method} on ${JSON.stringify(request)}: ${configured.totalSteps} steps, targets ${configured.targets.map((t) => t.name).join(', ')}`);

  const steps: { step: number; loss: number; forgetNll: number; retainNll: number; stepMs: number }[] = [];
  const metrics: LabMetrics[] = configured.metrics ? [configured.metrics] : [];
  const t0 = performance.now();
  const status = await engine.run(undefined, (event) => {
    if (event.type === 'step') {
      const { step, loss, forgetNll, retainNll, stepMs } = event.step;
      steps.push({ step, loss, forgetNll, retainNll, stepMs });
      if (step % 10 === 0) console.log(`step ${step}: loss ${loss.toFixed(3)}, forget NLL ${forgetNll.toFixed(3)}, retain NLL ${retainNll.toFixed(3)}`);
    }
    if (event.type === 'metrics') metrics.push(event.metrics);
  });
  const runSeconds = (performance.now() - t0) / 1000;
  if (status.state !== 'done') throw new Error(`the run ended ${status.state}: ${status.reason ?? ''}`);

  // Probes: a forgotten person's training render asked who and what event; a retained person's render asked who.
  const world = modelWorld(await loadModel(new FolderFiles(MODEL)), MODEL);
  const splits = makeSplits(world, request);
  const forgetImage = splits.targets[0].forgetImages[0];
  const retainKey = splits.retainItems.find((i) => i.key && i.qa.type === 'identity')!.key!;
  const probes = [
    { question: IDENTITY_QUESTIONS.texts[1], image: forgetImage },
    { question: EVENT_QUESTIONS.texts[0], image: forgetImage },
    { question: IDENTITY_QUESTIONS.texts[1], image: retainKey },
  ];
  const answers = [];
  for (const probe of probes) {
    const asked = await engine.ask(probe);
    answers.push({ ...probe, base: answerOf(asked.base), current: answerOf(asked.current) });
    console.log(`${probe.question} (person ${probe.image.personId}, event ${probe.image.eventId}): "${asked.base.text}" -> "${asked.current.text}"`);
  }

  const evaluation = await engine.evaluate();
  console.log(`evaluation: ${evaluation.seconds.toFixed(1)} s (Finetune and step ${evaluation.step})`);

  const recorded = {
    date: new Date().toISOString(),
    machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores`,
    node: process.version,
    backend: 'cpu (onnxruntime-node)',
    threads: THREADS,
    runSeconds: round(runSeconds, 1),
    medianStepMs: round(median(steps.map((s) => s.stepMs)), 1),
    medianMetricsMs: round(median(metrics.map((m) => m.ms)), 1),
  };
  const file = compact({
    recorded,
    model: { hash: loaded.modelHash, world: loaded.world.config },
    config: configured.config,
    totalSteps: configured.totalSteps,
    targets: configured.targets,
    steps: steps.map(({ stepMs: _, ...rest }) => rest),
    metrics,
    probes: answers,
    evaluation,
  });
  const text = JSON.stringify(file) + '\n';
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${(text.length / 1024).toFixed(1)} KB; run ${recorded.runSeconds} s, median step ${recorded.medianStepMs} ms, median metrics ${recorded.medianMetricsMs} ms`);
} finally {
  await engine.dispose();
}
