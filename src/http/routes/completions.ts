import type { Request, Response } from 'express';
import { completionRequestSchema } from '../../openai/completion-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { SYSTEM_FINGERPRINT } from '../../openai/system-fingerprint.ts';
import { ollamaGenerateChunkSchema } from '../../ollama/wire.ts';
import { createCompletionChunkMapper, createCompletionUsageChunk } from '../../translate/create-completion-chunk-mapper.ts';
import { fromOllamaGenerateResponse } from '../../translate/from-ollama-generate-response.ts';
import { generateId } from '../../translate/generate-id.ts';
import { toOllamaGenerateRequests } from '../../translate/to-ollama-generate-request.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { isDeterministic } from '../../cache/cache-policy.ts';
import { logUnknownFields } from '../log-unknown-fields.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { openCacheTicket } from '../serve-cached-response.ts';
import { contextOf } from '../request-context.ts';
import { serveGenerations } from '../serve-generations.ts';

/** `POST /v1/completions` → Ollama `/api/generate`; each prompt × `n` is one generation and one choice. */
export function completionsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(completionRequestSchema, req.body);
    logUnknownFields(services, res, completionRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: request.model });
    const natives = toOllamaGenerateRequests(request, {
      model: model.canonical,
      defaults: { options: model.policy.options, keepAlive: model.policy.keepAlive },
    });
    const identity = { id: generateId('cmpl-'), created: Math.floor(services.now() / 1000), model: model.requested, systemFingerprint: SYSTEM_FINGERPRINT };
    const includeUsage = request.stream_options?.include_usage === true;
    const echoOf = (index: number): string | undefined => (request.echo === true ? natives[index]?.prompt : undefined);
    const cacheable = services.getConfig().cache.completions === 'deterministic' && isDeterministic(request);
    const answerShape = { model: model.requested, stream: request.stream === true, includeUsage, echo: request.echo === true };
    await serveGenerations(services, res, contextOf(res), model, {
      cache: openCacheTicket(services, req, '/v1/completions', cacheable, natives, answerShape),
      path: '/api/generate',
      requests: natives,
      stream: request.stream === true,
      includeUsage,
      priority,
      answerSchema: ollamaGenerateChunkSchema,
      toBody: (answer, index) => fromOllamaGenerateResponse(answer, { ...identity, choiceIndex: index, echoPrompt: echoOf(index) }),
      createMapper: (index) => createCompletionChunkMapper({ ...identity, includeUsage, choiceIndex: index, emitUsageChunk: false, echoPrompt: echoOf(index) }),
      usageChunk: (usage) => createCompletionUsageChunk(identity, usage),
    });
  };
}
