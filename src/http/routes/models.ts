import type { Request, Response } from 'express';
import { modelNotFound } from '../../errors/gateway-error.ts';
import { modelKey } from '../../models/model-key.ts';
import { toOpenAIModel, toOpenAIModelList } from '../../translate/to-openai-models.ts';
import type { GatewayServices } from '../gateway-services.ts';

/** `GET /v1/models`: Ollama's models and the configured aliases. */
export function listModelsHandler(services: GatewayServices) {
  return async (_req: Request, res: Response): Promise<void> => {
    const tags = await services.catalog.list();
    res.json(toOpenAIModelList(tags, services.getConfig().aliases));
  };
}

/** `GET /v1/models/{model}`: one model (or alias), its id echoed as the client wrote it. */
export function retrieveModelHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    // `*model` matches names with slashes (`hf.co/user/repo:tag`) as a list of segments.
    const segments: unknown = req.params['model'];
    const requested = Array.isArray(segments) ? segments.join('/') : String(segments);
    const target = modelKey(services.catalog.dealias(requested));
    const tags = await services.catalog.list();
    const tag = tags.find((candidate) => modelKey(candidate.name) === target);
    if (tag === undefined) throw modelNotFound(requested);
    res.json({ ...toOpenAIModel(tag), id: requested });
  };
}
