/** Per-model runner slots, like the semaphore in front of each Ollama runner (OLLAMA_NUM_PARALLEL). */
export interface ModelSlots {
  /**
   * Waits for a free slot of `model` (FIFO, no limit on the wait). Resolves with the release function,
   * or undefined when `signal` aborted first.
   */
  acquire(model: string, signal: AbortSignal): Promise<(() => void) | undefined>;
  /** Re-reads the limit and wakes waiters that now fit. */
  refresh(): void;
}

interface ModelQueue {
  running: number;
  waiting: Array<() => void>;
}

/** `readLimit` gives the current slots per model (0 = unlimited); `onRunning` observes each start. */
export function createModelSlots(readLimit: () => number, onRunning: (model: string, running: number) => void): ModelSlots {
  const queues = new Map<string, ModelQueue>();

  function queueOf(model: string): ModelQueue {
    let queue = queues.get(model);
    if (queue === undefined) {
      queue = { running: 0, waiting: [] };
      queues.set(model, queue);
    }
    return queue;
  }

  function hasRoom(queue: ModelQueue): boolean {
    const limit = readLimit();
    return limit <= 0 || queue.running < limit;
  }

  function pump(model: string, queue: ModelQueue): void {
    while (queue.waiting.length > 0 && hasRoom(queue)) queue.waiting.shift()?.();
    if (queue.running === 0 && queue.waiting.length === 0) queues.delete(model);
  }

  function start(model: string, queue: ModelQueue): () => void {
    queue.running++;
    onRunning(model, queue.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      queue.running--;
      pump(model, queue);
    };
  }

  return {
    acquire(model, signal) {
      const queue = queueOf(model);
      if (signal.aborted) return Promise.resolve(undefined);
      if (queue.waiting.length === 0 && hasRoom(queue)) return Promise.resolve(start(model, queue));
      return new Promise((resolve) => {
        const grant = (): void => {
          signal.removeEventListener('abort', cancel);
          resolve(start(model, queue));
        };
        const cancel = (): void => {
          queue.waiting = queue.waiting.filter((waiter) => waiter !== grant);
          pump(model, queue);
          resolve(undefined);
        };
        queue.waiting.push(grant);
        signal.addEventListener('abort', cancel, { once: true });
      });
    },
    refresh() {
      for (const [model, queue] of queues) pump(model, queue);
    },
  };
}
