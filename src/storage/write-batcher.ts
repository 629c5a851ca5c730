// Writes that many requests make at once, a batch at a time. Each writer still waits until its
// own items are stored; but while one statement runs, the items that arrive meanwhile wait for
// the next statement together, so under load a statement carries many requests instead of each
// request paying one of its own (in the embedded database, every statement costs the service's
// own thread). With one request at a time nothing waits: its items are written at once.

interface Pending<T> {
  items: readonly T[];
  resolve(): void;
  reject(error: unknown): void;
}

export class WriteBatcher<T> {
  #pending: Pending<T>[] = [];
  #writing = false;

  /**
   * flush stores a batch; if it throws, every writer of that batch sees the error and the next
   * batch goes on. maxItems bounds one statement (a writer's items are never split).
   */
  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxItems = 64,
  ) {}

  write(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({ items, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        let take = 0;
        let count = 0;
        while (take < this.#pending.length && (take === 0 || count + this.#pending[take]!.items.length <= this.maxItems)) {
          count += this.#pending[take]!.items.length;
          take += 1;
        }
        const batch = this.#pending.splice(0, take);
        try {
          await this.flush(batch.flatMap((p) => p.items));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
        // Items that became ready during that write are still events in the queue (an embedded
        // database writes on this thread): let them arrive before the next batch is cut.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#writing = false;
    }
  }
}
