// One FIFO queue through which every onnxruntime call of a backend passes (session creation, runs,
// GPU read-backs): onnxruntime-web fails when two runs overlap, and ordering is easier to reason
// about anyway. A failed task rejects only its own promise; the queue moves on to the next one.
// Not a scheduler: no priorities, no cancellation of tasks already started.

export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Number of tasks queued or running. */
  get pending(): number {
    return this.waiting;
  }

  /** Runs `task` after every task enqueued before it has settled; resolves or rejects with its result. */
  enqueue<T>(task: () => Promise<T> | T): Promise<T> {
    this.waiting++;
    const result = this.tail.then(task).finally(() => {
      this.waiting--;
    });
    // The chain must survive failures: the next task waits for settlement, not success.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once everything enqueued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
