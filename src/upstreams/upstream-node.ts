import type { Dispatcher } from 'undici';
import type { UpstreamConfig } from '../config/config-schema.ts';
import { OllamaClient } from '../ollama/ollama-client.ts';
import type { RetryPolicy } from '../ollama/retry-policy.ts';
import { NodeHealth } from './node-health.ts';
import { NodeInventory } from './node-inventory.ts';
import { OpenAiUpstreamClient } from './openai-upstream-client.ts';

interface NodeState {
  readonly name: string;
  readonly url: string;
  readonly weight: number;
  /** The node's own budget (`upstreams[].maxConcurrent`); null: none. */
  readonly budget: number | null;
  readonly health: NodeHealth;
  readonly inventory: NodeInventory;
  /** An `openai` kind node with `models` configured serves exactly those: its own listing is not used. */
  readonly fixedModels: boolean;
}

/** One upstream of the pool: its client, health and inventory. */
export type UpstreamNode = (NodeState & { readonly kind: 'ollama'; readonly client: OllamaClient }) | (NodeState & { readonly kind: 'openai'; readonly client: OpenAiUpstreamClient });

export interface NodeClientOptions {
  connectTimeoutMs: number;
  retry: () => RetryPolicy;
  /** Replaces every node's connection pool (tests). */
  dispatcher?: Dispatcher | undefined;
}

/** Builds a node from its config entry, with its own keep-alive pool. */
export function createUpstreamNode(upstream: UpstreamConfig, options: NodeClientOptions): UpstreamNode {
  const state: NodeState = {
    name: upstream.name,
    url: upstream.url.replace(/\/+$/, ''),
    weight: upstream.weight,
    budget: upstream.maxConcurrent ?? null,
    health: new NodeHealth(),
    inventory: new NodeInventory(upstream.models),
    fixedModels: upstream.kind === 'openai' && upstream.models !== undefined,
  };
  if (state.fixedModels) state.inventory.updateAvailable((upstream.models ?? []).map((name) => ({ name, model: name })));
  const dispatcher = options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher };
  if (upstream.kind === 'openai') {
    const client = new OpenAiUpstreamClient({ name: upstream.name, baseUrl: upstream.url, connectTimeoutMs: options.connectTimeoutMs, apiKey: upstream.apiKey, ...dispatcher });
    return { ...state, kind: 'openai', client };
  }
  const client = new OllamaClient({ name: upstream.name, baseUrl: upstream.url, connectTimeoutMs: options.connectTimeoutMs, retry: options.retry, ...dispatcher });
  return { ...state, kind: 'ollama', client };
}

/** Whether a new config entry describes the same node (same client), so a reload can keep it. */
export function isSameNode(node: UpstreamNode, upstream: UpstreamConfig): boolean {
  return node.url === upstream.url.replace(/\/+$/, '') && node.kind === upstream.kind;
}
