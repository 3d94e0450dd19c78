import type { RequestHandler } from 'express';
import type { GatewayServices } from './gateway-services.ts';
import { whenClosed, type RequestFinisher } from './request-context.ts';
import { settledUsage } from './settled-usage.ts';

/**
 * When a keyed request ends (finished, failed or abandoned): its count in `key_requests_total`, its
 * tokens in `key_tokens_total`, and — for a request that was served by a model — its requests and
 * tokens in the usage ledger. The tokens are Ollama's counts as the route recorded them.
 */
export function countKeyUsage(services: GatewayServices): RequestHandler {
  const finish: RequestFinisher = (_req, res, context) => {
    const key = context.keyName;
    if (key === undefined) return;
    const model = context.model ?? 'none';
    const status = context.clientClosed && !res.writableFinished ? 499 : res.statusCode;
    services.metrics.keyRequests.inc({ key, model, status: String(status) });
    const { promptTokens: prompt, completionTokens: completion } = settledUsage(context);
    if (prompt > 0) services.metrics.keyTokens.inc({ key, model, kind: 'prompt' }, prompt);
    if (completion > 0) services.metrics.keyTokens.inc({ key, model, kind: 'completion' }, completion);
    // A request the gateway refused (limits, budget, bad input) used nothing; a failed one that generated did.
    if (context.model !== undefined && (status < 400 || prompt + completion > 0)) services.keys.ledger.record(key, context.model, prompt, completion);
  };
  return (_req, res, next) => {
    whenClosed(res, finish);
    next();
  };
}
