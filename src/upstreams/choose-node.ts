import type { RoutingStrategy } from '../config/config-schema.ts';

/** What the choice knows of one eligible node for one model, at one instant. */
export interface NodeView {
  readonly name: string;
  readonly weight: number;
  /** The model is loaded on this node now (its `/api/ps`, or the gateway just used it there). */
  readonly loaded: boolean;
  /** Requests of this model running on the node, and the model's slots on it (`maxConcurrent`). */
  readonly modelInFlight: number;
  readonly modelSlots: number;
  /** Requests of all models running on the node, and its budget (null: none). */
  readonly nodeInFlight: number;
  readonly nodeBudget: number | null;
}

export interface ChoiceHints {
  /** For `affinity`: the conversation's key (absent → the default order). */
  affinityKey?: string | undefined;
  /** For `round-robin`: a counter the caller advances after each choice. */
  rotation: number;
  /** Nodes a retry should avoid (the one that just failed): chosen only when no other is free. */
  avoid?: ReadonlySet<string> | undefined;
}

/** Whether the node has a free slot for the model and room in its own budget. */
export function hasFreeSlot(node: NodeView): boolean {
  return node.modelInFlight < node.modelSlots && (node.nodeBudget === null || node.nodeInFlight < node.nodeBudget);
}

/** How full the node is for this model: the fuller of its model slots and its own budget, 0..1. */
export function busyness(node: NodeView): number {
  const model = node.modelInFlight / Math.max(1, node.modelSlots);
  return node.nodeBudget === null ? model : Math.max(model, node.nodeInFlight / Math.max(1, node.nodeBudget));
}

/**
 * Picks the node a request runs on among `nodes` (eligible ones, in config order), or undefined when
 * none has a free slot. Pure: the same inputs give the same node.
 */
export function chooseNode(strategy: RoutingStrategy, nodes: readonly NodeView[], hints: ChoiceHints): NodeView | undefined {
  const free = nodes.filter(hasFreeSlot);
  const preferred = hints.avoid === undefined ? free : free.filter((node) => !hints.avoid!.has(node.name));
  const candidates = preferred.length > 0 ? preferred : free;
  if (candidates.length === 0) return undefined;
  switch (strategy) {
    case 'round-robin':
      return candidates[hints.rotation % candidates.length];
    case 'least-busy':
      return [...candidates].sort(byBusynessThenWeight)[0];
    case 'affinity': {
      const home = hints.affinityKey === undefined ? undefined : homeNode(nodes, hints.affinityKey);
      // the conversation's own node while it is free; the default order when it is full or down
      if (home !== undefined && candidates.includes(home)) return home;
      return [...candidates].sort(byLoadedThenBusyness)[0];
    }
    case 'loaded-least-busy':
      return [...candidates].sort(byLoadedThenBusyness)[0];
  }
}

/**
 * The node a conversation belongs to: rendezvous hashing over every eligible node, so a node joining
 * or leaving moves only the conversations that hashed to it.
 */
export function homeNode(nodes: readonly NodeView[], affinityKey: string): NodeView | undefined {
  let best: NodeView | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = fnv1a(`${affinityKey}\u0000${node.name}`);
    if (score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}

function byBusynessThenWeight(left: NodeView, right: NodeView): number {
  return busyness(left) - busyness(right) || right.weight - left.weight;
}

function byLoadedThenBusyness(left: NodeView, right: NodeView): number {
  return Number(right.loaded) - Number(left.loaded) || byBusynessThenWeight(left, right);
}

/** 32-bit FNV-1a: cheap, well spread, and the same in every replica (unlike a seeded hash). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
