import type { Request, Response } from 'express';
import { outboundHeaders } from '../../generation/outbound-headers.ts';
import { runGeneration } from '../../generation/run-generation.ts';
import { embeddingRequestSchema, readEncodingFormat } from '../../openai/embedding-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { ollamaEmbedResponseSchema } from '../../ollama/wire.ts';
import { fromOllamaEmbedResponse } from '../../translate/from-ollama-embed-response.ts';
import { toOllamaEmbedRequest } from '../../translate/to-ollama-embed-request.ts';
import { forwardToOpenAiUpstream } from '../forward-to-openai-upstream.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { logUnknownFields } from '../log-unknown-fields.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { recordUsage } from '../record-usage.ts';
import { answerFromCache, keepInCache, openCacheTicket } from '../serve-cached-response.ts';
import { contextOf } from '../request-context.ts';
import { sendJson } from '../send-json.ts';

/** `POST /v1/embeddings` → Ollama `/api/embed`, through the generation pipeline like any generation. */
export function embeddingsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(embeddingRequestSchema, req.body);
    logUnknownFields(services, res, embeddingRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: request.model, forwardsToOpenAi: true });
    if (services.pool.kindFor(model.canonical) === 'openai') return forwardToOpenAiUpstream(services, req, res, model, priority, '/v1/embeddings');
    const context = contextOf(res);
    const native = toOllamaEmbedRequest(request, { model: model.canonical, defaults: { options: model.policy.options, keepAlive: model.policy.keepAlive } });
    const encodingFormat = readEncodingFormat(request);
    // Answered from the cache before the model's queue: the same vectors cost no slot.
    const ticket = openCacheTicket(services, req, '/v1/embeddings', services.getConfig().cache.embeddings, native, { model: model.requested, encodingFormat });
    if (await answerFromCache(services, res, ticket)) return;
    const answer = await runGeneration(
      services.pipeline,
      { path: '/api/embed', body: JSON.stringify(native), headers: outboundHeaders(), stream: false },
      { model: model.canonical, policy: model.policy, priority, context, bodyBytes: Number(req.headers['content-length'] ?? 0) },
      async (generation) => ollamaEmbedResponseSchema.parse(await generation.answer()),
    );
    const body = fromOllamaEmbedResponse(answer, { model: model.requested, encodingFormat });
    recordUsage(services.metrics, context, body.usage);
    keepInCache(services, ticket, { kind: 'json', body });
    sendJson(res, body);
  };
}
