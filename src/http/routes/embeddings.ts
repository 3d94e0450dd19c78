import type { Request, Response } from 'express';
import { embeddingRequestSchema, readEncodingFormat } from '../../openai/embedding-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { ollamaEmbedResponseSchema } from '../../ollama/wire.ts';
import { fromOllamaEmbedResponse } from '../../translate/from-ollama-embed-response.ts';
import { toOllamaEmbedRequest } from '../../translate/to-ollama-embed-request.ts';
import { forwardToOpenAiUpstream } from '../forward-to-openai-upstream.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { startModelCall } from '../model-call.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { readUpstreamJson } from '../read-upstream-json.ts';
import { recordUsage } from '../record-usage.ts';

/** `POST /v1/embeddings` → Ollama `/api/embed`, through the model's limiter like any generation. */
export function embeddingsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(embeddingRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: request.model });
    if (services.pool.kindFor(model.canonical) === 'openai') return forwardToOpenAiUpstream(services, req, res, model, priority, '/v1/embeddings');
    const native = toOllamaEmbedRequest(request, { model: model.canonical, defaults: { options: model.config?.options, keepAlive: model.config?.keepAlive } });
    const call = await startModelCall(services, res, model, '/api/embed', native, { priority, stream: false });
    let answer;
    try {
      answer = ollamaEmbedResponseSchema.parse(await readUpstreamJson(call));
    } finally {
      call.release();
    }
    const body = fromOllamaEmbedResponse(answer, { model: model.requested, encodingFormat: readEncodingFormat(request) });
    recordUsage(services, res, body.usage);
    res.json(body);
  };
}
