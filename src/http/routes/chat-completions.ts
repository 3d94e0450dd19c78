import type { Request, Response } from 'express';
import type { ChatCompletionChunkResponse, ChatCompletionResponse } from '../../openai/chat-completion-response.ts';
import { chatCompletionRequestSchema } from '../../openai/chat-completion-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { SYSTEM_FINGERPRINT } from '../../openai/system-fingerprint.ts';
import { ollamaChatChunkSchema, type OllamaChatChunk } from '../../ollama/wire.ts';
import { createChatChunkMapper, createChatUsageChunk } from '../../translate/create-chat-chunk-mapper.ts';
import { fromOllamaChatResponse } from '../../translate/from-ollama-chat-response.ts';
import { generateId } from '../../translate/generate-id.ts';
import { sumUsage } from '../../translate/sum-usage.ts';
import { toOllamaChatRequest } from '../../translate/to-ollama-chat-request.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { startModelCall, type ModelCall, type ModelCallOptions } from '../model-call.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { readUpstreamAnswer } from '../read-upstream-json.ts';
import { recordUsage } from '../record-usage.ts';
import { relayAsSse } from '../relay-sse.ts';
import { contextOf } from '../request-context.ts';
import { runGenerations } from '../run-generations.ts';
import { streamQueueHeartbeat } from '../stream-queue-heartbeat.ts';

/** `POST /v1/chat/completions` → Ollama `/api/chat`; `n > 1` runs n generations, each in its own slot. */
export function chatCompletionsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(chatCompletionRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: request.model });
    const stream = request.stream === true;
    const native = toOllamaChatRequest(request, {
      model: model.canonical,
      defaults: { options: model.config?.options, keepAlive: model.config?.keepAlive },
    });
    const context = contextOf(res);
    context.stream = stream;
    const identity = { id: generateId('chatcmpl-'), created: Math.floor(services.now() / 1000), model: model.requested, systemFingerprint: SYSTEM_FINGERPRINT };
    const choices = request.n ?? 1;
    const callOptions: ModelCallOptions = { priority, stream };
    const start = (): Promise<ModelCall> => startModelCall(services, res, model, '/api/chat', { ...native, stream }, callOptions);

    if (!stream) {
      const answers = await runGenerations(res, choices, async () => readUpstreamAnswer(await start(), ollamaChatChunkSchema));
      const completions = answers.map((answer, index) => fromOllamaChatResponse(answer, { ...identity, generateId, choiceIndex: index }));
      const body = mergeChoices(completions);
      recordUsage(services, res, body.usage);
      res.json(body);
      return;
    }

    const heartbeat = streamQueueHeartbeat(services, res);
    callOptions.onQueued = heartbeat.onQueued;
    const includeUsage = request.stream_options?.include_usage === true;
    const mappers = Array.from({ length: choices }, (_, index) =>
      createChatChunkMapper({ ...identity, includeUsage, choiceIndex: index, emitUsageChunk: false, generateId }),
    );
    await relayAsSse(res, {
      count: choices,
      start: async () => start().finally(() => heartbeat.stop()),
      mappers: mappers.map((mapper) => (line) => mapper.map(ollamaChatChunkSchema.parse(line) as OllamaChatChunk)),
      finish: () => {
        const finishing: ChatCompletionChunkResponse[] = mappers.flatMap((mapper) => mapper.finish());
        const usage = sumUsage(mappers.map((mapper) => mapper.usage()));
        recordUsage(services, res, usage);
        if (includeUsage) finishing.push(createChatUsageChunk(identity, usage));
        return finishing;
      },
      onFirstOutput: () => {
        context.firstTokenMs = services.now() - context.startedAt;
      },
    });
  };
}


/** n answers of one model become one completion with choices 0..n-1 and summed usage. */
function mergeChoices(completions: ChatCompletionResponse[]): ChatCompletionResponse {
  const [first] = completions;
  if (completions.length === 1 || first === undefined) return first!;
  return { ...first, choices: completions.flatMap((completion) => completion.choices), usage: sumUsage(completions.map((completion) => completion.usage)) };
}
