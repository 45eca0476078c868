/**
 * A sleep that ends early when someone calls `notify()`: an idle worker polls
 * slowly, but wakes at once for a job enqueued in its own process or for a
 * slot freed by one of its own jobs.
 */
export class Wakeup {
  private listeners = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.listeners.add(done);
    });
  }

  /** Calls `listener` on every notify until the returned function is called. */
  forward(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const byQueue = new Map<string, Wakeup>();

/** The process-wide wake-up for one queue namespace, shared by its queue and workers. */
export function queueWakeup(queue: string): Wakeup {
  let wakeup = byQueue.get(queue);
  if (!wakeup) byQueue.set(queue, (wakeup = new Wakeup()));
  return wakeup;
}
