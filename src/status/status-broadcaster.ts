import type { StatusStreamEvent } from '../openai/sidecar-status-stream-event.ts';

export interface StatusBroadcasterOptions {
  buildEvent: () => Promise<StatusStreamEvent>;
  /** Cheap to compute: when it changes between checks, an event goes out at once. */
  fingerprint: () => string;
  /** An event at least this often. */
  intervalMs?: number;
  /** How often the fingerprint is compared. */
  checkMs?: number;
  /** A snapshot that could not be built; the stream carries on with the next. */
  onError: (error: unknown) => void;
}

/** Receives events; while its promise is pending (a slow client) further events skip it. */
export type StatusSubscriber = (event: StatusStreamEvent) => Promise<unknown>;

/**
 * One snapshot for all subscribers of the status stream: built every `intervalMs`, or as soon as the
 * fingerprint (queue and health counts) changes. Runs only while someone listens. A subscriber that
 * is still writing the previous event misses the next one rather than buffering it.
 */
export class StatusBroadcaster {
  readonly #options: Required<StatusBroadcasterOptions>;
  readonly #subscribers = new Map<StatusSubscriber, { busy: boolean }>();
  #timer: NodeJS.Timeout | undefined;
  #lastFingerprint = '';
  #lastSentAt = -Infinity;
  #building = false;

  constructor(options: StatusBroadcasterOptions) {
    this.#options = { intervalMs: 1_000, checkMs: 200, ...options };
  }

  /** Sends the current snapshot to `subscriber` now and every later one until the returned function is called. */
  subscribe(subscriber: StatusSubscriber): () => void {
    const state = { busy: false };
    this.#subscribers.set(subscriber, state);
    this.#options.buildEvent().then((event) => this.#deliver(subscriber, state, event), this.#options.onError);
    this.#timer ??= setInterval(() => void this.#tick(), this.#options.checkMs);
    return () => {
      this.#subscribers.delete(subscriber);
      if (this.#subscribers.size === 0) this.stop();
    };
  }

  get subscribers(): number {
    return this.#subscribers.size;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    if (this.#building) return;
    const fingerprint = this.#options.fingerprint();
    if (fingerprint === this.#lastFingerprint && performance.now() - this.#lastSentAt < this.#options.intervalMs) return;
    this.#building = true;
    try {
      const event = await this.#options.buildEvent();
      this.#lastFingerprint = fingerprint;
      this.#lastSentAt = performance.now();
      for (const [subscriber, state] of this.#subscribers) void this.#deliver(subscriber, state, event);
    } catch (error) {
      this.#options.onError(error);
    } finally {
      this.#building = false;
    }
  }

  async #deliver(subscriber: StatusSubscriber, state: { busy: boolean }, event: StatusStreamEvent): Promise<void> {
    if (state.busy || !this.#subscribers.has(subscriber)) return;
    state.busy = true;
    try {
      await subscriber(event);
    } catch (error) {
      this.#options.onError(error);
    } finally {
      state.busy = false;
    }
  }
}
