// Measurement (not a test) behind RMU's default steering coefficient c: the typical length of each
// decoder block's output at the answer positions of the default person request's forget and retain
// rows under the Finetune model. RMU's c should be a few times this length at its layer, so the
// target c·u lies clearly away from where the activations are. Run: npx tsx scripts/rmu-scale.ts
import { cpus, loadavg } from 'node:os';
import { openExperiment } from '../src/cli/experiment-setup.ts';
import { openModelDir } from '../src/cli/model-dir.ts';
import { median } from '../src/eval/stats.ts';
import { openRuntime } from '../src/runtime/index.ts';
import { getMethod } from '../src/unlearning/registry.ts';
import { unlearningRows } from '../src/unlearning/rows.ts';
import { RowScorer } from '../src/unlearning/scorer.ts';
import { DEFAULT_REQUESTS } from '../src/world/index.ts';

const finetune = await openModelDir();
const runtime = await openRuntime({ backend: 'cpu', threads: 2 });
const { experiment } = await openExperiment(runtime, finetune, { ...DEFAULT_REQUESTS.persons });
console.log(`${cpus()[0]?.model.trim()}, load ${loadavg()[0].toFixed(2)}; Finetune model, default person request`);
const data = unlearningRows(experiment.splits, finetune.tokenizer, finetune.cfg, getMethod('gd'), { seqLen: 64, seed: 0 });
const rows = { forget: data.forget.slice(0, 32), retain: data.retain.slice(0, 32) };
await experiment.features.ensure([...rows.forget, ...rows.retain].map((r) => r.image));
const width = finetune.cfg.decoder.width;
for (let layer = 0; layer < finetune.cfg.decoder.layers; layer++) {
  const scorer = await RowScorer.open(runtime, finetune.cfg, finetune.params, { batch: 16, seqLen: 64, hiddenLayer: layer });
  await scorer.setParams(finetune.params);
  const line: string[] = [];
  for (const [name, set] of Object.entries(rows)) {
    const scores = await scorer.score(set.map((r) => r.row), (i) => experiment.features.get(set[i].image), { hidden: true });
    const norms = scores.flatMap((s) => Array.from({ length: s.hidden!.length / width }, (_, k) => Math.hypot(...s.hidden!.subarray(k * width, (k + 1) * width))));
    line.push(`${name} median ${median(norms).toFixed(1)} (${norms.length} answer tokens)`);
  }
  console.log(`block ${layer} output length ||h||: ${line.join('; ')}`);
  await scorer.dispose();
}
await experiment.dispose();
await runtime.dispose();
