import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { canonicalModelName } from '../../models/model-key.ts';
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
