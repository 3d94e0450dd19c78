import type { Logger } from 'pino';
import type { ResponseCache } from '../cache/response-cache.ts';
import type { Config } from '../config/config-schema.ts';
import type { GenerationPipeline } from '../generation/run-generation.ts';
import type { KeyServices } from '../keys/key-services.ts';
import type { ModelCatalog } from '../models/model-catalog.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import type { OllamaClient } from '../ollama/ollama-client.ts';
import type { Scheduler } from '../scheduler/scheduler.ts';

/** What route handlers work with; one set per app instance, made by `createApp`. */
export interface GatewayServices {
  getConfig: () => Config;
  catalog: ModelCatalog;
  scheduler: Scheduler;
  /** The one way generations run. */
  pipeline: GenerationPipeline;
  ollama: OllamaClient;
  metrics: GatewayMetrics;
  /** API keys, their limits and usage. */
  keys: KeyServices;
  logger: Logger;
  now: () => number;
  /** The response cache, when `cache` turns any part of it on at start-up. */
  cache?: ResponseCache;
  /** True from SIGTERM on: new work is refused with 503. */
  isDraining: () => boolean;
}
