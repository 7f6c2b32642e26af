// Worker for `pebench bench --workers N`: opens its own runtime (one ORT thread unless told otherwise)
// and the Finetune model, runs its share of the bench's groups in order and sends back their outputs.
// Runs under src/cli/worker-boot.mjs; reports one progress tick per row.
import { parentPort, workerData } from 'node:worker_threads';
import { openRuntime } from '../runtime/index.ts';
import { CliError } from './args.ts';
import { runGroup, type GroupOptions, type GroupOutput, type GroupSpec } from './bench-group.ts';
import { openModelDir } from './model-dir.ts';
import type { WorkerMessage } from './pool.ts';

export interface BenchShard {
  modelDir: string;
  threads: number;
  groups: GroupSpec[];
  options: GroupOptions;
}

function post(message: WorkerMessage<GroupOutput[]>): void {
  parentPort!.postMessage(message);
}

if (parentPort && workerData?.payload) {
  const { modelDir, threads, groups, options } = workerData.payload as BenchShard;
  try {
    const runtime = await openRuntime({ backend: 'cpu', threads });
    try {
      const finetune = await openModelDir(modelDir);
      const outputs: GroupOutput[] = [];
      let done = 0;
      for (const group of groups) outputs.push(await runGroup(runtime, finetune, group, options, () => post({ type: 'progress', done: ++done })));
      post({ type: 'done', result: outputs });
    } finally {
      await runtime.dispose();
    }
  } catch (error) {
    post({
      type: 'error', message: error instanceof Error ? error.message : String(error), code: (error as NodeJS.ErrnoException)?.code,
      ...(error instanceof CliError ? { exitCode: error.exitCode } : {}),
    });
  }
}
