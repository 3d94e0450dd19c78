import type { Config } from '../config/config-schema.ts';
import { modelKey } from '../config/model-key.ts';

/** The deadlines of one upstream call. */
export interface GenerationTimeouts {
  /** Total time for one request, queue excluded. */
  readonly requestTimeoutMs: number;
  /** Until the upstream's response headers arrive (covers a model load). */
  readonly firstByteTimeoutMs: number;
  /** Longest silence between two streamed chunks. */
  readonly idleTimeoutMs: number;
}

/** Everything the pipeline applies to one model, its `models` entry merged over `defaults` once. */
export interface ModelPolicy {
  readonly timeouts: GenerationTimeouts;
  /** Ollama options that go under whatever the client sets (e.g. `num_ctx`). */
  readonly options: Readonly<Record<string, unknown>> | undefined;
  readonly keepAlive: string | number | undefined;
  /** Models that serve this one's requests when it cannot take them now (canonical names). */
  readonly fallbacks: readonly string[];
  /** Spill to a fallback rather than wait longer than this in the queue. */
  readonly spillAfterMs: number | undefined;
}

/**
 * Per-model policy and aliases resolved once per configuration (at start-up and on SIGHUP) into
 * `Map`s under the one model key, so the hot path only looks up and client input never reaches an
 * object's prototype.
 */
export class ModelPolicies {
  readonly #byKey: Map<string, ModelPolicy>;
  readonly #aliases: Map<string, string>;
  readonly #fallback: ModelPolicy;

  constructor(config: Config) {
    const { defaults } = config;
    this.#fallback = { timeouts: pickTimeouts(defaults, defaults), options: undefined, keepAlive: undefined, fallbacks: [], spillAfterMs: undefined };
    this.#byKey = new Map(
      Object.entries(config.models).map(([name, model]) => [
        modelKey(name),
        { timeouts: pickTimeouts(model, defaults), options: model.options, keepAlive: model.keepAlive, fallbacks: model.fallbacks ?? [], spillAfterMs: model.spillAfterMs },
      ]),
    );
    this.#aliases = new Map(Object.entries(config.aliases).map(([alias, target]) => [modelKey(alias), target]));
  }

  /** The policy of a (canonical or any spelling of a) model name; unlisted models get the defaults. */
  get(name: string): ModelPolicy {
    return this.#byKey.get(modelKey(name)) ?? this.#fallback;
  }

  /** Applies aliases: the alias target, or the name itself. */
  dealias(name: string): string {
    return this.#aliases.get(modelKey(name)) ?? name;
  }
}

type TimeoutFields = { [K in keyof GenerationTimeouts]?: number | undefined };

function pickTimeouts(own: TimeoutFields, defaults: GenerationTimeouts): GenerationTimeouts {
  return {
    requestTimeoutMs: own.requestTimeoutMs ?? defaults.requestTimeoutMs,
    firstByteTimeoutMs: own.firstByteTimeoutMs ?? defaults.firstByteTimeoutMs,
    idleTimeoutMs: own.idleTimeoutMs ?? defaults.idleTimeoutMs,
  };
}
