/** A fixed number of the latest items: pushing onto a full buffer drops the oldest. Memory never grows. */
export class RingBuffer<T> {
  readonly capacity: number;
  readonly #items: Array<T | undefined>;
  #next = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`A ring buffer needs a capacity of at least 1, not ${capacity}.`);
    this.capacity = capacity;
    this.#items = Array.from<T | undefined>({ length: capacity });
  }

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** Oldest first. */
  toArray(): T[] {
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    return Array.from({ length: this.#size }, (_, index) => this.#items[(start + index) % this.capacity] as T);
  }
}
