// Runs one TypeScript worker module per shard on Node worker_threads and collects their results.
// Workers report progress as { type: 'progress', done } and finish with { type: 'done', result }
// or { type: 'error', message, code } (a worker's errno code, e.g. ENOSPC, survives the trip). The
// first failure, or Ctrl-C / SIGTERM / SIGHUP (interrupt.ts), terminates every worker.
import { Worker } from 'node:worker_threads';
import { onInterrupt } from './interrupt.ts';

export type WorkerMessage<R> =
  | { type: 'progress'; done: number }
  | { type: 'done'; result: R }
  /** `exitCode`: the worker failed with a CliError (a clear one-line message, shown as it is). */
  | { type: 'error'; message: string; code?: string; exitCode?: number };

/** An error a worker reported, with its errno code when it had one. */
export class WorkerError extends Error {
  override name = 'WorkerError';
  constructor(message: string, readonly code?: string, readonly cli?: { message: string; exitCode: number }) {
    super(message);
  }
}

export async function runShards<P, R>(
  entry: URL,
  payloads: P[],
  onProgress: (done: number) => void,
): Promise<R[]> {
  const boot = new URL('./worker-boot.mjs', import.meta.url);
  const progress = payloads.map(() => 0);
  const workers: Worker[] = [];
  const stopAll = () => Promise.all(workers.map((w) => w.terminate()));
  const forget = onInterrupt(async () => {
    await stopAll();
    return `stopped ${workers.length} worker thread${workers.length === 1 ? '' : 's'}`;
  });
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
              else reject(new WorkerError(`worker ${index}: ${message.message}`, message.code, message.exitCode !== undefined ? { message: message.message, exitCode: message.exitCode } : undefined));
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`worker ${index} exited with code ${code}`));
            });
          }),
      ),
    );
  } finally {
    forget();
    await stopAll();
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
