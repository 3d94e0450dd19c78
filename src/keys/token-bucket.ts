/**
 * A token bucket: holds up to `capacity`, refilled continuously at `capacity` per `periodMs`. Its
 * level may go below zero when a reservation is corrected upwards (a request used more tokens than
 * it reserved); new work then waits until the debt is refilled.
 */
export class TokenBucket {
  readonly capacity: number;
  readonly #perMs: number;
  #level: number;
  #updatedAt: number;

  constructor(capacity: number, periodMs: number, now: number) {
    this.capacity = capacity;
    this.#perMs = capacity / periodMs;
    this.#level = capacity;
    this.#updatedAt = now;
  }

  /** Whole tokens available at `now`. */
  remaining(now: number): number {
    return Math.max(0, Math.floor(this.#levelAt(now)));
  }

  /** Takes `amount` when at least that much is there (an amount above capacity needs a full bucket). */
  take(amount: number, now: number): boolean {
    const level = this.#levelAt(now);
    if (level < Math.min(amount, this.capacity)) return false;
    this.#level = level - amount;
    this.#updatedAt = now;
    return true;
  }

  /** Gives back (positive) or charges more (negative) after the fact. */
  adjust(amount: number, now: number): void {
    this.#level = Math.min(this.capacity, this.#levelAt(now) + amount);
    this.#updatedAt = now;
  }

  /** Milliseconds until `amount` (at most the capacity) is available. */
  msUntil(amount: number, now: number): number {
    const missing = Math.min(amount, this.capacity) - this.#levelAt(now);
    return missing <= 0 ? 0 : Math.ceil(missing / this.#perMs);
  }

  /** Milliseconds until the bucket is full again: OpenAI's `x-ratelimit-reset-*`. */
  msUntilFull(now: number): number {
    return this.msUntil(this.capacity, now);
  }

  #levelAt(now: number): number {
    return Math.min(this.capacity, this.#level + Math.max(0, now - this.#updatedAt) * this.#perMs);
  }
}
