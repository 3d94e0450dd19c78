import type { RequestHandler } from 'express';
import type { GatewayServices } from './gateway-services.ts';
import { contextOf } from './request-context.ts';

/** Routes whose requests are counted in `requests_total`; probes and scrapes would drown the rest. */
const UNCOUNTED = new Set(['/', '/healthz', '/readyz', '/metrics']);
const isDocsRoute = (route: string): boolean => route.startsWith('/docs') || route.startsWith('/openapi.');

/**
 * At the end of every request (finished or abandoned): one summary log line and the request metrics.
 * The model label is only ever a name resolved against Ollama's list, so series stay bounded.
 */
export function observeRequest(services: GatewayServices): RequestHandler {
  return (req, res, next) => {
    res.once('close', () => {
      const context = contextOf(res);
      const durationMs = services.now() - context.startedAt;
      const status = context.clientClosed && !res.writableFinished ? 499 : res.statusCode;
      const route = (req.route?.path as string | undefined) ?? (req.path.startsWith('/api/') ? '/api/*' : 'unmatched');
      const model = context.model ?? 'none';
      if (!UNCOUNTED.has(route) && !isDocsRoute(route)) {
        services.metrics.requestsTotal.inc({ model, route, status: String(context.error && res.headersSent && status === 200 ? context.error.status : status) });
        services.metrics.requestDuration.observe({ model, route }, durationMs / 1000);
        if (context.firstTokenMs !== undefined) services.metrics.timeToFirstToken.observe({ model }, context.firstTokenMs / 1000);
      }
      const error = context.error;
      if (context.trace !== undefined) {
        context.trace.setUsage({ inputTokens: context.usage?.promptTokens, outputTokens: context.usage?.completionTokens });
        context.trace.setResponse({ model: context.model });
        context.trace.end({ status, errorType: error?.code ?? undefined, errorMessage: error?.message });
      }
      const line = {
        requestId: context.id,
        method: req.method,
        route: req.path,
        key: context.keyName,
        model: context.model,
        status,
        stream: context.stream,
        queueMs: context.queueWaitMs,
        firstTokenMs: context.firstTokenMs,
        promptTokens: context.usage?.promptTokens,
        completionTokens: context.usage?.completionTokens,
        durationMs: Math.round(durationMs * 100) / 100,
        upstream: context.upstream,
        retries: context.retries,
        ...(error ? { error: { status: error.status, code: error.code, message: error.message } } : {}),
        ...(context.clientClosed ? { clientClosed: true } : {}),
        ...(services.getConfig().logBodies && req.body !== undefined ? { body: req.body } : {}),
      };
      if (status >= 500) services.logger.error(line, 'request failed');
      else services.logger.info(line, 'request');
    });
    next();
  };
}
