import type { Request, Response } from 'express';
import type { GatewayError } from '../../errors/gateway-error.ts';
import type { GenerationContext } from '../../generation/generation-context.ts';
import { outboundHeaders } from '../../generation/outbound-headers.ts';
import { runGeneration, type OpenGeneration } from '../../generation/run-generation.ts';
import type { ResolvedModel } from '../../models/model-catalog.ts';
import { ollamaGenerateChunkSchema, type OllamaGenerateChunk, type OllamaGenerateRequest } from '../../ollama/wire.ts';
import { llmGenerateRequestSchema, type LlmGenerateRequest } from '../../openai/sidecar-llm-request.ts';
import type { LlmGenerateResponse } from '../../openai/sidecar-llm-response.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { convertUsage } from '../../translate/convert-usage.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { pipeToResponse, type ResponsePipe } from '../pipe-to-response.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { recordUsage } from '../record-usage.ts';
import { contextOf } from '../request-context.ts';
import { streamQueueHeartbeat } from '../stream-queue-heartbeat.ts';
import { chooseEventFormat, openLlmEventStream, type EventEncoder } from './llm-event-stream.ts';

/**
 * `POST /v1/llm/{model}` → Ollama `/api/generate` through the pipeline. Ollama always streams to the
 * gateway, so the time to first token is measured; the client gets one JSON answer, or with
 * `stream: true` text deltas then the full answer (`done: true`) as SSE, or NDJSON on request.
 */
export function llmGenerateHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(llmGenerateRequestSchema, req.body ?? {});
    const stream = request.stream === true;
    const format = chooseEventFormat(req);
    const { model, priority } = await prepareGeneration(services, req, res, { path: modelFromPath(req.params['model']), body: request.model, stream: stream && format === 'sse' });
    const context = contextOf(res);
    context.stream = stream;
    const heartbeat = stream && format === 'sse' ? streamQueueHeartbeat(services, res) : undefined;
    let encoder: EventEncoder | undefined;
    let pipe: ResponsePipe | undefined;
    const parts: string[] = [];
    const onTexts = (texts: readonly string[]): boolean | Promise<boolean> => {
      if (pipe === undefined || encoder === undefined) {
        parts.push(...texts);
        return true;
      }
      return pipe.write(encoder.encode(texts.map((text) => ({ model: model.requested, response: text, done: false })))) || pipe.drained();
    };
    try {
      const answer = await runGeneration(
        services.pipeline,
        { path: '/api/generate', body: JSON.stringify(toOllamaGenerate(request, model)), headers: outboundHeaders(), stream: true },
        {
          model: model.canonical,
          policy: model.policy,
          priority,
          context,
          bodyBytes: Number(req.headers['content-length'] ?? 0),
          onQueued: heartbeat?.onQueued,
          onAnswered: () => {
            heartbeat?.stop();
            if (!stream) return;
            encoder = openLlmEventStream(res, format);
            pipe = pipeToResponse(res);
          },
        },
        (generation) => readGeneration(services, context, model, generation, onTexts),
      );
      if (answer === undefined) return;
      if (pipe === undefined || encoder === undefined) {
        res.json({ ...answer, response: parts.join('') });
        return;
      }
      pipe.end(encoder.encode([{ ...answer, done: true }]) + encoder.terminator);
    } catch (error) {
      heartbeat?.stop();
      if (!res.headersSent) throw error;
      // runGeneration raises only classified GatewayErrors.
      const failure = error as GatewayError;
      context.error = failure;
      if (!res.writableEnded && !res.destroyed) res.end(encoder?.encodeError(failure) ?? '');
    }
  };
}

/** The wildcard path segments of `/v1/llm/*model` (names may hold `/`, e.g. `hf.co/org/model:tag`). */
export function modelFromPath(segments: unknown): string | undefined {
  if (Array.isArray(segments)) return segments.join('/');
  return typeof segments === 'string' ? segments : undefined;
}

/** The model's configured options and `keepAlive` go under whatever the client set. */
function toOllamaGenerate(request: LlmGenerateRequest, model: ResolvedModel): OllamaGenerateRequest {
  const keepAlive = request.keep_alive ?? model.policy.keepAlive;
  const options = { ...model.policy.options, ...request.options };
  return {
    model: model.canonical,
    prompt: request.prompt,
    stream: true,
    ...(request.system === undefined ? {} : { system: request.system }),
    ...(request.format === undefined ? {} : { format: request.format }),
    ...(Object.keys(options).length === 0 ? {} : { options }),
    ...(keepAlive === undefined ? {} : { keep_alive: keepAlive }),
  };
}

/**
 * Reads Ollama's lines, hands the texts of each batch to `onTexts` (false = the client left, and the
 * answer is undefined), and builds the final answer (with an empty `response`) from the `done` line.
 */
async function readGeneration(
  services: GatewayServices,
  context: GenerationContext,
  model: ResolvedModel,
  generation: OpenGeneration,
  onTexts: (texts: readonly string[]) => boolean | Promise<boolean>,
): Promise<LlmGenerateResponse | undefined> {
  let done: OllamaGenerateChunk | undefined;
  for await (const batch of generation.lines()) {
    const texts: string[] = [];
    for (const line of batch) {
      const chunk = ollamaGenerateChunkSchema.parse(line);
      if (chunk.done) done = chunk;
      if (chunk.response !== '') texts.push(chunk.response);
    }
    if (texts.length === 0) continue;
    context.firstTokenMs ??= services.now() - context.startedAt;
    const open = onTexts(texts);
    if (open !== true && !(await open)) return undefined;
  }
  // readOllamaLines ends only after a done line.
  return finishAnswer(services, context, model, done!);
}

function finishAnswer(services: GatewayServices, context: GenerationContext, model: ResolvedModel, done: OllamaGenerateChunk): LlmGenerateResponse {
  const usage = convertUsage(done);
  recordUsage(services.metrics, context, usage);
  return {
    model: model.requested,
    response: '',
    done_reason: done.done_reason ?? null,
    usage,
    timings: {
      queue_ms: round(context.queueWaitMs ?? 0),
      load_ms: round((done.load_duration ?? 0) / 1e6),
      first_token_ms: context.firstTokenMs === undefined ? null : round(context.firstTokenMs),
      total_ms: round(services.now() - context.startedAt),
    },
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
