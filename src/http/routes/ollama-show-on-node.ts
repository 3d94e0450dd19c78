import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GatewayError, modelNotFound } from '../../errors/gateway-error.ts';
import { canonicalModelName } from '../../config/model-key.ts';
import type { OllamaClient } from '../../ollama/ollama-client.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { contextOf } from '../request-context.ts';
import { keyOf } from '../request-key.ts';

/**
 * `POST /api/show`, asked of an Ollama node that has the model. For a key limited to some models, a
 * model outside its scope gets the gateway's 404 `model_not_found`, as on every other route, so the
 * native API cannot be used to probe; a model no node has is the same 404. With one Ollama node and a
 * key without limits the passthrough relays it with its body unread. `json` is the app's body parser,
 * run only when the body must be read.
 */
export function ollamaShowOnNode(services: GatewayServices, json: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = keyOf(res);
    const scoped = key !== undefined && key.models !== undefined;
    if (!scoped && services.pool.nodes.filter((node) => node.kind === 'ollama').length <= 1) return next();
    json(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      const body = (req.body ?? {}) as { model?: unknown; name?: unknown };
      const name = typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
      const canonical = canonicalModelName(services.catalog.dealias(name));
      if (scoped && !key.allowsModel(canonical)) return next(modelNotFound(name));
      nodeHaving(services, canonical).postJson('/api/show', body, { signal: contextOf(res).abort.signal }).then(
        (answer) => res.json(answer),
        (failure: unknown) => next(failure instanceof GatewayError && failure.status === 404 ? modelNotFound(name) : failure),
      );
    });
  };
}

/** The first usable Ollama node whose listing has the model; else the first Ollama node (which answers 404 itself). */
function nodeHaving(services: GatewayServices, model: string): OllamaClient {
  for (const eligible of services.pool.eligible(model)) {
    const node = services.pool.node(eligible.name);
    if (node?.kind === 'ollama') return node.client;
  }
  return services.ollama;
}
