import { Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware, proxyEventsPlugin } from 'http-proxy-middleware';
import type { Config } from '../../config/config-schema.ts';
import { classifyUpstreamFailure } from '../../errors/classify-upstream-failure.ts';
import { GatewayError, invalidRequest } from '../../errors/gateway-error.ts';
import { isPullAllowed } from '../../models/pull-allow-list.ts';
import type { PullCoordinator } from '../../models/pull-coordinator.ts';
import { canonicalModelName } from '../../ollama/canonical-model-name.ts';
import { sendError } from '../error-middleware.ts';
import { nativeRouteOnOpenAiNode } from '../forward-to-openai-upstream.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { contextOf } from '../request-context.ts';
import { resolveTimeouts, type UpstreamTimeouts } from '../resolve-timeouts.ts';
import { pullForbidden } from './llm-pull.ts';
import { tapOllamaUsage } from './ollama-passthrough-usage.ts';

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
  close(): void;
}

/** What a handler tells the proxy about one request. */
interface ForwardPlan {
  /** JSON body to send instead of the (already parsed) incoming one. */
  body?: Buffer;
  timeouts?: UpstreamTimeouts;
  /** Count tokens from Ollama's final line (chat and generate). */
  countUsage?: boolean;
  /** The store changed: the catalog forgets its cached model list when Ollama answers. */
  storeChanged?: boolean;
  /** The node's URL (a generation's lease); model-less routes go to the first healthy Ollama node. */
  target?: string;
}

/**
 * Ollama's native API under `/api/*`, forwarded with http-proxy-middleware to the configured upstream,
 * streaming in both directions. Generation routes take a slot of their model first (same queue, limits
 * and metrics as the OpenAI routes) and hold it until the proxied answer ends or the client leaves.
 */
