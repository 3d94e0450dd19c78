import type { Request, RequestHandler, Response } from 'express';
import { GatewayError, gatewayError, invalidRequest } from '../../errors/gateway-error.ts';
import { toOllamaModelError } from '../../errors/ollama-model-errors.ts';
import { checkOptionTypes } from '../../ollama/check-option-types.ts';
import { classifyGenerationFailure } from '../../generation/classify-generation-failure.ts';
import { outboundHeaders } from '../../generation/outbound-headers.ts';
import { runGeneration } from '../../generation/run-generation.ts';
import type { ResolvedModel } from '../../models/model-catalog.ts';
import { canonicalModelName, modelKey } from '../../config/model-key.ts';
import { isPullAllowed } from '../../models/pull-allow-list.ts';
import type { PullCoordinator } from '../../models/pull-coordinator.ts';
import { affinityOfRequest } from '../affinity-of-request.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { recordUsage } from '../record-usage.ts';
import { relayUpstreamResponse } from '../relay-upstream-response.ts';
import { contextOf } from '../request-context.ts';
import { pullForbidden } from './llm-pull.ts';
import { OllamaUsageTap } from './ollama-passthrough-usage.ts';

/** Ollama's generation routes: limited per model, counted, model name resolved and rewritten. */
export const PASSTHROUGH_GENERATION_PATHS = ['/api/chat', '/api/generate', '/api/embed', '/api/embeddings'] as const;
/** Routes that change Ollama's model store: 403 unless `allowStoreRoutes`. */
export const PASSTHROUGH_STORE_PATHS = ['/api/pull', '/api/push', '/api/create', '/api/copy', '/api/delete', '/api/blobs/*digest'] as const;

/** `/api/` and segments of plain characters: no percent-encoding, no empty, `.` or `..` segments. */
const PLAIN_API_PATH = /^\/api(?:\/(?!\.{1,2}(?:\/|$))[\w.:-]+)+\/?$/;

export interface OllamaPassthrough {
  /** `POST /api/chat|generate|embed|embeddings` (after `express.json`). */
  generation: RequestHandler;
  /** Store routes; `/api/pull` must come after `express.json` (its name is checked against the allow-list). */
  store: RequestHandler;
  /** Everything else under `/api/`: forwarded as is, bodies streamed unbuffered. */
  forward: RequestHandler;
}

/**
 * Ollama's native API under `/api/*`, relayed verbatim over the gateway's one upstream stack (undici):
 * Ollama's status, headers, bytes and error lines reach the client untouched. Generation routes run
 * through the generation pipeline (slot, model memory, deadlines, retries before the answer) and hold
 * their slot until the relayed answer ends or the client leaves. Every request's outbound headers come
 * from `outboundHeaders`, so no credential the gateway consumed reaches Ollama.
 */
