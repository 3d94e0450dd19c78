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
  const model: ModelConfig = config.models[modelKey] ?? {};
  return {
    maxConcurrent: model.maxConcurrent ?? config.defaults.maxConcurrent,
    maxQueue: model.maxQueue ?? config.defaults.maxQueue,
    queueTimeoutMs: model.queueTimeoutMs ?? config.defaults.queueTimeoutMs,
    reservoir: resolveReservoir(model),
    memoryCostBytes: resolveMemoryCostBytes(model.memoryCost),
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
