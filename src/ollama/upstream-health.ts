import type { OllamaClient } from './ollama-client.ts';

export interface UpstreamHealthState {
  name: string;
  url: string;
  reachable: boolean;
  version?: string;
  roundTripMs?: number;
  lastError?: string;
  checkedAt?: string;
}

/**
 * Checks one Ollama every `intervalMs` with `GET /api/version` (cheap, no model involved) and keeps the
 * latest result, so readiness and status never cost an upstream call each.
 */
export class UpstreamHealth {
  readonly #client: OllamaClient;
  readonly #intervalMs: number;
  readonly #onChange: (state: UpstreamHealthState) => void;
  #state: UpstreamHealthState;
  #timer: NodeJS.Timeout | undefined;

  constructor(client: OllamaClient, options: { intervalMs: number; onChange?: (state: UpstreamHealthState) => void }) {
    this.#client = client;
    this.#intervalMs = options.intervalMs;
    this.#onChange = options.onChange ?? (() => {});
    this.#state = { name: client.name, url: client.baseUrl, reachable: false };
  }

  get state(): UpstreamHealthState {
    return this.#state;
  }

  /** Runs one check now and then on the interval; resolves after the first check. */
  async start(): Promise<UpstreamHealthState> {
    const state = await this.check();
    this.#timer = setInterval(() => void this.check(), this.#intervalMs);
    this.#timer.unref();
    return state;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  async check(): Promise<UpstreamHealthState> {
    const started = performance.now();
    let next: UpstreamHealthState;
    try {
      const body = (await this.#client.getJson('/api/version', { signal: AbortSignal.timeout(Math.min(this.#intervalMs, 5_000)) })) as { version?: unknown };
      next = {
        name: this.#client.name,
        url: this.#client.baseUrl,
        reachable: true,
        roundTripMs: Math.round((performance.now() - started) * 100) / 100,
        checkedAt: new Date().toISOString(),
        ...(typeof body.version === 'string' ? { version: body.version } : {}),
      };
    } catch (error) {
      next = {
        name: this.#client.name,
        url: this.#client.baseUrl,
        reachable: false,
        lastError: error instanceof Error ? error.message : String(error),
        checkedAt: new Date().toISOString(),
      };
    }
    const changed = next.reachable !== this.#state.reachable;
    this.#state = next;
    if (changed || !next.reachable) this.#onChange(next);
    return next;
  }
}