export function createOllamaPassthrough(services: GatewayServices, options: { onStoreChanged: () => void; pulls: PullCoordinator }): OllamaPassthrough {
  /** A request without a model (or a store route): forwarded as it is, body streamed unbuffered. */
  const forward = async (req: Request, res: Response, onEnd?: () => void): Promise<void> => {
    const context = contextOf(res);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const length = req.headers['content-length'];
    // model-less routes go to the first Ollama node that answers
    const ollama = services.pool.firstOllamaNode()?.client ?? services.ollama;
    let response;
    try {
      response = await ollama.send({
        method: req.method,
        path: req.originalUrl,
        headers: outboundHeaders(req.headers, { json: false, length: hasBody && length !== undefined ? Number(length) : undefined }),
        body: hasBody ? req : null,
        signal: context.abort.signal,
        headersTimeout: services.getConfig().defaults.firstByteTimeoutMs,
        bodyTimeout: services.getConfig().defaults.idleTimeoutMs,
      });
    } catch (error) {
      throw classifyGenerationFailure(error, context.abort.signal, ollama.baseUrl);
    }
    context.upstream = ollama.name;
    try {
      if (await relayUpstreamResponse(res, response)) onEnd?.();
    } catch (error) {
      context.error = classifyGenerationFailure(error, context.abort.signal, ollama.baseUrl);
      res.destroy();
    }
  };

  return {
    async generation(req, res) {
      // Ollama's handlers refuse an empty body (Go's decoder meets EOF), and decode `null` into an
      // empty request, which then lacks its model
      if (req.headers['content-length'] === '0') throw invalidRequest('missing request body');
      const body = req.body === null ? {} : requireJsonObject(req.body);
      const requested = typeof body['model'] === 'string' ? body['model'] : '';
      // Native clients read NDJSON, so no SSE pull-progress comments here.
      const { model, priority } = await prepareGeneration(services, req, res, { body: body['model'], stream: false }).catch((error: unknown) => {
        throw toOllamaModelError(req.path, requested, error);
      });
      const optionsProblem = checkOptionTypes(body['options']);
      if (optionsProblem !== undefined) throw invalidRequest(optionsProblem, 'options');
      const context = contextOf(res);
      const countsUsage = req.path === '/api/chat' || req.path === '/api/generate';
      context.stream = body['stream'] !== false && countsUsage;
      const native = Buffer.from(JSON.stringify(withModelDefaults(body, model)));
      const tap = countsUsage ? new OllamaUsageTap() : undefined;
      try {
        await runGeneration(
          services.pipeline,
          { path: req.path, body: native, headers: outboundHeaders(req.headers, { json: true, length: native.length }), stream: context.stream, relayAnyStatus: true },
          { model: model.canonical, policy: model.policy, priority, context, bodyBytes: Number(req.headers['content-length'] ?? 0), affinityKey: affinityOfRequest(services.getConfig(), req.headers, body) },
          async (generation) => {
            const ok = generation.status < 300;
            const complete = await relayUpstreamResponse(res, { statusCode: generation.status, headers: generation.headers, body: generation.body }, (chunk) => {
              if (!ok) return;
              context.firstTokenMs ??= services.now() - context.startedAt;
              tap?.push(chunk);
            });
            if (complete && ok) recordUsage(services.metrics, context, tap?.usage());
          },
        );
      } catch (error) {
        if (!res.headersSent) throw error;
        // A native client reads NDJSON: after the headers, a broken answer can only be a cut connection.
        context.error = error as GatewayError;
        res.destroy();
      }
    },

    async store(req, res) {
      const config = services.getConfig();
      if (!config.allowStoreRoutes) throw storeRoutesDisabled(req.path);
      if (req.path !== '/api/pull') return forward(req, res, options.onStoreChanged);
      const body = requireJsonObject(req.body);
      const name = typeof body['model'] === 'string' && body['model'] !== '' ? body['model'] : body['name'];
      if (typeof name !== 'string' || name === '') throw invalidRequest('You must provide a model to pull.', 'model', 'missing_required_parameter');
      const canonical = canonicalModelName(services.catalog.dealias(name));
      if (!isPullAllowed(canonical, config)) throw pullForbidden(name);
      // Through the same single flight as /v1/llm/{model}/pull: shared with concurrent callers and counted.
      await relayNativePull(res, options.pulls, canonical, body['stream'] !== false);
    },

    forward: (req, res) => {
      // Ollama decodes paths (`/api/%70ull` is `/api/pull` to it): only plain paths may pass the route checks above.
      if (!PLAIN_API_PATH.test(req.path)) throw invalidRequest(`The path ${req.path} is not a plain Ollama API path.`, null, 'invalid_path');
      return forward(req, res);
    },
  };
}

/**
 * `/api/pull` answered in Ollama's own format from the shared pull: NDJSON progress lines
 * (`status`, `digest`, `total`, `completed`) ending in `{"status":"success"}` or an `{"error"}` line,
 * or with `stream: false` the final object alone.
 */
async function relayNativePull(res: Response, pulls: PullCoordinator, model: string, stream: boolean): Promise<void> {
  const context = contextOf(res);
  context.model = model;
  context.stream = stream;
  if (!stream) {
    await pulls.pull(model, { signal: context.abort.signal });
    res.json({ status: 'success' });
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const write = (line: object): void => {
    if (!res.writableEnded) res.write(`${JSON.stringify(line)}\n`);
  };
  try {
    await pulls.pull(model, {
      signal: context.abort.signal,
      onProgress: ({ status, digest, total, completed }) => {
        if (status !== 'success') write({ status, ...(digest === undefined ? {} : { digest }), ...(total === undefined ? {} : { total }), ...(completed === undefined ? {} : { completed }) });
      },
    });
    write({ status: 'success' });
  } catch (error) {
    if (error instanceof GatewayError) context.error = error;
    write({ error: error instanceof Error ? error.message : String(error) });
  }
  res.end();
}

/**
 * An alias is replaced by its model's name; any other spelling is sent as the client wrote it, since
 * Ollama resolves it alike and echoes it in its answers and errors (`"model": "llama3.2"`). The model's
 * configured options go under the client's, `keepAlive` fills an absent `keep_alive`.
 */
function withModelDefaults(body: Record<string, unknown>, model: ResolvedModel): Record<string, unknown> {
  const { policy } = model;
  const upstreamName = modelKey(model.requested) === modelKey(model.canonical) ? model.requested : model.canonical;
  const native: Record<string, unknown> = { ...body, model: upstreamName };
  if (policy.options !== undefined) {
    const clientOptions = typeof body['options'] === 'object' && body['options'] !== null ? body['options'] : {};
    native['options'] = { ...policy.options, ...clientOptions };
  }
  if (native['keep_alive'] === undefined && policy.keepAlive !== undefined) native['keep_alive'] = policy.keepAlive;
  return native;
}

function requireJsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function storeRoutesDisabled(path: string): GatewayError {
  return gatewayError('permission_denied', `${path} changes Ollama's model store and is disabled on this gateway (config: allowStoreRoutes).`, { code: 'store_routes_disabled' });
}
