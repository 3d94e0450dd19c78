import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.ts';
import type { OllamaTag } from '../ollama/wire.ts';
import type { UpstreamNode } from '../upstreams/upstream-node.ts';
import { modelKey } from '../config/model-key.ts';
import { ModelMemory } from './model-memory.ts';
import { RunningModels, type RunningModel } from './model-memory-readings.ts';

type OllamaNode = Extract<UpstreamNode, { kind: 'ollama' }>;

/** The part of the upstream pool the memories follow. */
export interface MemoryNodes {
  readonly nodes: readonly UpstreamNode[];
  node(name: string): UpstreamNode | undefined;
  onChange(listener: () => void): () => void;
}

export interface NodeModelMemoriesDeps {
  getConfig: () => Config;
  nodes: MemoryNodes;
  /** Installed models (the union of the nodes' lists), for the size of a model not loaded yet. */
  listModels: () => Promise<OllamaTag[]>;
  /** Running requests per model and node, from the scheduler. */
  activeByNode: () => Record<string, Readonly<Record<string, number>> | undefined>;
  logger: Logger;
}

interface NodeMemory {
  node: OllamaNode;
  running: RunningModels;
  memory: ModelMemory;
}

/**
 * Model memory per Ollama node: each node has its own LRU, its own loaded models (its `/api/ps`), its
 * own busy models (those with slots on it), and unloads go to that node only — `maxLoadedModels` and
 * `maxLoadedBytes` are budgets of each node. A node that joins on reload gets a memory on first use;
 * one that leaves (or is replaced by a node of the same name) loses its memory. `openai` kind nodes have none.
 * The pipeline's `ModelMemoryStage`.
 */
export class NodeModelMemories {
  readonly #deps: NodeModelMemoriesDeps;
  readonly #byName = new Map<string, NodeMemory>();

  constructor(deps: NodeModelMemoriesDeps) {
    this.#deps = deps;
    deps.nodes.onChange(() => this.#forgetDeparted());
  }

  makeRoomFor(model: string, node: string, signal?: AbortSignal): Promise<void> {
    return this.#memoryOf(node)?.memory.makeRoomFor(model, signal) ?? Promise.resolve();
  }

  noteReleased(model: string, node: string): void {
    this.#memoryOf(node)?.memory.noteReleased(model);
  }

  /**
   * What the Ollama nodes have loaded, each model once (the first node's entry); from each node's short
   * cache. Rejects only when no node could be read.
   */
  async readLoaded(): Promise<RunningModel[]> {
    const memories = this.#deps.nodes.nodes.map((node) => this.#memoryOf(node.name)).filter((entry) => entry !== undefined);
    const readings = await Promise.allSettled(memories.map((entry) => entry.running.read()));
    const first = readings[0];
    if (first !== undefined && readings.every((reading) => reading.status === 'rejected')) throw (first as PromiseRejectedResult).reason;
    const union = new Map<string, RunningModel>();
    for (const reading of readings) {
      if (reading.status !== 'fulfilled') continue;
      for (const model of reading.value) if (!union.has(modelKey(model.name))) union.set(modelKey(model.name), model);
    }
    return [...union.values()];
  }

  #memoryOf(name: string): NodeMemory | undefined {
    const node = this.#deps.nodes.node(name);
    if (node === undefined || node.kind !== 'ollama') return undefined;
    const known = this.#byName.get(name);
    if (known?.node === node) return known;
    const created = this.#create(node);
    this.#byName.set(name, created);
    return created;
  }

  #create(node: OllamaNode): NodeMemory {
    const { getConfig, listModels, activeByNode } = this.#deps;
    const running = new RunningModels({ ollama: node.client, ttlMs: () => getConfig().runningModelsTtlMs });
    const busyModels = (): string[] =>
      Object.entries(activeByNode())
        .filter(([, active]) => (active?.[node.name] ?? 0) > 0)
        .map(([model]) => model);
    const memory = new ModelMemory({ getConfig, ollama: node.client, runningModels: running, listModels, busyModels, logger: this.#deps.logger.child({ upstream: node.name }) });
    return { node, running, memory };
  }

  #forgetDeparted(): void {
    for (const [name, entry] of this.#byName) if (this.#deps.nodes.node(name) !== entry.node) this.#byName.delete(name);
  }
}