export function createOllamaPassthrough(services: GatewayServices, options: { onStoreChanged: () => void; pulls: PullCoordinator }): OllamaPassthrough {
  const agent = new Agent({ keepAlive: true });
  const plans = new WeakMap<IncomingMessage, ForwardPlan>();
  const proxy = createProxyMiddleware({
    target: services.ollama.baseUrl,
    router: (req) => plans.get(req)?.target ?? services.pool.firstOllamaNode()?.url ?? services.ollama.baseUrl,
    agent,
    changeOrigin: true,
    // Our own error answer (OpenAI's shape) replaces the default plain-text one; no proxy logging.
    ejectPlugins: true,
    plugins: [proxyEventsPlugin],
    on: {
      proxyReq: (proxyReq, req) => prepareUpstreamRequest(proxyReq, req, plans.get(req)),
      proxyRes: (proxyRes, req, res) => {
        const plan = plans.get(req);
        if (plan?.storeChanged) proxyRes.once('end', options.onStoreChanged);
        if (plan?.countUsage && (proxyRes.statusCode ?? 500) < 300) tapOllamaUsage(services, res as Response, proxyRes);
      },
      error: (error, _req, res) => {
        const response = res as ServerResponse;
        if (typeof response.writeHead !== 'function') return;
        const failure = error instanceof GatewayError ? error : classifyUpstreamFailure(error, services.ollama.baseUrl);
        if (response.headersSent) response.destroy();
        else sendError(response as Response, failure);
      },
    },
  });
  const forwardWith = (req: Request, res: Response, next: NextFunction, plan: ForwardPlan): Promise<void> => {
    plans.set(req, plan);
    return proxy(req, res, next);
  };

  return {
    async generation(req, res, next) {
      const body = requireJsonObject(req.body);
      // Native clients read NDJSON, so no SSE pull-progress comments here.
      const { model, priority } = await prepareGeneration(services, req, res, { body: body['model'], stream: false });
      const context = contextOf(res);
      context.stream = body['stream'] !== false && req.path !== '/api/embed' && req.path !== '/api/embeddings';
      if (services.pool.kindFor(model.canonical) === 'openai') throw nativeRouteOnOpenAiNode(req.path, model.canonical);
      const lease = await services.scheduler.acquire(model.canonical, {
        priority,
        signal: context.abort.signal,
        bodyBytes: Number(req.headers['content-length'] ?? 0),
      });
      res.once('close', () => lease.release());
      const node = services.pool.node(lease.node);
      context.upstream = lease.node;
      services.pool.reportServed(lease.node, model.canonical);
      context.queueWaitMs = (context.queueWaitMs ?? 0) + lease.queueWaitMs;
      services.metrics.queueWait.observe({ model: model.canonical }, lease.queueWaitMs / 1000);
      const native = withModelDefaults(body, model.canonical, services.getConfig());
      const timeouts = resolveTimeouts(services.getConfig(), model.canonical);
      await forwardWith(req, res, next, {
        body: Buffer.from(JSON.stringify(native)),
        timeouts,
        countUsage: req.path === '/api/chat' || req.path === '/api/generate',
        ...(node === undefined ? {} : { target: node.url }),
      });
    },

    async store(req, res, next) {
      const config = services.getConfig();
      if (!config.allowStoreRoutes) throw storeRoutesDisabled(req.path);
      if (req.path !== '/api/pull') return forwardWith(req, res, next, { storeChanged: true });
      const body = requireJsonObject(req.body);
      const name = typeof body['model'] === 'string' && body['model'] !== '' ? body['model'] : body['name'];
      if (typeof name !== 'string' || name === '') throw invalidRequest('You must provide a model to pull.', 'model', 'missing_required_parameter');
      const canonical = canonicalModelName(services.catalog.dealias(name));
      if (!isPullAllowed(canonical, config)) throw pullForbidden(name);
      // Through the same single flight as /v1/llm/{model}/pull: shared with concurrent callers and counted.
      await relayNativePull(res, options.pulls, canonical, body['stream'] !== false);
    },

    forward: (req, res, next) => {
      // Ollama decodes paths (`/api/%70ull` is `/api/pull` to it): only plain paths may pass the route checks above.
      if (!PLAIN_API_PATH.test(req.path)) throw invalidRequest(`The path ${req.path} is not a plain Ollama API path.`, null, 'invalid_path');
      return forwardWith(req, res, next, {});
    },

    close: () => agent.destroy(),
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

/** Writes the rewritten body and sets this request's deadlines on the upstream request. */
function prepareUpstreamRequest(proxyReq: ClientRequest, req: IncomingMessage, plan: ForwardPlan | undefined): void {
  // The gateway's API key is not Ollama's business.
  proxyReq.removeHeader('authorization');
  if (plan?.timeouts !== undefined) {
    const { firstByteTimeoutMs, idleTimeoutMs, requestTimeoutMs } = plan.timeouts;
    // Until the headers (model load included) the first-byte deadline applies, then the idle one.
    proxyReq.setTimeout(firstByteTimeoutMs, () => proxyReq.destroy(timeoutError(`Ollama did not answer within ${firstByteTimeoutMs} ms.`)));
    proxyReq.once('response', () => {
      proxyReq.setTimeout(idleTimeoutMs);
      proxyReq.removeAllListeners('timeout');
      proxyReq.once('timeout', () => proxyReq.destroy(timeoutError(`Ollama sent nothing for ${idleTimeoutMs} ms.`)));
    });
    const deadline = setTimeout(() => proxyReq.destroy(timeoutError(`The request took longer than ${requestTimeoutMs} ms.`)), requestTimeoutMs);
    deadline.unref();
    proxyReq.once('close', () => clearTimeout(deadline));
  }
  if (plan?.body === undefined || !req.readableEnded) return;
  // express.json consumed (and decompressed) the incoming body; send the rewritten one instead.
  proxyReq.removeHeader('content-encoding');
  proxyReq.removeHeader('transfer-encoding');
  proxyReq.setHeader('content-type', 'application/json');
  proxyReq.setHeader('content-length', plan.body.length);
  proxyReq.write(plan.body);
}

/** Aliases were resolved; the model's configured options go under the client's, `keepAlive` fills an absent `keep_alive`. */
function withModelDefaults(body: Record<string, unknown>, canonical: string, config: Config): Record<string, unknown> {
  const modelConfig = config.models[canonical];
  const native: Record<string, unknown> = { ...body, model: canonical };
  if (modelConfig?.options !== undefined) {
    const clientOptions = typeof body['options'] === 'object' && body['options'] !== null ? body['options'] : {};
    native['options'] = { ...modelConfig.options, ...clientOptions };
  }
  if (native['keep_alive'] === undefined && modelConfig?.keepAlive !== undefined) native['keep_alive'] = modelConfig.keepAlive;
  return native;
}

function requireJsonObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest('The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function storeRoutesDisabled(path: string): GatewayError {
  return new GatewayError(`${path} changes Ollama's model store and is disabled on this gateway (config: allowStoreRoutes).`, {
    status: 403,
    type: 'permission_error',
    code: 'store_routes_disabled',
  });
}

function timeoutError(message: string): GatewayError {
  return new GatewayError(message, { status: 504, type: 'timeout_error', code: 'upstream_timeout' });
}
