/**
 * How the Responses and Anthropic routes run their one `/api/chat` generation through the pipeline:
 * a whole answer, or a stream of named events (`event: <type>` + `data:`, no `[DONE]`, as both APIs
 * frame them; the Anthropic SDK drops events without an `event:` line). A stream's headers go out when
 * Ollama answers (or earlier, opened by the queue heartbeat), so an error before that keeps its status;
 * after it, the dialect's own error events end the stream.
 */
import type { Response } from 'express';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { GenerationContext } from '../generation/generation-context.ts';
import { outboundHeaders } from '../generation/outbound-headers.ts';
import { runGeneration, type GenerationOptions } from '../generation/run-generation.ts';
import type { ResolvedModel } from '../models/model-catalog.ts';
import { ollamaChatChunkSchema, type OllamaChatChunk, type OllamaChatRequest } from '../ollama/wire.ts';
import type { GatewayServices } from './gateway-services.ts';
import { pipeToResponse } from './pipe-to-response.ts';
import { openEventStream } from './sse-writer.ts';
import { streamQueueHeartbeat } from './stream-queue-heartbeat.ts';

export interface ChatGeneration {
  model: ResolvedModel;
  priority: number;
  native: OllamaChatRequest;
}

export interface NamedEventStream<Event extends { type: string }> {
  map(line: OllamaChatChunk): Event[];
  /** After Ollama's done line. */
  finish(): Event[];
  /** The events that tell the client the stream failed. */
  failure(error: GatewayError): Event[];
  /** What a heartbeat writes while the request waits in the queue (a comment by default). */
  writeBeat?: (res: Response) => void;
  /** Before the last events go out, once the answer is complete (e.g. store it). */
  onComplete?: () => Promise<void>;
}

/** `event: <type>` then `data: <json>` per event, as one string (one write). */
export function encodeSseEvents(events: readonly { type: string }[]): string {
  let frames = '';
  for (const event of events) frames += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  return frames;
}

function generationOf(services: GatewayServices, res: Response, context: GenerationContext, chat: ChatGeneration, stream: boolean) {
  const request = { path: '/api/chat', body: JSON.stringify({ ...chat.native, stream }), headers: outboundHeaders(), stream };
  const options: GenerationOptions = { model: chat.model.canonical, policy: chat.model.policy, priority: chat.priority, context, bodyBytes: Number(res.req.headers['content-length'] ?? 0) };
  return { request, options, pipeline: services.pipeline };
}

/** The whole answer of a non-streamed generation, parsed. */
export async function answerChat(services: GatewayServices, res: Response, context: GenerationContext, chat: ChatGeneration): Promise<OllamaChatChunk> {
  const { pipeline, request, options } = generationOf(services, res, context, chat, false);
  return runGeneration(pipeline, request, options, async (generation) => {
    const answer = await generation.answer();
    generation.noteAnswerTimings(answer);
    return ollamaChatChunkSchema.parse(answer);
  });
}

export async function streamChatAsEvents<Event extends { type: string }>(
  services: GatewayServices,
  res: Response,
  context: GenerationContext,
  chat: ChatGeneration,
  events: NamedEventStream<Event>,
): Promise<void> {
  context.stream = true;
  const { pipeline, request, options } = generationOf(services, res, context, chat, true);
  const heartbeat = streamQueueHeartbeat(services, res, events.writeBeat);
  const pipe = pipeToResponse(res);
  let completed = false;
  try {
    completed = await runGeneration(
      pipeline,
      request,
      {
        ...options,
        onQueued: heartbeat.onQueued,
        onAnswered: () => {
          heartbeat.stop();
          if (!res.headersSent) openEventStream(res);
        },
      },
      async (generation) => {
        for await (const batch of generation.lines()) {
          const mapped: Event[] = [];
          for (const line of batch) mapped.push(...events.map(ollamaChatChunkSchema.parse(line)));
          if (mapped.length === 0) continue;
          context.firstTokenMs ??= services.now() - context.startedAt;
          if (!pipe.write(encodeSseEvents(mapped)) && !(await pipe.drained())) return false;
        }
        return true;
      },
    );
  } catch (error) {
    heartbeat.stop();
    if (!res.headersSent) throw error;
    // runGeneration raises only classified GatewayErrors.
    const failure = error as GatewayError;
    context.error = failure;
    pipe.end(encodeSseEvents(events.failure(failure)));
    return;
  }
  if (!completed) return;
  const finishing = events.finish();
  await events.onComplete?.();
  pipe.end(encodeSseEvents(finishing));
}
