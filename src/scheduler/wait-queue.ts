/** Lowest and highest priority; lower runs first. */
export const HIGHEST_PRIORITY = 0;
export const LOWEST_PRIORITY = 9;
export const DEFAULT_PRIORITY = 5;

/** A place in a {@link WaitQueue}; pass it back to `remove` or `positionOf`. */
export interface QueueEntry<T> {
  readonly value: T;
  readonly priority: number;
}

interface Node<T> extends QueueEntry<T> {
  previous: Node<T> | null;
  next: Node<T> | null;
  queued: boolean;
}

interface Lane<T> {
  head: Node<T> | null;
  tail: Node<T> | null;
  length: number;
}

/**
 * Priority then FIFO: one doubly linked list per priority level, so push, shift and removal of a
 * waiter whose client went away are all O(1).
 */
export class WaitQueue<T> {
  #lanes: Lane<T>[] = Array.from({ length: LOWEST_PRIORITY + 1 }, () => ({ head: null, tail: null, length: 0 }));
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Appends `value` behind every entry of the same or a higher priority. */
  push(value: T, priority: number): QueueEntry<T> {
    const lane = this.#laneAt(priority);
    const node: Node<T> = { value, priority, previous: lane.tail, next: null, queued: true };
    if (lane.tail === null) lane.head = node;
    else lane.tail.next = node;
    lane.tail = node;
    lane.length += 1;
    this.#size += 1;
    return node;
  }

  /** Removes and returns the first entry of the best priority. */
  shift(): T | undefined {
    const head = this.#firstLane()?.head;
    if (head === null || head === undefined) return undefined;
    this.remove(head);
    return head.value;
  }

  /** Removes `entry` if it is still queued; returns whether it was. */
  remove(entry: QueueEntry<T>): boolean {
    const node = entry as Node<T>;
    if (!node.queued) return false;
    const lane = this.#laneAt(node.priority);
    if (node.previous === null) lane.head = node.next;
    else node.previous.next = node.next;
    if (node.next === null) lane.tail = node.previous;
    else node.next.previous = node.previous;
    node.previous = null;
    node.next = null;
    node.queued = false;
    lane.length -= 1;
    this.#size -= 1;
    return true;
  }

  /** 1-based position of `entry` (0 when no longer queued); O(n), meant for status messages. */
  positionOf(entry: QueueEntry<T>): number {
    const node = entry as Node<T>;
    if (!node.queued) return 0;
    let position = 0;
    for (let priority = HIGHEST_PRIORITY; priority < node.priority; priority += 1) {
      position += this.#laneAt(priority).length;
    }
    for (let cursor: Node<T> | null = node; cursor !== null; cursor = cursor.previous) position += 1;
    return position;
  }

  /** Removes and returns every entry, best priority first. */
  clear(): T[] {
    const values: T[] = [];
    for (let value = this.shift(); value !== undefined; value = this.shift()) values.push(value);
    return values;
  }

  #firstLane(): Lane<T> | undefined {
    return this.#lanes.find((lane) => lane.length > 0);
  }

  #laneAt(priority: number): Lane<T> {
    const lane = Number.isInteger(priority) ? this.#lanes[priority] : undefined;
    if (lane === undefined) throw new RangeError(`priority must be an integer from ${HIGHEST_PRIORITY} to ${LOWEST_PRIORITY}, got ${priority}`);
    return lane;
  }
}
