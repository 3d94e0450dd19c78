import { modelKey } from '../config/model-key.ts';
import type { OllamaTag } from '../ollama/wire.ts';

/**
 * Which models one node has and which it has loaded, from its last listing (`/api/tags` and
 * `/api/ps`, or `/v1/models`), kept so the scheduler can choose a node synchronously. A request the
 * gateway sends to the node counts as loading its model there until the next listing says otherwise.
 */
export class NodeInventory {
  /** Null until the first listing: nothing is known yet. */
  #tags: readonly OllamaTag[] | null = null;
  #available = new Set<string>();
  #loaded = new Set<string>();
  #allowed: ReadonlySet<string> | null;

  /** `allowed`: the node's `models` restriction, if it has one. */
  constructor(allowed: readonly string[] | undefined) {
    this.#allowed = allowed === undefined ? null : new Set(allowed.map(modelKey));
  }

  /** The node's listed models, restricted to its `models` (empty before the first listing). */
  get tags(): readonly OllamaTag[] {
    return this.#tags ?? [];
  }

  get listed(): boolean {
    return this.#tags !== null;
  }

  /** Replaces what the node has (its listing). */
  updateAvailable(tags: readonly OllamaTag[]): void {
    this.#tags = this.#allowed === null ? tags : tags.filter((tag) => this.#allowed!.has(modelKey(tag.name)));
    this.#available = new Set(this.#tags.map((tag) => modelKey(tag.name)));
  }

  /** Replaces what the node has loaded (its `/api/ps`). */
  updateLoaded(names: readonly string[]): void {
    this.#loaded = new Set(names.map(modelKey));
  }

  /** Whether the node may serve the model and has it. */
  has(model: string): boolean {
    return this.#available.has(modelKey(model));
  }

  /** Whether the node is allowed to serve the model (its `models` restriction), whether or not it has it. */
  allows(model: string): boolean {
    return this.#allowed === null || this.#allowed.has(modelKey(model));
  }

  isLoaded(model: string): boolean {
    return this.#loaded.has(modelKey(model));
  }

  /** The gateway sent a request for `model` here: the node loads it, so it is warm for the next one. */
  noteServed(model: string): void {
    this.#loaded.add(modelKey(model));
  }

  loadedModels(): string[] {
    return this.tags.filter((tag) => this.#loaded.has(modelKey(tag.name))).map((tag) => tag.name);
  }
}
