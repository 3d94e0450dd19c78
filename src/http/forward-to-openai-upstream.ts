import type { Request, Response } from 'express';
import { GatewayError, invalidRequest, upstreamError } from '../errors/gateway-error.ts';
import { classifyUpstreamFailure } from '../errors/classify-upstream-failure.ts';
import type { ResolvedModel } from '../models/model-catalog.ts';
import { readSseData } from '../upstreams/read-sse-data.ts';
import type { GatewayServices } from './gateway-services.ts';
import { startModelCall, type ModelCall } from './model-call.ts';
import { readUpstreamJson } from './read-upstream-json.ts';
import { recordUsage } from './record-usage.ts';
import { contextOf } from './request-context.ts';
import { endSseStream, endSseWithError, openEventStream, writeSseData } from './sse-writer.ts';

/** Ollama's native API (and `/v1/llm`, which is made of it) cannot be spoken to an OpenAI-compatible server. */
export function nativeRouteOnOpenAiNode(path: string, model: string): GatewayError {
  return invalidRequest(
    `The model \`${model}\` is served only by an OpenAI-compatible upstream, which does not speak Ollama's native API (${path}); use /v1/chat/completions, /v1/completions or /v1/embeddings.`,
    'model',
    'unsupported_route_for_upstream',
  );
}

/** The OpenAI routes an `openai` kind upstream serves as they are. */
export type OpenAiForwardPath = '/v1/chat/completions' | '/v1/completions' | '/v1/embeddings';

/**
 * Serves an OpenAI request with an `openai` kind node: the client's body goes as it is, the model
 * name rewritten to the node's own; the answer comes back as the node sent it, with the model name
 * the client asked for. A stream is relayed event by event with backpressure; the gateway asks for
 * the usage chunk (its metrics need it) and drops it when the client did not ask. Same slots,
 * deadlines, failover, metrics and logs as every generation.
 */
export async function forwardToOpenAiUpstream(services: GatewayServices, req: Request, res: Response, model: ResolvedModel, priority: number, path: OpenAiForwardPath): Promise<void> {
  const request = req.body as Record<string, unknown>;
  const stream = request['stream'] === true && path !== '/v1/embeddings';
  const streamOptions = typeof request['stream_options'] === 'object' && request['stream_options'] !== null ? (request['stream_options'] as Record<string, unknown>) : {};
  const clientWantsUsage = streamOptions['include_usage'] === true;
  const body = { ...request, model: model.canonical, ...(stream ? { stream_options: { ...streamOptions, include_usage: true } } : {}) };
  contextOf(res).stream = stream;
  const call = await startModelCall(services, res, model, path, body, { priority, stream });
  try {
    if (!stream) {
      const answer = await readUpstreamJson(call);
      recordUsage(services, res, readUsage(answer['usage']));
      res.json({ ...answer, model: model.requested });
      return;
    }
    await relayEvents(services, res, call, model.requested, clientWantsUsage);
  } finally {
    call.release();
  }
}

async function relayEvents(services: GatewayServices, res: Response, call: ModelCall, requested: string, clientWantsUsage: boolean): Promise<void> {
  const context = contextOf(res);
  openEventStream(res);
  try {
    for await (const data of readSseData(call.response.body as AsyncIterable<Uint8Array>)) {
      if (data === '[DONE]') break;
      const chunk = parseChunk(data);
      if (chunk['error'] !== undefined) throw upstreamError(`The upstream failed while generating: ${describeError(chunk['error'])}`);
      const usage = readUsage(chunk['usage']);
      if (usage !== undefined) recordUsage(services, res, usage);
      const isUsageChunk = Array.isArray(chunk['choices']) && chunk['choices'].length === 0 && usage !== undefined;
      if (isUsageChunk && !clientWantsUsage) continue;
      // servers that were asked for usage put `usage: null` on every chunk; a client that did not ask never sees it
      if (!clientWantsUsage) delete chunk['usage'];
      context.firstTokenMs ??= services.now() - context.startedAt;
      if (!(await writeSseData(res, { ...chunk, model: requested }))) return;
    }
    await endSseStream(res);
  } catch (error) {
    const failure = call.signal.aborted && call.signal.reason instanceof GatewayError ? call.signal.reason : error instanceof GatewayError ? error : classifyUpstreamFailure(error, 'upstream');
    call.recordFailure(failure);
    context.error = failure;
    endSseWithError(res, failure);
  }
}

function parseChunk(data: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(data);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new GatewayError(`The upstream sent an event that is not a JSON object: ${data.slice(0, 200)}`, { status: 502, type: 'api_error', code: 'upstream_invalid_response' });
}

function readUsage(value: unknown): { prompt_tokens: number; completion_tokens?: number } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const usage = value as Record<string, unknown>;
  if (typeof usage['prompt_tokens'] !== 'number') return undefined;
  return typeof usage['completion_tokens'] === 'number' ? { prompt_tokens: usage['prompt_tokens'], completion_tokens: usage['completion_tokens'] } : { prompt_tokens: usage['prompt_tokens'] };
}

function describeError(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : JSON.stringify(error);
}
