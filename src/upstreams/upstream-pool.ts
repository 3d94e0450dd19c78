import type { Config } from '../config/config-schema.ts';
import { GatewayError, upstreamUnavailable } from '../errors/gateway-error.ts';
import { modelKey } from '../config/model-key.ts';
import type { OllamaTag } from '../ollama/wire.ts';
import type { NodeDirectory, SlotNode } from '../scheduler/scheduler-types.ts';
import { probeNode, refreshInventory } from './probe-node.ts';
import { createUpstreamNode, isSameNode, type NodeClientOptions, type UpstreamNode } from './upstream-node.ts';

export interface UpstreamPoolOptions extends Pick<NodeClientOptions, 'dispatcher'> {
  getConfig: () => Config;
  now?: () => number;
  /** Told when a node leaves (down) or rejoins (answers again). */
  onHealthChange?: (node: UpstreamNode) => void;
  /** Told after every failed active check, also while the node stays down. */
  onCheckFailed?: (node: UpstreamNode) => void;
  /** Replaces `healthCheckIntervalMs` (tests that check by hand). */
  checkIntervalMs?: number | undefined;
}

/** Codes meaning the node itself is unreachable or stuck: it is marked down at once. */
const NODE_DOWN_CODES: ReadonlySet<string> = new Set(['upstream_unavailable', 'upstream_timeout', 'upstream_connection_error']);
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The upstream nodes: one client per node, active health checks (with backoff while down), passive
 * marks from failed requests, each node's inventory, and the answer to "which nodes may serve this
 * model now" that the scheduler asks. A reload adds nodes and lets removed ones finish and leave.
 */
export class UpstreamPool implements NodeDirectory {
  readonly #options: UpstreamPoolOptions;
  readonly #now: () => number;
  #nodes: UpstreamNode[] = [];
  #timers = new Map<string, NodeJS.Timeout>();
  #listeners = new Set<() => void>();
  #started = false;

  constructor(options: UpstreamPoolOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#nodes = this.#enabled(options.getConfig()).map((upstream) => this.#create(upstream));
  }

  /** The nodes in config order. */
  get nodes(): readonly UpstreamNode[] {
    return this.#nodes;
  }

  node(name: string): UpstreamNode | undefined {
    return this.#nodes.find((node) => node.name === name);
  }

