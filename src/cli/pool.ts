// Runs one TypeScript worker module per shard on Node worker_threads and collects their results.
// Workers report progress as { type: 'progress', done } and finish with { type: 'done', result }
// or { type: 'error', message }. The first failure terminates every worker.
import { Worker } from 'node:worker_threads';

export type WorkerMessage<R> =
  | { type: 'progress'; done: number }
  | { type: 'done'; result: R }
  | { type: 'error'; message: string };

export async function runShards<P, R>(
  entry: URL,
  payloads: P[],
  onProgress: (done: number) => void,
): Promise<R[]> {
  const boot = new URL('./worker-boot.mjs', import.meta.url);
  const progress = payloads.map(() => 0);
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      payloads.map(
        (payload, index) =>
          new Promise<R>((resolve, reject) => {
            const worker = new Worker(boot, { workerData: { entry: entry.href, payload } });
            workers.push(worker);
            worker.on('message', (message: WorkerMessage<R>) => {
              if (message.type === 'progress') {
                progress[index] = message.done;
                onProgress(progress.reduce((a, b) => a + b, 0));
              } else if (message.type === 'done') resolve(message.result);
              else reject(new Error(message.message));
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`worker ${index} exited with code ${code}`));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Splits items into `parts` contiguous shards of near-equal size (no empty shards). */
export function shard<T>(items: readonly T[], parts: number): T[][] {
  const count = Math.max(1, Math.min(parts, items.length));
  const out: T[][] = [];
  for (let i = 0; i < count; i++) {
    out.push(items.slice(Math.floor((i * items.length) / count), Math.floor(((i + 1) * items.length) / count)));
  }
  return out;
}
