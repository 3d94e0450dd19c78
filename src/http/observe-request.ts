import type { RequestHandler } from 'express';
import { stdSerializers } from 'pino';
import type { GatewayServices } from './gateway-services.ts';
import { roundDuration } from '../observability/round-duration.ts';
import { statusClass } from '../observability/status-class.ts';
import { contextOf, whenClosed, type RequestFinisher } from './request-context.ts';

/** Routes whose requests are counted in `requests_total`; probes and scrapes would drown the rest. */
const UNCOUNTED = new Set(['/', '/healthz', '/readyz', '/metrics']);
const isDocsRoute = (route: string): boolean => route.startsWith('/docs') || route.startsWith('/openapi.');

/**
 * At the end of every request (finished or abandoned): one summary log line and the request metrics.
 * The model label is only ever a name resolved against Ollama's list, so series stay bounded.
 */
export function observeRequest(services: GatewayServices): RequestHandler {
  const finish: RequestFinisher = (req, res, context) => {
    const durationMs = services.now() - context.startedAt;
    const status = context.clientClosed && !res.writableFinished ? 499 : res.statusCode;
    const route = (req.route?.path as string | undefined) ?? (req.path.startsWith('/api/') ? '/api/*' : 'unmatched');
    const model = context.model ?? 'none';
    if (!UNCOUNTED.has(route) && !isDocsRoute(route)) {
      const reported = context.error && res.headersSent && status === 200 ? context.error.status : status;
      services.metrics.requestsTotal.inc({ model, route, status: String(reported) });
      services.metrics.requestDuration.observe({ model, route, status: statusClass(reported) }, durationMs / 1000);
      // From the slot, not the request's start: TTFT tells the model's speed, queue_wait_seconds the congestion.
      if (context.firstTokenMs !== undefined) {
        const slotAfterMs = (context.slotAcquiredAt ?? context.startedAt) - context.startedAt;
        services.metrics.timeToFirstToken.observe({ model }, Math.max(0, context.firstTokenMs - slotAfterMs) / 1000);
      }
    }
    const error = context.error;
    if (context.trace !== undefined) {
      context.trace.setUsage({ inputTokens: context.usage?.promptTokens, outputTokens: context.usage?.completionTokens });
      context.trace.setResponse({ model: context.model });
      context.trace.end({ status, errorType: error?.code ?? undefined, errorMessage: error?.message });
    }
    const level = status >= 500 ? 'error' : 'info';
    // At a quieter level the line would be built only to be dropped.
    if (!services.logger.isLevelEnabled(level)) return;
    const line = {
      requestId: context.id,
      method: req.method,
      route: req.path,
      key: context.keyName,
      model: context.model,
      alias: context.requestedModel === context.model ? undefined : context.requestedModel,
      client: context.client,
      status,
      stream: context.stream,
      queueMs: context.queueWaitMs === undefined ? undefined : roundDuration(context.queueWaitMs),
      firstTokenMs: context.firstTokenMs === undefined ? undefined : roundDuration(context.firstTokenMs),
      promptTokens: context.usage?.promptTokens,
      completionTokens: context.usage?.completionTokens,
      durationMs: roundDuration(durationMs),
      upstream: context.upstream,
      retries: context.retries,
      ...(error ? { error: { status: error.status, code: error.code, message: error.message, ...(error.status >= 500 && error.cause !== undefined ? { cause: describeCause(error.cause) } : {}) } } : {}),
      ...(context.clientClosed ? { clientClosed: true } : {}),
      ...(services.getConfig().logBodies && req.body !== undefined ? { body: req.body } : {}),
    };
    if (level === 'error') services.logger.error(line, 'request failed');
    else services.logger.info(line, 'request');
  };
  return (req, res, next) => {
    // Read now: by 'close' the socket may be gone (a detached upgrade or a destroyed connection).
    contextOf(res).client = req.ip;
    whenClosed(res, finish);
    next();
  };
}

/** What went wrong underneath a 5xx, for the operator: the error's type, message and stack. */
function describeCause(cause: unknown): unknown {
  return cause instanceof Error ? stdSerializers.err(cause) : String(cause);
}
