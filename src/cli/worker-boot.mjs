// Bootstrap for Node worker_threads that run TypeScript: Node does not pass tsx's loader hooks to
// workers, so each worker registers tsx itself and then imports its real entry (workerData.entry).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
