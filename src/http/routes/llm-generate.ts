import type { Request, Response } from 'express';
import { classifyUpstreamFailure } from '../../errors/classify-upstream-failure.ts';
import { GatewayError, upstreamError } from '../../errors/gateway-error.ts';
import type { ResolvedModel } from '../../models/model-catalog.ts';
import { readNdjsonLines } from '../../ollama/read-ndjson-lines.ts';
import { ollamaGenerateChunkSchema, type OllamaGenerateChunk, type OllamaGenerateRequest } from '../../ollama/wire.ts';
import { llmGenerateRequestSchema, type LlmGenerateRequest } from '../../openai/sidecar-llm-request.ts';
import type { LlmGenerateResponse } from '../../openai/sidecar-llm-response.ts';
import { parseRequest } from '../../openai/parse-request.ts';
import { convertUsage } from '../../translate/convert-usage.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { startModelCall, type ModelCall } from '../model-call.ts';
import { nativeRouteOnOpenAiNode } from '../forward-to-openai-upstream.ts';
import { prepareGeneration } from '../prepare-generation.ts';
import { recordUsage } from '../record-usage.ts';
import { contextOf } from '../request-context.ts';
import { streamQueueHeartbeat } from '../stream-queue-heartbeat.ts';
import { chooseEventFormat, openLlmEventStream, type EventStream } from './llm-event-stream.ts';

/**
 * `POST /v1/llm/{model}` → Ollama `/api/generate` through the model's limiter. Ollama always streams to
 * the gateway, so the time to first token is measured; the client gets one JSON answer, or with
 * `stream: true` text deltas then the full answer (`done: true`) as SSE, or NDJSON on request.
 */
export function llmGenerateHandler(services: GatewayServices) {
  return async (req: Request, res: Response): Promise<void> => {
    const request = parseRequest(llmGenerateRequestSchema, req.body ?? {});
    const stream = request.stream === true;
    const format = chooseEventFormat(req);
    const { model, priority } = await prepareGeneration(services, req, res, { path: modelFromPath(req.params['model']), stream: stream && format === 'sse' });
    if (services.pool.kindFor(model.canonical) === 'openai') throw nativeRouteOnOpenAiNode(req.path, model.canonical);
    const context = contextOf(res);
    context.stream = stream;
    const heartbeat = stream && format === 'sse' ? streamQueueHeartbeat(services, res) : undefined;
    const call = await startModelCall(services, res, model, '/api/generate', toOllamaGenerate(request, model), {
      priority,
      stream: true,
      ...(heartbeat ? { onQueued: heartbeat.onQueued } : {}),
    }).finally(() => heartbeat?.stop());

    if (!stream) {
      res.json(await collectAnswer(services, res, model, call));
      return;
    }
    const events = openLlmEventStream(res, format);
    try {
      const answer = await relayAnswer(services, res, model, call, events);
      if (answer !== undefined && (await events.write({ ...answer, done: true }))) await events.end();
    } catch (error) {
      const failure = toStreamFailure(error, context.abort.signal);
      context.error = failure;
      events.fail(failure);
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
  const keepAlive = request.keep_alive ?? model.config?.keepAlive;
  const options = { ...model.config?.options, ...request.options };
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

async function collectAnswer(services: GatewayServices, res: Response, model: ResolvedModel, call: ModelCall): Promise<LlmGenerateResponse> {
  const parts: string[] = [];
  const answer = await readGeneration(services, res, model, call, async (text) => {
    parts.push(text);
    return true;
  });
  return { ...answer!, response: parts.join('') };
}

async function relayAnswer(services: GatewayServices, res: Response, model: ResolvedModel, call: ModelCall, events: EventStream): Promise<LlmGenerateResponse | undefined> {
  return readGeneration(services, res, model, call, (text) => events.write({ model: model.requested, response: text, done: false }));
}

/**
 * Reads Ollama's NDJSON lines, hands each piece of text to `onText` (false = the client left), and
 * builds the final answer (with an empty `response`) from the `done` line. Releases the slot.
 */
async function readGeneration(
  services: GatewayServices,
  res: Response,
  model: ResolvedModel,
  call: ModelCall,
  onText: (text: string) => Promise<boolean>,
): Promise<LlmGenerateResponse | undefined> {
  const context = contextOf(res);
  try {
    for await (const line of readNdjsonLines(call.response.body)) {
      const record = line as Record<string, unknown>;
      if (typeof record['error'] === 'string') throw upstreamError(`Ollama failed while generating: ${record['error']}`);
      const chunk = ollamaGenerateChunkSchema.parse(line);
      if (chunk.response !== '') {
        context.firstTokenMs ??= services.now() - context.startedAt;
        if (!(await onText(chunk.response))) return undefined;
      }
      if (chunk.done) return finishAnswer(services, res, model, chunk);
    }
    throw upstreamError('Ollama ended the answer without its final line.');
  } catch (error) {
    throw toStreamFailure(error, call.signal);
  } finally {
    call.release();
  }
}

function finishAnswer(services: GatewayServices, res: Response, model: ResolvedModel, done: OllamaGenerateChunk): LlmGenerateResponse {
  const context = contextOf(res);
  const usage = convertUsage(done);
  recordUsage(services, res, usage);
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

function toStreamFailure(error: unknown, signal: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error;
  if (signal.aborted && signal.reason instanceof GatewayError) return signal.reason;
  return classifyUpstreamFailure(signal.aborted ? (signal.reason ?? error) : error, 'ollama');
}

const round = (ms: number): number => Math.round(ms * 100) / 100;
