import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, type Dispatcher } from 'undici';
import { classifyUpstreamFailure, isRetryableFailure } from '../errors/classify-upstream-failure.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { fromOllamaError } from '../translate/from-ollama-error.ts';

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface OllamaClientOptions {
  name: string;
  baseUrl: string;
  connectTimeoutMs: number;
  /** Read for each call, so a reloaded config applies to new requests. */
  retry: () => RetryPolicy;
  /** Injected in tests; by default a keep-alive pool to `baseUrl`. */
  dispatcher?: Dispatcher;
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Until response headers arrive; covers Ollama loading the model. */
  firstByteTimeoutMs?: number | undefined;
  /** Longest silence between two body chunks. */
  idleTimeoutMs?: number | undefined;
  /** Whether failures before the response may be retried (generation routes: yes). */
  retry?: boolean | undefined;
  /** Told about each retry, for logs and metrics. */
  onRetry?: ((attempt: number, error: GatewayError) => void) | undefined;
}

/** An OK answer from Ollama whose body has not been read yet. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** Retries made before this answer. */
  retries: number;
}

/** Ollama's "server busy" and proxies' 502/504 mean the request never ran: worth another try. */
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * Talks to one Ollama over a keep-alive connection pool. Non-2xx answers become GatewayErrors
 * (Ollama's `{error}` text kept); network failures are classified by `cause.code`. Retries happen
 * only before Ollama has answered, with exponential backoff and jitter, never past the caller's signal.
 */
export class OllamaClient {
  readonly name: string;
  readonly baseUrl: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #retry: () => RetryPolicy;
  readonly #random: () => number;

  constructor(options: OllamaClientOptions) {
    this.name = options.name;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ??
      new Pool(new URL(this.baseUrl).origin, {
        connect: { timeout: options.connectTimeoutMs },
        keepAliveTimeout: 30_000,
        // No body or headers timeout at pool level: each call sets its own.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    this.#retry = options.retry;
    this.#random = options.random ?? Math.random;
  }

  /** POSTs a JSON body; resolves once Ollama has answered 2xx. */
  post(path: string, body: unknown, options: CallOptions = {}): Promise<UpstreamResponse> {
    return this.#call('POST', path, JSON.stringify(body), options);
  }

  get(path: string, options: CallOptions = {}): Promise<UpstreamResponse> {
    return this.#call('GET', path, undefined, options);
  }

  /** POST and parse the whole JSON answer. */
  async postJson(path: string, body: unknown, options: CallOptions = {}): Promise<unknown> {
    const response = await this.post(path, body, options);
    return readJson(response, this.name);
  }

  async getJson(path: string, options: CallOptions = {}): Promise<unknown> {
    const response = await this.get(path, options);
    return readJson(response, this.name);
  }

  /** The raw dispatcher, for the native passthrough to reuse the same pool. */
  get dispatcher(): Dispatcher {
    return this.#dispatcher;
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #call(method: 'GET' | 'POST', path: string, body: string | undefined, options: CallOptions): Promise<UpstreamResponse> {
    const policy = this.#retry();
    const maxAttempts = options.retry ? policy.attempts + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.#once(method, path, body, options);
        return { ...response, retries: attempt - 1 };
      } catch (failure) {
        const answered = failure instanceof UpstreamAnswer;
        const error = answered ? failure.error : this.#classify(failure, options.signal);
        const retryable = answered ? RETRYABLE_STATUSES.has(failure.status) : isRetryableFailure(failure);
        if (!retryable || attempt >= maxAttempts || options.signal?.aborted) throw error;
        options.onRetry?.(attempt, error);
        await this.#backoff(policy, attempt, options.signal);
      }
    }
  }

  async #once(method: 'GET' | 'POST', path: string, body: string | undefined, options: CallOptions): Promise<Omit<UpstreamResponse, 'retries'>> {
    const response = await this.#dispatcher.request({
      origin: this.baseUrl,
      path: new URL(this.baseUrl + path).pathname,
      method,
      body: body ?? null,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      signal: options.signal ?? null,
      headersTimeout: options.firstByteTimeoutMs ?? 0,
      bodyTimeout: options.idleTimeoutMs ?? 0,
    });
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { status: response.statusCode, headers: response.headers, body: response.body };
    }
    const text = await readBounded(response.body);
    throw new UpstreamAnswer(response.statusCode, fromOllamaError(response.statusCode, text));
  }

  #classify(failure: unknown, signal: AbortSignal | undefined): GatewayError {
    // Our own deadline aborts with a TimeoutError reason; a client abort is rethrown as is by callers.
    if (signal?.aborted && signal.reason instanceof GatewayError) return signal.reason;
    return classifyUpstreamFailure(signal?.aborted ? (signal.reason ?? failure) : failure, this.baseUrl);
  }

  async #backoff(policy: RetryPolicy, attempt: number, signal: AbortSignal | undefined): Promise<void> {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.round(ceiling * (0.5 + this.#random() / 2));
    await sleep(delay, undefined, signal === undefined ? {} : { signal });
  }
}

/** A non-2xx answer of Ollama, kept apart from network failures so retries can look at its status. */
class UpstreamAnswer extends Error {
  readonly status: number;
  readonly error: GatewayError;
  constructor(status: number, error: GatewayError) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}

/** Reads an error body, keeping at most its first 64 KiB. */
export async function readBounded(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size < MAX_ERROR_BODY_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY_BYTES);
}

async function readJson(response: UpstreamResponse, upstream: string): Promise<unknown> {
  const text = await response.body.text().catch((error: unknown) => {
    throw classifyUpstreamFailure(error, upstream);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError(`Ollama answered with a body that is not JSON: ${text.slice(0, 200)}`, { status: 502, type: 'api_error', code: 'upstream_invalid_response' });
  }
}
