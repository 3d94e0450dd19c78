import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GatewayError, modelNotFound } from '../../errors/gateway-error.ts';
import { canonicalModelName } from '../../config/model-key.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { contextOf } from '../request-context.ts';
import { keyOf } from '../request-key.ts';

/**
 * Ollama's native model lists (`GET /api/tags`, `GET /api/ps`) for a key limited to some models:
 * Ollama's answer with only the models in scope, so the native API reveals no more than
 * `/v1/models`. Keys without a `models` list go on to the passthrough untouched.
 */
export function scopedNativeModelList(services: GatewayServices, path: '/api/tags' | '/api/ps'): RequestHandler {
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    const key = keyOf(res);
    // only a key limited to some models needs Ollama's own lists cut
    if (key === undefined || key.models === undefined) return next();
    const body = (await services.ollama.getJson(path, { signal: contextOf(res).abort.signal })) as { models?: Array<{ name?: string; model?: string }> | null };
    const models = (body.models ?? []).filter((model) => key.allowsModel(canonicalModelName(model.name ?? model.model ?? '')));
    res.json({ ...body, models });
  };
}

/**
 * `POST /api/show` for a key limited to some models: a model outside its scope gets the gateway's
 * 404 `model_not_found`, as on every other route, so the native API cannot be used to probe; one in
 * scope is asked of Ollama (a model it lacks is the same 404). Other keys go on to the passthrough
 * with their body unread. `json` is the app's body parser, run only for the limited keys.
 */
export function scopedNativeShow(services: GatewayServices, json: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = keyOf(res);
    if (key === undefined || key.models === undefined) return next();
    json(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      const body = (req.body ?? {}) as { model?: unknown; name?: unknown };
      const name = typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
      if (!key.allowsModel(canonicalModelName(services.catalog.dealias(name)))) return next(modelNotFound(name));
      services.ollama.postJson('/api/show', body, { signal: contextOf(res).abort.signal }).then(
        (answer) => res.json(answer),
        (failure: unknown) => next(failure instanceof GatewayError && failure.status === 404 ? modelNotFound(name) : failure),
      );
    });
  };
}
