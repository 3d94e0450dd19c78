import type { Request, Response } from 'express';
import { gatewayError, GatewayError, invalidRequest, upstreamError } from '../errors/gateway-error.ts';
import { outboundHeaders } from '../generation/outbound-headers.ts';
import { runGeneration, type OpenGeneration } from '../generation/run-generation.ts';
import type { GenerationContext } from '../generation/generation-context.ts';
import type { ResolvedModel } from '../models/model-catalog.ts';
import { readBounded } from '../ollama/ollama-client.ts';
import { fromOpenAiUpstreamError } from '../upstreams/from-openai-upstream-error.ts';
import { readSseData } from '../upstreams/read-sse-data.ts';
import { affinityOfRequest } from './affinity-of-request.ts';
import type { GatewayServices } from './gateway-services.ts';
import { pipeToResponse } from './pipe-to-response.ts';
import { recordUsage } from './record-usage.ts';
import { contextOf } from './request-context.ts';
import { encodeSseData, endSseWithError, openEventStream, SSE_DONE } from './sse-writer.ts';
import { sendJson } from './send-json.ts';

/** A route other than the three forwarded ones (Ollama's native API, `/v1/llm`, other dialects) for a model only an OpenAI-compatible node serves. */
export function routeOnOpenAiNode(path: string, model: string): GatewayError {
  return invalidRequest(
    `The model \`${model}\` is served only by an OpenAI-compatible upstream, which cannot serve ${path} (it does not speak Ollama's native API); use /v1/chat/completions, /v1/completions or /v1/embeddings.`,
    'model',
    'unsupported_route_for_upstream',
  );
}

/** The OpenAI routes an `openai` kind upstream serves as they are. */
export type OpenAiForwardPath = '/v1/chat/completions' | '/v1/completions' | '/v1/embeddings';

/**
 * Serves an OpenAI request with an `openai` kind node, through the generation pipeline (slot,
 * deadlines, failover, metrics): the client's body goes as it is, the model name rewritten to the
 * node's own; the answer comes back as the node sent it, naming the model the client asked for. A
 * stream is relayed event by event with backpressure; the gateway asks for the usage chunk (its
 * metrics need it) and drops it when the client did not ask. The node's errors keep OpenAI's shape.
 */
export async function forwardToOpenAiUpstream(services: GatewayServices, req: Request, res: Response, model: ResolvedModel, priority: number, path: OpenAiForwardPath): Promise<void> {
  const context = contextOf(res);
  const request = req.body as Record<string, unknown>;
  const stream = request['stream'] === true && path !== '/v1/embeddings';
  const streamOptions = typeof request['stream_options'] === 'object' && request['stream_options'] !== null ? (request['stream_options'] as Record<string, unknown>) : {};
  const clientWantsUsage = streamOptions['include_usage'] === true;
  const body = JSON.stringify({ ...request, model: model.canonical, ...(stream ? { stream_options: { ...streamOptions, include_usage: true } } : {}) });
  context.stream = stream;
  try {
    await runGeneration(
      services.pipeline,
      { path, body, headers: outboundHeaders(), stream, relayAnyStatus: true },
      {
        model: model.canonical,
        policy: model.policy,
        priority,
        context,
        bodyBytes: Number(req.headers['content-length'] ?? 0),
        affinityKey: affinityOfRequest(services.getConfig(), req.headers, request),
      },
      async (generation) => {
        if (generation.status >= 300) throw fromOpenAiUpstreamError(generation.status, await readBounded(generation.body), context.upstream ?? 'upstream');
        if (!stream) return sendWhole(services, res, context, generation, model.requested);
        return relayEvents(services, res, context, generation, model.requested, clientWantsUsage);
      },
    );
  } catch (error) {
    if (!res.headersSent) throw error;
    context.error = error as GatewayError;
    endSseWithError(res, error as GatewayError);
  }
}

async function sendWhole(services: GatewayServices, res: Response, context: GenerationContext, generation: OpenGeneration, requested: string): Promise<void> {
  const answer = parseObject(await generation.body.text());
  recordUsage(services.metrics, context, readUsage(answer['usage']));
  sendJson(res, { ...answer, model: requested });
}

async function relayEvents(services: GatewayServices, res: Response, context: GenerationContext, generation: OpenGeneration, requested: string, clientWantsUsage: boolean): Promise<void> {
  openEventStream(res);
  const pipe = pipeToResponse(res);
  for await (const data of readSseData(generation.body as AsyncIterable<Uint8Array>)) {
    if (data === '[DONE]') break;
    const chunk = parseObject(data);
    if (chunk['error'] !== undefined) throw upstreamError(`The upstream failed while generating: ${describeError(chunk['error'])}`);
    const usage = readUsage(chunk['usage']);
    if (usage !== undefined) recordUsage(services.metrics, context, usage);
    const isUsageChunk = Array.isArray(chunk['choices']) && chunk['choices'].length === 0 && usage !== undefined;
    if (isUsageChunk && !clientWantsUsage) continue;
    // servers asked for usage put `usage: null` on every chunk; a client that did not ask never sees it
    if (!clientWantsUsage) delete chunk['usage'];
    context.firstTokenMs ??= services.now() - context.startedAt;
    if (!pipe.write(encodeSseData([{ ...chunk, model: requested }])) && !(await pipe.drained())) return;
  }
  pipe.end(SSE_DONE);
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw gatewayError('upstream_invalid_response', `The upstream answered with something that is not a JSON object: ${text.slice(0, 200)}`);
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
