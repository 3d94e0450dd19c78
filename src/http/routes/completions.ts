import type { Request, Response } from 'express';
import type { TextCompletionFinishChunk, TextCompletionResponse } from '../../openai/text-completion-response.ts';
import { completionRequestSchema } from '../../openai/completion-request.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { SYSTEM_FINGERPRINT } from '../../openai/system-fingerprint.ts';
import { ollamaGenerateChunkSchema, type OllamaGenerateChunk } from '../../ollama/wire.ts';
import { createCompletionChunkMapper, createCompletionUsageChunk } from '../../translate/create-completion-chunk-mapper.ts';
import { fromOllamaGenerateResponse } from '../../translate/from-ollama-generate-response.ts';
import { generateId } from '../../translate/generate-id.ts';
import { sumUsage } from '../../translate/sum-usage.ts';
import { toOllamaGenerateRequests } from '../../translate/to-ollama-generate-request.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { startModelCall, type ModelCall, type ModelCallOptions } from '../model-call.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { readUpstreamAnswer } from '../read-upstream-json.ts';
import { recordUsage } from '../record-usage.ts';
import { relayAsSse } from '../relay-sse.ts';
import { contextOf } from '../request-context.ts';
import { runGenerations } from '../run-generations.ts';
import { streamQueueHeartbeat } from '../stream-queue-heartbeat.ts';

/** `POST /v1/completions` → Ollama `/api/generate`; each prompt × `n` is one generation and one choice. */
export function completionsHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(completionRequestSchema, req.body);
    const { model, priority } = await prepareGeneration(services, req, res, { body: request.model });
    const stream = request.stream === true;
    const natives = toOllamaGenerateRequests(request, {
      model: model.canonical,
      defaults: { options: model.config?.options, keepAlive: model.config?.keepAlive },
    });
    const context = contextOf(res);
    context.stream = stream;
    const identity = { id: generateId('cmpl-'), created: Math.floor(services.now() / 1000), model: model.requested, systemFingerprint: SYSTEM_FINGERPRINT };
    const callOptions: ModelCallOptions = { priority, stream };
    const start = (index: number): Promise<ModelCall> => startModelCall(services, res, model, '/api/generate', { ...natives[index], stream }, callOptions);

    if (!stream) {
      const answers = await runGenerations(res, natives.length, async (index) => readUpstreamAnswer(await start(index), ollamaGenerateChunkSchema));
      const completions = answers.map((answer, index) => fromOllamaGenerateResponse(answer, { ...identity, choiceIndex: index }));
      const body = mergeChoices(completions);
      recordUsage(services, res, body.usage);
      res.json(body);
      return;
    }

    const heartbeat = streamQueueHeartbeat(services, res);
    callOptions.onQueued = heartbeat.onQueued;
    const includeUsage = request.stream_options?.include_usage === true;
    const mappers = natives.map((_, index) => createCompletionChunkMapper({ ...identity, includeUsage, choiceIndex: index, emitUsageChunk: false }));
    await relayAsSse(res, {
      count: natives.length,
      start: async (index) => start(index).finally(() => heartbeat.stop()),
      mappers: mappers.map((mapper) => (line) => mapper.map(ollamaGenerateChunkSchema.parse(line) as OllamaGenerateChunk)),
      finish: () => {
        const finishing: TextCompletionFinishChunk[] = mappers.flatMap((mapper) => mapper.finish());
        const usage = sumUsage(mappers.map((mapper) => mapper.usage()));
        recordUsage(services, res, usage);
        if (includeUsage) finishing.push(createCompletionUsageChunk(identity, usage));
        return finishing;
      },
      onFirstOutput: () => {
        context.firstTokenMs = services.now() - context.startedAt;
      },
    });
  };
}


function mergeChoices(completions: TextCompletionResponse[]): TextCompletionResponse {
  const [first] = completions;
  if (completions.length === 1 || first === undefined) return first!;
  return { ...first, choices: completions.flatMap((completion) => completion.choices), usage: sumUsage(completions.map((completion) => completion.usage)) };
}
