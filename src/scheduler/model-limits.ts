import type { Config, ModelConfig } from '../config/config-schema.ts';

/** Bytes of headroom a request needs per `memoryCost` level (KV cache and buffers, not the weights). */
export const MEMORY_COST_BYTES = { small: 64 * 1024 ** 2, medium: 256 * 1024 ** 2, high: 1024 ** 3 } as const;

/** A reservoir of `amount` requests, set back to `amount` every `refreshIntervalMs`. */
export interface ReservoirLimits {
  readonly amount: number;
  readonly refreshIntervalMs: number;
}

/** The limits the scheduler enforces for one model: its `models` entry merged over `defaults`. */
export interface ResolvedModelLimits {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly queueTimeoutMs: number;
  readonly reservoir: ReservoirLimits | null;
  readonly memoryCostBytes: number;
}

const MINUTE_MS = 60_000;

/** Resolves the limits in force for a canonical model name under `config`. */
export function resolveModelLimits(config: Config, modelKey: string): ResolvedModelLimits {
  return limitsOf(Object.hasOwn(config.models, modelKey) ? config.models[modelKey] : undefined, config.defaults);
}

/**
 * Every configured model's limits resolved once per configuration object, in a `Map` (a model
 * named like an `Object` property is just a key): under the same config a lookup resolves nothing,
 * and a lookup returns the same object each time, so a lane can tell whether its limits changed.
 */
export class ModelLimitsTable {
  #loaded: LoadedLimits | undefined;

  /** Resolves every model's limits under `config` (at start-up and after a reload). */
  load(config: Config): void {
    this.#resolve(config);
  }

  /** The limits of `modelKey` under `config`; resolves the table again only when `config` is a new object. */
  get(config: Config, modelKey: string): ResolvedModelLimits {
    const loaded = this.#loaded?.config === config ? this.#loaded : this.#resolve(config);
    return loaded.byKey.get(modelKey) ?? loaded.unlisted;
  }

  #resolve(config: Config): LoadedLimits {
    const byKey = new Map(Object.entries(config.models).map(([key, model]) => [key, limitsOf(model, config.defaults)]));
    this.#loaded = { config, byKey, unlisted: limitsOf(undefined, config.defaults) };
    return this.#loaded;
  }
}

interface LoadedLimits {
  readonly config: Config;
  readonly byKey: ReadonlyMap<string, ResolvedModelLimits>;
  readonly unlisted: ResolvedModelLimits;
}

function limitsOf(model: ModelConfig | undefined, defaults: Config['defaults']): ResolvedModelLimits {
  const own: ModelConfig = model ?? {};
  return {
    maxConcurrent: own.maxConcurrent ?? defaults.maxConcurrent,
    maxQueue: own.maxQueue ?? defaults.maxQueue,
    queueTimeoutMs: own.queueTimeoutMs ?? defaults.queueTimeoutMs,
    reservoir: resolveReservoir(own),
    memoryCostBytes: resolveMemoryCostBytes(own.memoryCost),
  };
}

function resolveReservoir(model: ModelConfig): ReservoirLimits | null {
  if (model.rpm !== undefined) return { amount: model.rpm, refreshIntervalMs: MINUTE_MS };
  if (model.reservoir !== undefined && model.refreshIntervalMs !== undefined) {
    return { amount: model.reservoir, refreshIntervalMs: model.refreshIntervalMs };
  }
  return null;
}

function resolveMemoryCostBytes(memoryCost: ModelConfig['memoryCost']): number {
  if (memoryCost === undefined) return MEMORY_COST_BYTES.small;
  return typeof memoryCost === 'number' ? memoryCost : MEMORY_COST_BYTES[memoryCost];
}

/** True when two resolutions describe the same reservoir (so an existing limiter can be kept). */
export function isSameReservoir(left: ReservoirLimits | null, right: ReservoirLimits | null): boolean {
  if (left === null || right === null) return left === right;
  return left.amount === right.amount && left.refreshIntervalMs === right.refreshIntervalMs;
}
