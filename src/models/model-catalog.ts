import type { Config } from '../config/config-schema.ts';
import type { OllamaTag } from '../ollama/wire.ts';
import { modelNotFound, upstreamUnavailable } from '../errors/gateway-error.ts';
import { modelKey } from '../config/model-key.ts';
import type { ModelPolicies, ModelPolicy } from './model-policies.ts';
import type { PullProgress } from './pull-progress.ts';

const MIN_REFRESH_INTERVAL_MS = 250;

export interface ResolvedModel {
  /** The name the client sent; responses report it. */
  requested: string;
  /** Ollama's own name (`llama3.2:latest`); sent upstream and used for limits, metrics and status. */
  canonical: string;
  /** The model's policy (its config over the defaults). */
  policy: ModelPolicy;
}

export interface ModelCatalogDeps {
  getConfig: () => Config;
  /** The policies of the configuration in force. */
  getPolicies: () => ModelPolicies;
  listModels: (signal?: AbortSignal) => Promise<OllamaTag[]>;
  now?: () => number;
  /** Pull on demand: pulls a missing model when policy allows; false when it does not apply. */
  pullMissing?: (name: string, options: { signal?: AbortSignal | undefined; onProgress?: ((progress: PullProgress) => void) | undefined }) => Promise<boolean>;
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** Progress of a pull on demand the request waits for. */
  onPullProgress?: (progress: PullProgress) => void;
}

/**
 * Knows which models Ollama has: caches `/api/tags` for `modelListTtlMs` (one upstream call at a time),
 * resolves aliases and spellings to the canonical name, and refuses names Ollama does not have before
 * any state is created for them.
 */
export class ModelCatalog {
  readonly #deps: ModelCatalogDeps;
  readonly #now: () => number;
  #models: OllamaTag[] | undefined;
  #byKey = new Map<string, OllamaTag>();
  #fetchedAt = -Infinity;
  #inFlight: Promise<OllamaTag[]> | undefined;
  /** Bumped by `invalidate()`: a refresh started before it must not overwrite newer knowledge. */
  #generation = 0;

  constructor(deps: ModelCatalogDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Ollama's model list, from cache when fresh. A failed refresh falls back to a stale list if there is one. */
  async list(options: { fresh?: boolean } = {}): Promise<OllamaTag[]> {
    const ttl = this.#deps.getConfig().modelListTtlMs;
    // A "fresh" look is still shared for a moment, so a flood of unknown names costs Ollama little.
    const maxAge = options.fresh ? Math.min(ttl, MIN_REFRESH_INTERVAL_MS) : ttl;
    if (this.#models !== undefined && this.#now() - this.#fetchedAt < maxAge) return this.#models;
    if (this.#inFlight === undefined) {
      const refresh = this.#refresh().finally(() => {
        if (this.#inFlight === refresh) this.#inFlight = undefined;
      });
      this.#inFlight = refresh;
    }
    try {
      return await this.#inFlight;
    } catch (error) {
      if (this.#models !== undefined && !options.fresh) return this.#models;
      throw error;
    }
  }

  /** Forgets the cached list, e.g. after a pull or a delete. */
  invalidate(): void {
    this.#fetchedAt = -Infinity;
    this.#generation += 1;
    // A refresh already under way may predate the change (a pull that just finished): do not join it.
    this.#inFlight = undefined;
  }

  /** Applies aliases: the alias target, or the name itself. */
  dealias(name: string): string {
    return this.#deps.getPolicies().dealias(name);
  }

  /**
   * Resolves a requested name to the model Ollama has. Throws 404 `model_not_found` when Ollama does
   * not list it (after one fresh look, so a model pulled a moment ago is found), 503 when Ollama is down.
   */
  async resolve(requested: string, options: ResolveOptions = {}): Promise<ResolvedModel> {
    const target = this.dealias(requested);
    let tag = await this.#find(target, false);
    if (tag === undefined) tag = await this.#find(target, true);
    // Pull on demand: the request waits for the (shared) pull, then finds the model in a fresh list.
    if (tag === undefined && (await this.#deps.pullMissing?.(target, { signal: options.signal, onProgress: options.onPullProgress }))) {
      this.invalidate();
      tag = await this.#find(target, true);
    }
    if (options.signal?.aborted) throw options.signal.reason;
    if (tag === undefined) throw modelNotFound(requested);
    return { requested, canonical: tag.name, policy: this.#deps.getPolicies().get(tag.name) };
  }

  async #find(name: string, fresh: boolean): Promise<OllamaTag | undefined> {
    let models: OllamaTag[];
    try {
      models = await this.list({ fresh });
    } catch (error) {
      if (fresh && this.#models !== undefined) return undefined;
      throw upstreamUnavailable('Cannot list models: Ollama is unreachable.', error);
    }
    // Search the list this lookup received: a newer refresh may have been started meanwhile.
    const key = modelKey(name);
    return models === this.#models ? this.#byKey.get(key) : models.find((tag) => modelKey(tag.name) === key);
  }

  async #refresh(): Promise<OllamaTag[]> {
    const generation = this.#generation;
    const models = await this.#deps.listModels();
    if (generation !== this.#generation) return models;
    this.#models = models;
    this.#byKey = new Map(models.map((tag) => [modelKey(tag.name), tag]));
    this.#fetchedAt = this.#now();
    return models;
  }
}
