// One FIFO queue through which every onnxruntime call of a backend passes (session creation, runs,
// GPU read-backs): onnxruntime-web fails when two runs overlap, and ordering is easier to reason
// about anyway. A failed task rejects only its own promise; the queue moves on to the next one.
// Background work (whenIdle) waits until nothing else is queued, so any task enqueued meanwhile
// overtakes it. No cancellation of tasks already started.

export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  /** Background tasks not started yet, oldest first. */
  private readonly background: (() => void)[] = [];
  private yielding = false;

  /** Number of tasks queued or running. */
  get pending(): number {
    return this.waiting;
  }

  /** Runs `task` after every task enqueued before it has settled; resolves or rejects with its result. */
  enqueue<T>(task: () => Promise<T> | T): Promise<T> {
    this.waiting++;
    const result = this.tail.then(task).finally(() => {
      this.waiting--;
      this.startBackground();
    });
    // The chain must survive failures: the next task waits for settlement, not success.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * Runs `task` as a turn once the queue is empty: tasks enqueued while it waits go first. Use for
   * work nobody waits on (warming caches); keep each such task short, as a started one is not overtaken.
   */
  whenIdle<T>(task: () => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.background.push(() => void this.enqueue(task).then(resolve, reject));
      this.startBackground();
    });
  }

  /**
   * Starts the oldest background task once the queue is empty, after a macrotask: onnxruntime-web's
   * WASM runs can settle through microtasks alone, and a message carrying a request must get its
   * chance to be read (and enqueued, going first) before background work takes the next turn.
   */
  private startBackground(): void {
    if (this.waiting !== 0 || this.background.length === 0 || this.yielding) return;
    this.yielding = true;
    setTimeout(() => {
      this.yielding = false;
      if (this.waiting === 0) this.background.shift()?.();
    }, 0);
  }

  /** Resolves once everything enqueued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
