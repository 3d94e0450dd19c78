import type { Response } from 'express';
import type { CacheTicket } from '../cache/response-cache.ts';
import type { z } from 'zod';
import type { ResolvedModel } from '../models/model-catalog.ts';
import type { Usage } from '../openai/usage.ts';
import { sumUsage } from '../translate/sum-usage.ts';
import type { GatewayServices } from './gateway-services.ts';
import { startModelCall, type ModelCall, type ModelCallOptions } from './model-call.ts';
import { readUpstreamAnswer } from './read-upstream-json.ts';
import { recordUsage } from './record-usage.ts';
import { relayAsSse } from './relay-sse.ts';
import { answerFromCache, keepInCache } from './serve-cached-response.ts';
import { contextOf } from './request-context.ts';
import { runGenerations } from './run-generations.ts';
import { streamQueueHeartbeat } from './stream-queue-heartbeat.ts';

type NativeTimings = { load_duration?: number | undefined; prompt_eval_duration?: number | undefined };

/** What differs between the OpenAI generation routes; the orchestration below is shared. */
export interface GenerationPlan<Answer extends NativeTimings, Body extends { choices: unknown[]; usage?: Usage | undefined }, Chunk> {
  /** Ollama's route: `/api/chat` or `/api/generate`. */
  path: string;
  /** One native request per choice. */
  requests: readonly object[];
  stream: boolean;
  includeUsage: boolean;
  priority: number;
  /** Parses one native line or whole answer (leniently). */
  answerSchema: z.ZodType<Answer>;
  /** A whole answer → the OpenAI body for choice `index`. */
  toBody(answer: Answer, index: number): Body;
  /** The stateful line → chunks mapper of choice `index` (emits no usage chunk of its own). */
  createMapper(index: number): { map(line: Answer): Chunk[]; finish(): Chunk[]; usage(): Usage };
  /** The one usage chunk of a stream asked for with `include_usage`. */
  usageChunk(usage: Usage): Chunk;
  /** Set when the answer may come from, and go to, the response cache. */
  cache?: CacheTicket | undefined;
}

/**
 * Runs a request's generations through the model's slots and answers in OpenAI's shape: one merged
 * body (choices in order, usage summed), or one SSE stream carrying every choice.
 */
export async function serveGenerations<Answer extends NativeTimings, Body extends { choices: unknown[]; usage?: Usage | undefined }, Chunk>(
  services: GatewayServices,
  res: Response,
  model: ResolvedModel,
  plan: GenerationPlan<Answer, Body, Chunk>,
): Promise<void> {
  const context = contextOf(res);
  context.stream = plan.stream;
  // A cached answer is served before the model's queue: it costs no slot.
  if (await answerFromCache(services, res, plan.cache)) return;
  const count = plan.requests.length;
  const callOptions: ModelCallOptions = { priority: plan.priority, stream: plan.stream };
  const start = (index: number): Promise<ModelCall> => startModelCall(services, res, model, plan.path, { ...plan.requests[index], stream: plan.stream }, callOptions);

  if (!plan.stream) {
    const answers = await runGenerations(res, count, async (index) => readUpstreamAnswer(await start(index), plan.answerSchema));
    const bodies = answers.map((answer, index) => plan.toBody(answer, index));
    const body = count === 1 ? bodies[0]! : { ...bodies[0]!, choices: bodies.flatMap((each) => each.choices), usage: sumUsage(bodies.map((each) => each.usage)) };
    recordUsage(services, res, body.usage);
    keepInCache(services, plan.cache, { kind: 'json', body });
    res.json(body);
    return;
  }

  const heartbeat = streamQueueHeartbeat(services, res);
  callOptions.onQueued = heartbeat.onQueued;
  const mappers = Array.from({ length: count }, (_, index) => plan.createMapper(index));
  // Every event in the order it is sent, for the cache to replay; kept only when the stream completes.
  const sent: Chunk[] = [];
  const record = (chunks: Chunk[]): Chunk[] => {
    if (plan.cache !== undefined) sent.push(...chunks);
    return chunks;
  };
  let completed = false;
  await relayAsSse(res, {
    count,
    start: async (index) => start(index).finally(() => heartbeat.stop()),
    mappers: mappers.map((mapper) => (line) => record(mapper.map(plan.answerSchema.parse(line)))),
    finish: () => {
      const finishing = mappers.flatMap((mapper) => mapper.finish());
      const usage = sumUsage(mappers.map((mapper) => mapper.usage()));
      recordUsage(services, res, usage);
      completed = true;
      return record(plan.includeUsage ? [...finishing, plan.usageChunk(usage)] : finishing);
    },
    onFirstOutput: () => {
      context.firstTokenMs = services.now() - context.startedAt;
    },
  });
  // Only a stream that reached `[DONE]`: not one that failed or whose client left before the end.
  if (completed && res.writableEnded && context.error === undefined) keepInCache(services, plan.cache, { kind: 'sse', events: sent });
}
