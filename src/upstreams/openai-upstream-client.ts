import { Pool, type Dispatcher } from 'undici';
import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import { GatewayError, gatewayError } from '../errors/gateway-error.ts';
import { readBounded, sendExchange, type CallOptions, type UpstreamExchange, type UpstreamResponse } from '../ollama/ollama-client.ts';
import { fromOpenAiUpstreamError } from './from-openai-upstream-error.ts';

export interface OpenAiUpstreamClientOptions {
  name: string;
  /** The server's root; paths such as `/v1/chat/completions` are appended. */
  baseUrl: string;
  connectTimeoutMs: number;
  /** Sent as `Authorization: Bearer`; never logged. */
  apiKey?: string | undefined;
  dispatcher?: Dispatcher;
}

/**
 * Talks to one OpenAI-compatible server (vLLM, llama.cpp's `llama-server`, LM Studio, LocalAI) over
 * a keep-alive pool. Non-2xx answers become GatewayErrors in OpenAI's shape; network failures are
 * classified by `cause.code`. No retries here: the pipeline retries across nodes.
 */
export class OpenAiUpstreamClient {
  readonly name: string;
  readonly baseUrl: string;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #headers: Record<string, string>;
  /** A base URL's own path (`http://host/openai`) comes before every API path. */
  readonly #pathPrefix: string;

  constructor(options: OpenAiUpstreamClientOptions) {
    this.name = options.name;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher =
      options.dispatcher ?? new Pool(new URL(this.baseUrl).origin, { connect: { timeout: options.connectTimeoutMs }, keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
    this.#headers = options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` };
    this.#pathPrefix = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
  }

  /** Sends one request (the generation pipeline's upstream call) with the node's key; resolves with the answer, whatever its status. */
  send(exchange: UpstreamExchange): Promise<Dispatcher.ResponseData> {
    return sendExchange(this.#dispatcher, this.baseUrl, this.#pathPrefix, exchange, this.#headers);
  }

  /** POSTs a JSON body; resolves once the server answered 2xx. */
  post(path: string, body: unknown, options: CallOptions = {}): Promise<UpstreamResponse> {
    return this.#call('POST', path, JSON.stringify(body), options);
  }

  get(path: string, options: CallOptions = {}): Promise<UpstreamResponse> {
    return this.#call('GET', path, undefined, options);
  }

  /** The model ids of `GET /v1/models`. */
  async listModels(signal: AbortSignal): Promise<string[]> {
    const response = await this.get('/v1/models', { signal });
    const text = await response.body.text();
    try {
      const body = JSON.parse(text) as { data?: Array<{ id?: unknown }> };
      return (body.data ?? []).flatMap((entry) => (typeof entry.id === 'string' ? [entry.id] : []));
    } catch {
      throw gatewayError('upstream_invalid_response', `${this.name} answered /v1/models with a body that is not JSON.`);
    }
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #call(method: 'GET' | 'POST', path: string, body: string | undefined, options: CallOptions): Promise<UpstreamResponse> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#dispatcher.request({
        origin: this.baseUrl,
        path: this.#pathPrefix + path,
        method,
        body: body ?? null,
        headers: body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
        signal: options.signal ?? null,
        headersTimeout: options.firstByteTimeoutMs ?? 0,
        bodyTimeout: options.idleTimeoutMs ?? 0,
      });
    } catch (failure) {
      const signal = options.signal;
      if (signal?.aborted && signal.reason instanceof GatewayError) throw signal.reason;
      throw classifyUpstreamFailure(signal?.aborted ? (signal.reason ?? failure) : failure, this.baseUrl);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return { status: response.statusCode, headers: response.headers, body: response.body, retries: 0 };
    throw fromOpenAiUpstreamError(response.statusCode, await readBounded(response.body), this.name);
  }
}
