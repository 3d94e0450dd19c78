import type { Request, Response } from 'express';
import { chatCompletionRequestSchema } from '../../openai/chat-completion-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { SYSTEM_FINGERPRINT } from '../../openai/system-fingerprint.ts';
import { ollamaChatChunkSchema } from '../../ollama/wire.ts';
import { createChatChunkMapper, createChatUsageChunk } from '../../translate/create-chat-chunk-mapper.ts';
import { fromOllamaChatResponse } from '../../translate/from-ollama-chat-response.ts';
import { generateId } from '../../translate/generate-id.ts';
import { toOllamaChatRequest } from '../../translate/to-ollama-chat-request.ts';
import { resolveChatImageUrls } from '../../images/resolve-image-urls.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { isDeterministic } from '../../cache/cache-policy.ts';
import { logUnknownFields } from '../log-unknown-fields.ts';
import { withImageUrlsFetched } from '../fetch-request-images.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { openCacheTicket } from '../serve-cached-response.ts';
import { contextOf } from '../request-context.ts';
import { serveGenerations } from '../serve-generations.ts';

/** `POST /v1/chat/completions` → Ollama `/api/chat`; `n > 1` runs n generations, each in its own slot. */
export function chatCompletionsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = parseRequest(chatCompletionRequestSchema, req.body);
    logUnknownFields(services, res, chatCompletionRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: parsed.model });
    const request = await withImageUrlsFetched(services, res, parsed, resolveChatImageUrls);
    const native = toOllamaChatRequest(request, {
      model: model.canonical,
      defaults: { options: model.policy.options, keepAlive: model.policy.keepAlive },
    });
    const identity = { id: generateId('chatcmpl-'), created: Math.floor(services.now() / 1000), model: model.requested, systemFingerprint: SYSTEM_FINGERPRINT };
    const includeUsage = request.stream_options?.include_usage === true;
    const cacheable = services.getConfig().cache.completions === 'deterministic' && isDeterministic(request);
    const answerShape = { model: model.requested, n: request.n ?? 1, stream: request.stream === true, includeUsage };
    await serveGenerations(services, res, contextOf(res), model, {
      cache: openCacheTicket(services, req, '/v1/chat/completions', cacheable, native, answerShape),
      path: '/api/chat',
      requests: Array.from({ length: request.n ?? 1 }, () => native),
      stream: request.stream === true,
      includeUsage,
      priority,
      answerSchema: ollamaChatChunkSchema,
      toBody: (answer, index) => fromOllamaChatResponse(answer, { ...identity, generateId, choiceIndex: index }),
      createMapper: (index) => createChatChunkMapper({ ...identity, includeUsage, choiceIndex: index, emitUsageChunk: false, generateId }),
      usageChunk: (usage) => createChatUsageChunk(identity, usage),
    });
  };
}
