import type { Config } from '../config/config-schema.ts';
import { chooseNode, type NodeView } from '../upstreams/choose-node.ts';
import type { ModelLane } from './model-lane.ts';
import type { NodeDirectory } from './scheduler-types.ts';

/**
 * Where a model's slots are: on each node that may serve it (`maxConcurrent` per node), under each
 * node's own budget, counted here across models. Without a directory there is one node, the first
 * upstream, and the model's limit is its only limit (one upstream behaves as it always did).
 */
export class NodeSlots {
  readonly #directory: NodeDirectory | undefined;
  readonly #getConfig: () => Config;
  /** Requests running per node, all models together (for node budgets). */
  #active = new Map<string, number>();
  /** Advanced at each start, for the round-robin strategy. */
  #rotation = 0;

  constructor(directory: NodeDirectory | undefined, getConfig: () => Config) {
    this.#directory = directory;
    this.#getConfig = getConfig;
  }

  /** The node with a free slot for the lane's model, chosen by the routing strategy; undefined when all are full. */
  choose<W>(lane: ModelLane<W>, affinityKey: string | undefined, avoid: ReadonlySet<string> | undefined): string | undefined {
    if (this.#directory === undefined) return lane.hasFreeSlot() ? (this.#getConfig().upstreams[0]?.name ?? 'local') : undefined;
    const views: NodeView[] = this.#directory.eligible(lane.modelKey).map((node) => ({
      name: node.name,
      weight: node.weight,
      loaded: node.loaded,
      modelInFlight: lane.activeOn(node.name),
      modelSlots: lane.limits.maxConcurrent,
      nodeInFlight: this.#active.get(node.name) ?? 0,
      nodeBudget: node.budget,
    }));
    return chooseNode(this.#getConfig().routing.strategy, views, { rotation: this.#rotation, affinityKey, avoid })?.name;
  }

  /** The model's total capacity: its `maxConcurrent` on every node that may serve it (for Retry-After). */
  capacityOf<W>(lane: ModelLane<W>): number {
    const nodes = this.#directory?.eligible(lane.modelKey).length ?? 1;
    return lane.limits.maxConcurrent * Math.max(1, nodes);
  }

  /** Whether no node at all may serve the model. */
  hasNoNode(modelKey: string): boolean {
    return this.#directory?.eligible(modelKey).length === 0;
  }

  enter(node: string): void {
    this.#active.set(node, (this.#active.get(node) ?? 0) + 1);
    this.#rotation += 1;
  }

  leave(node: string): void {
    const left = (this.#active.get(node) ?? 1) - 1;
    if (left === 0) this.#active.delete(node);
    else this.#active.set(node, left);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#active);
  }
}
