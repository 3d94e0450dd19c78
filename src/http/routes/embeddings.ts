import type { Request, Response } from 'express';
import { embeddingRequestSchema, readEncodingFormat } from '../../openai/embedding-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { ollamaEmbedResponseSchema } from '../../ollama/wire.ts';
import { fromOllamaEmbedResponse } from '../../translate/from-ollama-embed-response.ts';
import { toOllamaEmbedRequest } from '../../translate/to-ollama-embed-request.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { startModelCall } from '../model-call.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { readUpstreamJson } from '../read-upstream-json.ts';
import { recordUsage } from '../record-usage.ts';
import { answerFromCache, keepInCache, openCacheTicket } from '../serve-cached-response.ts';

/** `POST /v1/embeddings` → Ollama `/api/embed`, through the model's limiter like any generation. */
export function embeddingsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(embeddingRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: request.model });
    const native = toOllamaEmbedRequest(request, { model: model.canonical, defaults: { options: model.config?.options, keepAlive: model.config?.keepAlive } });
    const encodingFormat = readEncodingFormat(request);
    // Answered from the cache before the model's queue: the same vectors cost no slot.
    const ticket = openCacheTicket(services, req, '/v1/embeddings', services.getConfig().cache.embeddings, native, { model: model.requested, encodingFormat });
    if (await answerFromCache(services, res, ticket)) return;
    const call = await startModelCall(services, res, model, '/api/embed', native, { priority, stream: false });
    let answer;
    try {
      answer = ollamaEmbedResponseSchema.parse(await readUpstreamJson(call));
    } finally {
      call.release();
    }
    const body = fromOllamaEmbedResponse(answer, { model: model.requested, encodingFormat });
    recordUsage(services, res, body.usage);
    keepInCache(services, ticket, { kind: 'json', body });
    res.json(body);
  };
}
