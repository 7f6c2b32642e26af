// Records the Goal points of the lab's trade-off view (src/ui/lab/goal-points.json): for every Goal
// model in models/ (a folder whose manifest says kind goal; folders without a manifest are skipped),
// its live metrics and Finetune's on the request its manifest names, on the lab's own item sample
// (METRIC_ITEMS_PER_CELL per cell), on the WASM backend the lab uses, in Node. Prints each point, the
// time it took and the machine. Run: npm run record:goal-points   (re-run after training a Goal model)
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CliError } from '../src/cli/args.ts';
import { goalFolders, measureGoalPoint } from '../src/cli/goal-points.ts';
import { openModelDir } from '../src/cli/model-dir.ts';
import { openRuntime } from '../src/runtime/index.ts';
import type { GoalPointsFile } from '../src/unlearning/goal-point.ts';
import { METRIC_ITEMS_PER_CELL } from '../src/unlearning/live-metrics-items.ts';

const MODELS = fileURLToPath(new URL('../models/', import.meta.url));
const OUT = fileURLToPath(new URL('../src/ui/lab/goal-points.json', import.meta.url));
const BACKEND = 'wasm';
const THREADS = 1;
const pct = (share: number | null) => (share === null ? 'n/a' : `${(100 * share).toFixed(1)}%`);

try {
  const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores`;
  console.log(`machine: ${machine}, node ${process.version}, backend ${BACKEND} (${THREADS} thread)`);
  const { goals, skipped } = await goalFolders(MODELS);
  for (const s of skipped) console.log(`skipped ${s.dir}: ${s.why}`);
  if (goals.length === 0) throw new CliError(`no Goal model in ${MODELS}: train one with \`npx pebench train --retain-only ...\``);
  const finetune = await openModelDir();
  const runtime = await openRuntime({ backend: BACKEND, threads: THREADS });
  const file: GoalPointsFile = { recorded: { date: new Date().toISOString(), machine, node: process.version, backend: `${BACKEND} (onnxruntime-web in Node, ${THREADS} thread)` }, points: [] };
  try {
    for (const dir of goals) {
      const t0 = performance.now();
      const point = await measureGoalPoint(runtime, finetune, dir, METRIC_ITEMS_PER_CELL);
      file.points.push(point);
      const { goal, finetune: ft, n } = point;
      console.log(`${point.goalDir} ${JSON.stringify(point.request)}: still knows the forgotten ${pct(goal.forget)} (Finetune ${pct(ft.forget)}, n ${n.efficacy}), `
        + `the rest ${pct(goal.retain)} (${pct(ft.retain)}, n ${n.retain}), other concept ${pct(goal.scope)} (${pct(ft.scope)}, n ${n.scope}); ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    await runtime.dispose();
  }
  writeFileSync(OUT, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`wrote ${OUT} (${file.points.length} points)`);
} catch (error) {
  console.error(`record-goal-points: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
