import type { Request, Response } from 'express';
import { modelNotFound } from '../../errors/gateway-error.ts';
import { canonicalModelName, modelKey } from '../../config/model-key.ts';
import { toOpenAIModel, toOpenAIModelList } from '../../translate/to-openai-models.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { keyOf } from '../request-key.ts';
import { sendJson } from '../send-json.ts';

/** `GET /v1/models`: Ollama's models and the configured aliases that the caller's key may use. */
export function listModelsHandler(services: GatewayServices) {
  return async (_req: Request, res: Response): Promise<void> => {
    const key = keyOf(res);
    const tags = await services.catalog.list();
    const config = services.getConfig();
    if (key === undefined || key.models === undefined) {
      sendJson(res, toOpenAIModelList(tags, config.aliases));
      return;
    }
    const inScope = (name: string): boolean => key.allowsModel(canonicalModelName(name));
    const aliases = Object.fromEntries(Object.entries(config.aliases).filter(([, target]) => inScope(target)));
    sendJson(res, toOpenAIModelList(tags.filter((tag) => inScope(tag.name)), aliases));
  };
}

/** `GET /v1/models/{model}`: one model (or alias), its id echoed as the client wrote it; out of the key's scope = not found. */
export function retrieveModelHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    // `*model` matches names with slashes (`hf.co/user/repo:tag`) as a list of segments.
    const segments: unknown = req.params['model'];
    const requested = Array.isArray(segments) ? segments.join('/') : String(segments);
    const target = modelKey(services.catalog.dealias(requested));
    const tags = await services.catalog.list();
    const tag = tags.find((candidate) => modelKey(candidate.name) === target);
    const key = keyOf(res);
    if (tag === undefined || (key !== undefined && !key.allowsModel(tag.name))) throw modelNotFound(requested);
    sendJson(res, { ...toOpenAIModel(tag), id: requested });
  };
}