  /** Checks every node once (health and inventory), then keeps checking on each node's own schedule. */
  async start(): Promise<void> {
    this.#started = true;
    await Promise.all(this.#nodes.map((node) => this.#checkAndSchedule(node)));
  }

  stop(): void {
    this.#started = false;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.#nodes.map((node) => node.client.close()));
  }

  /** Checks every node now. */
  async checkAll(): Promise<void> {
    await Promise.all(this.#nodes.map((node) => this.check(node)));
  }

  /** Runs one health check of `node` now (and refreshes its inventory when it answers). */
  async check(node: UpstreamNode): Promise<void> {
    const signal = AbortSignal.timeout(Math.min(PROBE_TIMEOUT_MS, this.#intervalMs()));
    try {
      const result = await probeNode(node, signal);
      // one node needs no inventory between the catalog's own listings: there is nothing to choose
      if (this.#nodes.length > 1) await refreshInventory(node, signal, { loaded: true }).catch(() => undefined);
      if (node.health.recordSuccess(this.#now(), result)) this.#changed(node);
    } catch (error) {
      if (node.health.recordFailure(this.#now(), error instanceof Error ? error.message : String(error), true)) this.#changed(node);
      this.#options.onCheckFailed?.(node);
    }
  }

  /** The first Ollama node that answers (else the first Ollama node): where model-less native calls go. */
  firstOllamaNode(): Extract<UpstreamNode, { kind: 'ollama' }> | undefined {
    const ollama = this.#nodes.filter((node): node is Extract<UpstreamNode, { kind: 'ollama' }> => node.kind === 'ollama');
    return ollama.find((node) => node.health.snapshot.healthy === true) ?? ollama[0];
  }

  /** The healthy Ollama node with the fewest requests running (`inFlight` per node): where a pull goes. */
  leastBusyOllamaNode(inFlight: Readonly<Record<string, number>>): Extract<UpstreamNode, { kind: 'ollama' }> | undefined {
    const healthy = this.#nodes.filter((node): node is Extract<UpstreamNode, { kind: 'ollama' }> => node.kind === 'ollama' && node.health.snapshot.healthy !== false);
    return healthy.toSorted((left, right) => (inFlight[left.name] ?? 0) - (inFlight[right.name] ?? 0))[0] ?? this.firstOllamaNode();
  }

  /** Whether at least one node answers (readiness). */
  isReady(): boolean {
    return this.#nodes.some((node) => node.health.snapshot.healthy === true);
  }

  /** The union of every node's models, each once; refreshes the listings of nodes that answer. */
  async listModels(signal?: AbortSignal): Promise<OllamaTag[]> {
    const probe = signal ?? AbortSignal.timeout(PROBE_TIMEOUT_MS);
    // a node known to be down keeps its last listing: asking it again could only cost the caller time
    const asked = this.#nodes.filter((node) => node.health.snapshot.healthy !== false || !node.inventory.listed);
    const results = await Promise.allSettled(asked.map((node) => refreshInventory(node, probe, { loaded: this.#nodes.length > 1 })));
    if (results.every((result) => result.status === 'rejected') && !this.#nodes.some((node) => node.inventory.listed)) {
      throw upstreamUnavailable('Cannot list models: no upstream is reachable.', (results[0] as PromiseRejectedResult | undefined)?.reason);
    }
    const union = new Map<string, OllamaTag>();
    for (const node of this.#nodes) for (const tag of node.inventory.tags) if (!union.has(modelKey(tag.name))) union.set(modelKey(tag.name), tag);
    return [...union.values()];
  }

  /** The nodes that have the model; the healthy ones if any is, else all of them (so a request fails fast with the real error). */
  eligible(model: string): readonly SlotNode[] {
    const having = this.#having(model);
    const now = this.#now();
    const usable = having.filter((node) => node.health.isUsable(now));
    return (usable.length > 0 ? usable : having).map((node) => ({ name: node.name, weight: node.weight, budget: node.budget, loaded: node.inventory.isLoaded(model) }));
  }

  /**
   * Which kind of node serves the model: Ollama when any Ollama node has it (the gateway translates),
   * else `openai` when an OpenAI-compatible node has it (the gateway forwards), else undefined.
   */
  kindFor(model: string): UpstreamNode['kind'] | undefined {
    return this.#having(model)[0]?.kind;
  }

  /** Nodes of one kind that have the model: Ollama nodes when any has it, else OpenAI-compatible ones. */
  #having(model: string): UpstreamNode[] {
    const having = this.#nodes.filter((node) => node.inventory.has(model) || (!node.inventory.listed && node.inventory.allows(model)));
    const ollama = having.filter((node) => node.kind === 'ollama');
    return ollama.length > 0 ? ollama : having;
  }

  /** Whether some node that has the model is usable now (else a request spills to a fallback). */
  hasUsableNode(model: string): boolean {
    const now = this.#now();
    return this.#having(model).some((node) => node.health.isUsable(now));
  }

  /** Calls `listener` when a node joins, rejoins or leaves: queued work may now go elsewhere. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A request to `name` succeeded in reaching it for `model`. */
  reportServed(name: string, model: string): void {
    const node = this.node(name);
    if (node === undefined) return;
    node.inventory.noteServed(model);
    if (node.health.recordSuccess(this.#now())) this.#changed(node);
  }

  /** A request to `name` failed before its answer: down at once on connection failures, a cool-down on "busy". */
  reportFailure(name: string, error: unknown): void {
    const node = this.node(name);
    if (node === undefined || !(error instanceof GatewayError)) return;
    if (error.code === 'upstream_busy') {
      const cooldownMs = this.#options.getConfig().busyCooldownMs;
      node.health.recordBusy(this.#now(), cooldownMs);
      // queued work may go back to the node once its cool-down is over
      setTimeout(() => this.#notify(), cooldownMs).unref();
      return;
    }
    if (error.code === null || !NODE_DOWN_CODES.has(error.code)) return;
    if (node.health.recordFailure(this.#now(), error.message, false)) this.#changed(node);
    this.#scheduleCheck(node, node.health.nextCheckDelayMs(this.#intervalMs()));
  }

  /** Applies a reloaded upstream list: new nodes join (after a first check), removed ones finish their requests and leave. */
  async apply(config: Config): Promise<void> {
    const wanted = this.#enabled(config);
    const kept = this.#nodes.filter((node) => wanted.some((upstream) => upstream.name === node.name && isSameNode(node, upstream)));
    const leaving = this.#nodes.filter((node) => !kept.includes(node));
    const added = wanted.filter((upstream) => !kept.some((node) => node.name === upstream.name)).map((upstream) => this.#create(upstream));
    for (const node of leaving) {
      clearTimeout(this.#timers.get(node.name));
      this.#timers.delete(node.name);
    }
    // a new node joins once it has answered and listed its models, so no request goes to it blind
    await Promise.all(added.map(async (node) => {
      await this.check(node);
      await refreshInventory(node, AbortSignal.timeout(PROBE_TIMEOUT_MS), { loaded: true }).catch(() => undefined);
    }));
    this.#nodes = wanted.map((upstream) => [...kept, ...added].find((node) => node.name === upstream.name)!);
    for (const node of added) this.#scheduleCheck(node, node.health.nextCheckDelayMs(this.#intervalMs()));
    this.#notify();
    // an undici pool's close() lets requests under way finish and refuses new ones
    await Promise.all(leaving.map((node) => node.client.close()));
  }

  #intervalMs(): number {
    return this.#options.checkIntervalMs ?? this.#options.getConfig().healthCheckIntervalMs;
  }

  #enabled(config: Config): Config['upstreams'] {
    return config.upstreams.filter((upstream) => upstream.enabled);
  }

  #create(upstream: Config['upstreams'][number]): UpstreamNode {
    const config = this.#options.getConfig();
    return createUpstreamNode(upstream, { connectTimeoutMs: config.defaults.connectTimeoutMs, retry: () => this.#options.getConfig().retries, dispatcher: this.#options.dispatcher });
  }

  async #checkAndSchedule(node: UpstreamNode): Promise<void> {
    await this.check(node);
    this.#scheduleCheck(node, node.health.nextCheckDelayMs(this.#intervalMs()));
  }

  #scheduleCheck(node: UpstreamNode, delayMs: number): void {
    if (!this.#started || !this.#nodes.includes(node)) return;
    clearTimeout(this.#timers.get(node.name));
    const timer = setTimeout(() => void this.#checkAndSchedule(node), delayMs);
    timer.unref();
    this.#timers.set(node.name, timer);
  }

  #changed(node: UpstreamNode): void {
    this.#options.onHealthChange?.(node);
    this.#notify();
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}
