import { GatewayError, upstreamUnavailable } from '../errors/gateway-error.ts';
import type { Lease } from '../scheduler/scheduler.ts';
import type { UpstreamNode } from './upstream-node.ts';
import type { UpstreamPool } from './upstream-pool.ts';

/** Failures meaning the request never ran on that node: refused, reset, connect or first-byte timeout, 502/503/504. */
const FAILOVER_CODES: ReadonlySet<string> = new Set(['upstream_unavailable', 'upstream_connection_error', 'upstream_busy', 'upstream_timeout', 'upstream_error']);

/** Whether a failure before the first byte may be retried on another node. */
export function isFailoverable(error: unknown): boolean {
  return error instanceof GatewayError && error.status >= 502 && error.status <= 504 && error.code !== null && FAILOVER_CODES.has(error.code);
}

export interface FailoverOptions<T> {
  pool: UpstreamPool;
  model: string;
  /** The request's own signal (client abort, total deadline): no new attempt once it has fired. */
  signal: AbortSignal;
  /** Attempts on other nodes after the first (the retry policy's `attempts`). */
  attempts: number;
  /** A slot of the model on another node, avoiding those that failed. */
  reacquire: (avoid: ReadonlySet<string>) => Promise<Lease>;
  /** One attempt on `node`; `alone` is true when no other node could take over (it may retry in place). */
  send: (node: UpstreamNode, alone: boolean) => Promise<T>;
  /** Told when a request leaves `from` for another node. */
  onFailover?: (from: string, error: unknown) => void;
}

/**
 * Sends a request on its lease's node and, when that node fails before answering, on another
 * eligible node within the request's deadline, up to `attempts` more times. The failing node is
 * reported to the pool (down at once, or a busy cool-down). Never used once a byte reached the client:
 * callers hand over only the part before the answer's headers.
 */
export async function sendWithFailover<T>(first: Lease, options: FailoverOptions<T>): Promise<{ lease: Lease; result: T }> {
  let lease = first;
  const avoid = new Set<string>();
  for (let attempt = 0; ; attempt += 1) {
    const node = options.pool.node(lease.node);
    if (node === undefined) {
      lease.release();
      throw upstreamUnavailable(`The upstream \`${lease.node}\` left the pool.`);
    }
    const alone = options.pool.eligible(options.model).every((candidate) => candidate.name === node.name);
    // the node loads the model for this request: warm for the next one from now on
    node.inventory.noteServed(options.model);
    try {
      const result = await options.send(node, alone);
      options.pool.reportServed(node.name, options.model);
      return { lease, result };
    } catch (error) {
      options.pool.reportFailure(node.name, error);
      if (alone || attempt >= options.attempts || options.signal.aborted || !isFailoverable(error)) {
        lease.release();
        throw error;
      }
      avoid.add(node.name);
      options.onFailover?.(node.name, error);
      lease.release();
      lease = await options.reacquire(avoid);
    }
  }
}
