import type { GatewayMetrics } from '../observability/metrics.ts';
import type { UpstreamPool } from '../upstreams/upstream-pool.ts';
import { classifyGenerationFailure } from './classify-generation-failure.ts';
import type { HeldSlot, Upstream, UpstreamChooser, UpstreamRoute } from './upstream.ts';

/**
 * The pool behind the pipeline: a generation runs on the node its slot is on; a failure before the
 * answer is reported to the pool (down at once when the node cannot be reached, a cool-down when it
 * is busy), and a retry moves the slot to another eligible node when there is one — the retry policy,
 * across nodes. With one node, retries stay on it, with backoff.
 */
export class PoolUpstreams implements UpstreamChooser {
  readonly #pool: UpstreamPool;
  readonly #metrics: GatewayMetrics;

  constructor(pool: UpstreamPool, metrics: GatewayMetrics) {
    this.#pool = pool;
    this.#metrics = metrics;
  }

  route(model: string, slot: HeldSlot, signal: AbortSignal): UpstreamRoute {
    const pool = this.#pool;
    const metrics = this.#metrics;
    const tried = new Set<string>();
    const nodeOf = (): Upstream => {
      const node = pool.node(slot.lease.node);
      // a node removed by a reload while the request waited: its slot is on a node that left
      if (node === undefined) throw new Error(`The upstream ${slot.lease.node} left the pool.`);
      // the node loads the model for this request: warm for the next one from now on
      node.inventory.noteServed(model);
      return node.client;
    };
    let upstream = nodeOf();
    return {
      get upstream() {
        return upstream;
      },
      noteFailure(failure) {
        const classified = classifyGenerationFailure(failure, signal, upstream.name);
        if (classified.code === 'client_closed') return;
        metrics.upstreamRequests.inc({ upstream: upstream.name, outcome: classified.code ?? String(classified.status) });
        pool.reportFailure(upstream.name, classified);
      },
      async moveOn() {
        tried.add(upstream.name);
        if (!pool.eligible(model).some((node) => !tried.has(node.name))) return false;
        const from = upstream.name;
        await slot.move(tried);
        upstream = nodeOf();
        if (upstream.name === from) return false;
        metrics.upstreamFailovers.inc({ upstream: from });
        return true;
      },
      noteAnswered() {
        metrics.upstreamRequests.inc({ upstream: upstream.name, outcome: 'ok' });
        pool.reportServed(upstream.name, model);
      },
    };
  }
}
