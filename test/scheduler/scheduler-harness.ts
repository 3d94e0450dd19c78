import { configSchema, type Config, type ConfigInput } from '../../src/config/config-schema.ts';
import type { Lease } from '../../src/scheduler/scheduler.ts';

/** A validated config from a partial input, the way the loader makes one. */
export function makeConfig(input: ConfigInput = {}): Config {
  return configSchema.parse(input);
}

/** Resolves once pending promise callbacks (not timers) have run. */
export async function flushMicrotasks(): Promise<void> {
  for (let round = 0; round < 10; round += 1) await Promise.resolve();
}

/** Records the order leases were granted in and the most ever held at once. */
export class LeaseRecorder {
  order: string[] = [];
  active = 0;
  maxActive = 0;
  #leases = new Map<string, Lease>();

  /** Waits for `pending`, then counts `name` as running. */
  track(name: string, pending: Promise<Lease>): Promise<Lease> {
    return pending.then((lease) => {
      this.order.push(name);
      this.active += 1;
      this.maxActive = Math.max(this.maxActive, this.active);
      this.#leases.set(name, lease);
      return lease;
    });
  }

  /** Releases the lease granted to `name`. */
  release(name: string): void {
    const lease = this.#leases.get(name);
    if (lease === undefined) throw new Error(`${name} holds no lease`);
    this.#leases.delete(name);
    this.active -= 1;
    lease.release();
  }

  /** Releases whichever lease was granted first and is still held. */
  releaseOldest(): void {
    const name = this.#leases.keys().next().value;
    if (name === undefined) throw new Error('no lease held');
    this.release(name);
  }
}
