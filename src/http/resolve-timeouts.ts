import type { Config } from '../config/config-schema.ts';

export interface UpstreamTimeouts {
  requestTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
}

/** The deadlines in force for a model: its own entry over `defaults` (keys are canonical names). */
export function resolveTimeouts(config: Config, model: string): UpstreamTimeouts {
  const own = config.models[model] ?? {};
  return {
    requestTimeoutMs: own.requestTimeoutMs ?? config.defaults.requestTimeoutMs,
    firstByteTimeoutMs: own.firstByteTimeoutMs ?? config.defaults.firstByteTimeoutMs,
    idleTimeoutMs: own.idleTimeoutMs ?? config.defaults.idleTimeoutMs,
  };
}
