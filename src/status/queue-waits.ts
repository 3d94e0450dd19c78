import { modelKey } from '../config/model-key.ts';

/**
 * When each request waiting in a model's queue started waiting, so the status can say how long the
 * oldest has waited. Entries are kept in arrival order, so the first one of a model is its oldest.
 */
export class QueueWaits {
  readonly #waiting = new Map<string, Set<{ since: number }>>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** A request of `model` starts waiting now; call the returned function when it leaves the queue. */
  enter(model: string): () => void {
    const key = modelKey(model);
    let entries = this.#waiting.get(key);
    if (entries === undefined) {
      entries = new Set();
      this.#waiting.set(key, entries);
    }
    const entry = { since: this.#now() };
    entries.add(entry);
    return () => {
      entries.delete(entry);
      if (entries.size === 0 && this.#waiting.get(key) === entries) this.#waiting.delete(key);
    };
  }

  /** How long the longest-waiting request of `model` has waited, in ms; null when none waits. */
  oldestWaitMs(model: string): number | null {
    const first = this.#waiting.get(modelKey(model))?.values().next().value;
    return first === undefined ? null : Math.max(0, this.#now() - first.since);
  }
}
