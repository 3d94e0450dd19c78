import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import { classifyUpstreamFailure, isRetryableFailure } from '../errors/classify-upstream-failure.ts';
import { GatewayError, gatewayError } from '../errors/gateway-error.ts';
import { fromOllamaError } from '../errors/from-ollama-error.ts';

import { RETRYABLE_STATUSES, waitBeforeRetry, type RetryPolicy } from './retry-policy.ts';

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

/** One HTTP exchange with the node, any status; the caller reads (or discards) the body. */
export interface UpstreamExchange {
  method: string;
  /** Path and query, e.g. `/api/chat`. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | Readable | null;
  signal: AbortSignal;
  /** Until response headers arrive; 0 = none. */
  headersTimeout: number;
  /** Longest silence between two body chunks; 0 = none. */
  bodyTimeout: number;
}

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
  /** A base URL's own path (`http://host/ollama`) comes before every API path. */
  readonly #pathPrefix: string;

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
    this.#pathPrefix = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
    this.#retry = options.retry;
    this.#random = options.random ?? Math.random;
  }

  /** Sends one request and resolves with Ollama's answer, whatever its status (the generation pipeline's upstream call). */
  send(exchange: UpstreamExchange): Promise<Dispatcher.ResponseData> {
    return sendExchange(this.#dispatcher, this.baseUrl, this.#pathPrefix, exchange);
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
        await waitBeforeRetry(policy, attempt, options.signal, this.#random);
      }
    }
  }

  async #once(method: 'GET' | 'POST', path: string, body: string | undefined, options: CallOptions): Promise<Omit<UpstreamResponse, 'retries'>> {
    const response = await this.#dispatcher.request({
      origin: this.baseUrl,
      path: this.#pathPrefix + path,
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

/** The start of an error body (at most 64 KiB kept), read to the end so the connection can be reused. */
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
    throw gatewayError('upstream_invalid_response', `Ollama answered with a body that is not JSON: ${text.slice(0, 200)}`);
  }
}

/**
 * One exchange over `dispatcher`, to `origin` with `pathPrefix` (a root URL's own path) before the
 * exchange's path; `extraHeaders` (a node's own key) win over the exchange's.
 */
export function sendExchange(dispatcher: Dispatcher, origin: string, pathPrefix: string, exchange: UpstreamExchange, extraHeaders: Record<string, string> = {}): Promise<Dispatcher.ResponseData> {
  return dispatcher.request({
    origin,
    path: pathPrefix + exchange.path,
    method: exchange.method as Dispatcher.HttpMethod,
    headers: { ...exchange.headers, ...extraHeaders },
    body: exchange.body,
    signal: exchange.signal,
    headersTimeout: exchange.headersTimeout,
    bodyTimeout: exchange.bodyTimeout,
  });
}
