/** Lowest and highest priority; lower runs first. */
export const HIGHEST_PRIORITY = 0;
export const LOWEST_PRIORITY = 9;
export const DEFAULT_PRIORITY = 5;

/** Who queued an entry, for fair share: requests of one `id` share its `weight`. */
export interface QueueTenant {
  readonly id: string;
  /** Share of the class relative to other tenants; default 1. */
  readonly weight: number;
}

/** A place in a {@link WaitQueue}; pass it back to `remove` or `positionOf`. */
export interface QueueEntry<T> {
  readonly value: T;
  readonly priority: number;
}

interface Node<T> extends QueueEntry<T> {
  tenant: TenantQueue<T>;
  previous: Node<T> | null;
  next: Node<T> | null;
  queued: boolean;
}

/** One tenant's FIFO inside one priority class, with its deficit-round-robin credit. */
interface TenantQueue<T> {
  id: string;
  weight: number;
  head: Node<T> | null;
  tail: Node<T> | null;
  length: number;
  deficit: number;
}

interface Lane<T> {
  tenants: Map<string, TenantQueue<T>>;
  /** Tenants with entries, in round-robin order. */
  ring: TenantQueue<T>[];
  /** Index in `ring` of the tenant being served. */
  cursor: number;
  length: number;
}

/** Entries queued without a tenant share this one (so with no keys, the queue is plain FIFO). */
const ANONYMOUS: QueueTenant = { id: '', weight: 1 };

/**
 * Priority first; inside one priority class, weighted fair queuing between tenants by deficit round
 * robin: each turn a tenant earns its weight in credit and is served one entry per whole credit, so
 * a tenant with 200 queued requests cannot make another's 3 wait behind all of them, and a tenant of
 * weight 2 is served twice as often as one of weight 1 while both wait. Each tenant's own entries
 * stay FIFO, so a single tenant sees plain FIFO. Push, shift and removal are O(1) per entry (plus
 * O(tenants) when a tenant's last entry leaves).
 */
export class WaitQueue<T> {
  #lanes: Lane<T>[] = Array.from({ length: LOWEST_PRIORITY + 1 }, () => ({ tenants: new Map(), ring: [], cursor: 0, length: 0 }));
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Appends `value` behind the tenant's own entries of the same priority. */
  push(value: T, priority: number, tenant: QueueTenant = ANONYMOUS): QueueEntry<T> {
    const lane = this.#laneAt(priority);
    let queue = lane.tenants.get(tenant.id);
    if (queue === undefined) {
      // the first tenant of an idle class is the one being served: it gets its turn's credit now
      queue = { id: tenant.id, weight: tenant.weight, head: null, tail: null, length: 0, deficit: lane.ring.length === 0 ? tenant.weight : 0 };
      lane.tenants.set(tenant.id, queue);
      lane.ring.push(queue);
    }
    queue.weight = tenant.weight;
    const node: Node<T> = { value, priority, tenant: queue, previous: queue.tail, next: null, queued: true };
    if (queue.tail === null) queue.head = node;
    else queue.tail.next = node;
    queue.tail = node;
    queue.length += 1;
    lane.length += 1;
    this.#size += 1;
    return node;
  }

  /** Removes and returns the next entry of the best priority, by fair share between its tenants. */
  shift(): T | undefined {
    const lane = this.#lanes.find((candidate) => candidate.length > 0);
    if (lane === undefined) return undefined;
    for (;;) {
      const current = lane.ring[lane.cursor]!;
      if (current.deficit >= 1 && current.head !== null) {
        const head = current.head;
        current.deficit -= 1;
        this.remove(head);
        return head.value;
      }
      lane.cursor = (lane.cursor + 1) % lane.ring.length;
      lane.ring[lane.cursor]!.deficit += lane.ring[lane.cursor]!.weight;
    }
  }

  /** Removes `entry` if it is still queued; returns whether it was. */
  remove(entry: QueueEntry<T>): boolean {
    const node = entry as Node<T>;
    if (!node.queued) return false;
    const lane = this.#laneAt(node.priority);
    const queue = node.tenant;
    if (node.previous === null) queue.head = node.next;
    else node.previous.next = node.next;
    if (node.next === null) queue.tail = node.previous;
    else node.next.previous = node.previous;
    node.previous = null;
    node.next = null;
    node.queued = false;
    queue.length -= 1;
    lane.length -= 1;
    this.#size -= 1;
    if (queue.length === 0) this.#retire(lane, queue);
    return true;
  }

  /** 1-based position of `entry` in the order `shift` would serve it (0 when no longer queued); O(n), for status messages. */
  positionOf(entry: QueueEntry<T>): number {
    const node = entry as Node<T>;
    if (!node.queued) return 0;
    let position = 0;
    for (let priority = HIGHEST_PRIORITY; priority < node.priority; priority += 1) position += this.#laneAt(priority).length;
    return position + this.#placeInLane(this.#laneAt(node.priority), node);
  }

  /** Removes and returns every entry, in the order they would have been served. */
  clear(): T[] {
    const values: T[] = [];
    for (let value = this.shift(); value !== undefined; value = this.shift()) values.push(value);
    return values;
  }

  /** A tenant with nothing queued leaves the ring and loses its credit; the cursor stays on the tenant that follows. */
  #retire(lane: Lane<T>, queue: TenantQueue<T>): void {
    lane.tenants.delete(queue.id);
    const index = lane.ring.indexOf(queue);
    lane.ring.splice(index, 1);
    queue.deficit = 0;
    if (lane.ring.length === 0) lane.cursor = 0;
    // stepping back one makes the next `shift` move on to (and credit) the tenant now at `index`
    else if (index <= lane.cursor) lane.cursor = (lane.cursor - 1 + lane.ring.length) % lane.ring.length;
  }

  /** Replays `shift` on copies of the credits until `target` would be served. */
  #placeInLane(lane: Lane<T>, target: Node<T>): number {
    const ring = lane.ring.map((queue) => ({ queue, deficit: queue.deficit, next: queue.head }));
    let cursor = lane.cursor;
    let place = 0;
    for (;;) {
      const current = ring[cursor]!;
      if (current.deficit >= 1 && current.next !== null) {
        place += 1;
        if (current.next === target) return place;
        current.deficit -= 1;
        current.next = current.next.next;
        continue;
      }
      cursor = (cursor + 1) % ring.length;
      ring[cursor]!.deficit += ring[cursor]!.next === null ? 0 : ring[cursor]!.queue.weight;
    }
  }

  #laneAt(priority: number): Lane<T> {
    const lane = Number.isInteger(priority) ? this.#lanes[priority] : undefined;
    if (lane === undefined) throw new RangeError(`priority must be an integer from ${HIGHEST_PRIORITY} to ${LOWEST_PRIORITY}, got ${priority}`);
    return lane;
  }
}
