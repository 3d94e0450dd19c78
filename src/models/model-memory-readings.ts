import { ollamaPsResponseSchema, type OllamaPsResponse } from '../ollama/wire.ts';
import type { OllamaClient } from '../ollama/ollama-client.ts';

/** One model resident in Ollama's memory, as `/api/ps` reports it. */
export type RunningModel = NonNullable<OllamaPsResponse['models']>[number];

export interface RunningModelsDeps {
  ollama: OllamaClient;
  /** How long one reading is trusted (`runningModelsTtlMs`). */
  ttlMs: () => number;
  now?: () => number;
}

/**
 * Ollama's loaded models (`GET /api/ps`), cached for a moment and fetched once for all callers at a
 * time, so `/v1/status` and the model memory never cost one upstream call per request.
 */
export class RunningModels {
  readonly #deps: RunningModelsDeps;
  readonly #now: () => number;
  #models: RunningModel[] | undefined;
  #readAt = -Infinity;
  #inFlight: Promise<RunningModel[]> | undefined;

  constructor(deps: RunningModelsDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** The loaded models, from cache when younger than the TTL (or always fresh with `fresh`). */
  async read(options: { fresh?: boolean } = {}): Promise<RunningModel[]> {
    if (!options.fresh && this.#models !== undefined && this.#now() - this.#readAt < this.#deps.ttlMs()) return this.#models;
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Forgets the cached reading (after the gateway loads or unloads a model). */
  invalidate(): void {
    this.#readAt = -Infinity;
  }

  async #fetch(): Promise<RunningModel[]> {
    const body = await this.#deps.ollama.getJson('/api/ps', { signal: AbortSignal.timeout(5_000) });
    this.#models = ollamaPsResponseSchema.parse(body).models ?? [];
    this.#readAt = this.#now();
    return this.#models;
  }
}
