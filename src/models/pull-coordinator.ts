import type { Logger } from 'pino';
import type { Config } from '../config/config-schema.ts';
import { GatewayError, gatewayError, restate } from '../errors/gateway-error.ts';
import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { canonicalModelName, modelKey } from '../config/model-key.ts';
import type { OllamaClient } from '../ollama/ollama-client.ts';
import { readNdjsonLines } from '../ollama/read-ndjson-lines.ts';
import { ollamaPullProgressSchema } from '../ollama/wire.ts';
import { toPullProgress, type PullProgress } from './pull-progress.ts';

export interface PullCoordinatorDeps {
  /** The Ollama node a new pull goes to, asked at each pull (with several nodes: the least busy healthy one). */
  pullTarget: () => OllamaClient;
  metrics: GatewayMetrics;
  logger: Logger;
  getConfig: () => Config;
  /** Told after each successful pull (the catalog forgets its cached model list). */
  onPulled: (model: string) => void;
  now?: () => number;
}

export interface PullOptions {
  /** Aborting stops this caller's wait only; the shared upstream pull carries on for the others. */
  signal?: AbortSignal | undefined;
  /** Every progress line of the shared pull; a caller that joins late first gets the latest one. */
  onProgress?: ((progress: PullProgress) => void) | undefined;
}

export interface PullOutcome {
  /** The canonical name pulled. */
  model: string;
  status: 'success';
  durationMs: number;
  /** True when this caller joined a pull another caller had started. */
  shared: boolean;
}

/** A pull under way, as `/v1/status` reports it. */
export interface ActivePull {
  model: string;
  startedAt: string;
  waiting: number;
  progress: PullProgress | null;
}

interface FlightState {
  model: string;
  startedAt: number;
  latest: PullProgress | null;
  listeners: Set<(progress: PullProgress) => void>;
  controller: AbortController;
}

interface Flight extends FlightState {
  done: Promise<Omit<PullOutcome, 'shared'>>;
}

const MANIFEST_MISSING = /file does not exist|not found|manifest unknown/i;

/**
 * Single flight for model pulls: concurrent pulls of one model (any spelling) share one upstream
 * `/api/pull`, every caller sees the same progress, and a failure reaches every caller with Ollama's
 * reason. A pull keeps going when its callers leave: a half-finished download is worth finishing.
 */
export class PullCoordinator {
  readonly #deps: PullCoordinatorDeps;
  readonly #now: () => number;
  readonly #flights = new Map<string, Flight>();

  constructor(deps: PullCoordinatorDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Pulls `name` (joining a pull under way) and resolves when Ollama reports success. */
  async pull(name: string, options: PullOptions = {}): Promise<PullOutcome> {
    options.signal?.throwIfAborted();
    const key = modelKey(name);
    const existing = this.#flights.get(key);
    const flight = existing ?? this.#start(key, canonicalModelName(name));
    const listener = options.onProgress;
    if (listener !== undefined) {
      if (flight.latest !== null) listener(flight.latest);
      flight.listeners.add(listener);
    }
    try {
      const outcome = await raceWithSignal(flight.done, options.signal);
      return { ...outcome, shared: existing !== undefined };
    } finally {
      if (listener !== undefined) flight.listeners.delete(listener);
    }
  }

  /** Pulls under way now. */
  active(): ActivePull[] {
    return [...this.#flights.values()].map((flight) => ({
      model: flight.model,
      startedAt: new Date(flight.startedAt).toISOString(),
      waiting: flight.listeners.size,
      progress: flight.latest,
    }));
  }

  /** Aborts every pull under way (shutdown). */
  close(): void {
    for (const flight of this.#flights.values()) flight.controller.abort(gatewayError('draining', 'The gateway is shutting down.'));
  }

  #start(key: string, model: string): Flight {
    const state: FlightState = { model, startedAt: this.#now(), latest: null, listeners: new Set(), controller: new AbortController() };
    const flight: Flight = Object.assign(state, { done: this.#run(state).finally(() => this.#flights.delete(key)) });
    // Callers may all have left; the outcome is still logged and counted, never unhandled.
    flight.done.catch(() => undefined);
    this.#flights.set(key, flight);
    return flight;
  }

  async #run(flight: FlightState): Promise<Omit<PullOutcome, 'shared'>> {
    const { metrics, logger } = this.#deps;
    const ollama = this.#deps.pullTarget();
    logger.info({ model: flight.model, upstream: ollama.name }, 'pulling model');
    try {
      await this.#stream(flight, ollama);
      metrics.modelPulls.inc({ model: flight.model, result: 'success' });
      this.#deps.onPulled(flight.model);
      const durationMs = this.#now() - flight.startedAt;
      logger.info({ model: flight.model, durationMs }, 'model pulled');
      return { model: flight.model, status: 'success', durationMs };
    } catch (error) {
      const failure = describePullFailure(flight.model, error, ollama.baseUrl);
      metrics.modelPulls.inc({ model: flight.model, result: 'failure' });
      logger.warn({ model: flight.model, error: failure.message }, 'model pull failed');
      throw failure;
    }
  }

  async #stream(flight: FlightState, ollama: OllamaClient): Promise<void> {
    const defaults = this.#deps.getConfig().defaults;
    const response = await ollama.post('/api/pull', { model: flight.model, stream: true }, {
      signal: flight.controller.signal,
      retry: true,
      firstByteTimeoutMs: defaults.firstByteTimeoutMs,
      // A registry that stops sending for this long is treated as a failed pull.
      idleTimeoutMs: defaults.idleTimeoutMs,
    });
    let succeeded = false;
    for await (const line of readNdjsonLines(response.body)) {
      const parsed = ollamaPullProgressSchema.parse(line);
      if (parsed.error !== undefined) throw new PullRefused(parsed.error);
      const progress = toPullProgress(parsed);
      flight.latest = progress;
      succeeded = progress.status === 'success';
      for (const listener of flight.listeners) listener(progress);
    }
    if (!succeeded) throw new PullRefused('the progress stream ended before "success"');
  }
}

/** Ollama's own reason for a failed pull, from an `{"error"}` line. */
class PullRefused extends Error {}

function describePullFailure(model: string, error: unknown, upstream: string): GatewayError {
  const reason = error instanceof GatewayError || error instanceof PullRefused ? error.message : classifyUpstreamFailure(error, upstream).message;
  const message = `Pulling \`${model}\` failed: ${reason}`;
  if (MANIFEST_MISSING.test(reason)) {
    return gatewayError('model_not_found', message, { param: 'model', cause: error });
  }
  if (error instanceof GatewayError && error.status !== 502) return restate(error, message);
  return gatewayError('pull_failed', message, { cause: error });
}

function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
