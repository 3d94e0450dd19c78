import type { Response } from 'express';
import type { CacheTicket } from '../cache/response-cache.ts';
import type { z } from 'zod';
import type { GatewayError } from '../errors/gateway-error.ts';
import type { GenerationContext } from '../generation/generation-context.ts';
import { runChoices } from '../generation/run-choices.ts';
import { runGeneration, type GenerationOptions } from '../generation/run-generation.ts';
import { outboundHeaders } from '../generation/outbound-headers.ts';
import type { ResolvedModel } from '../models/model-catalog.ts';
import type { Usage } from '../openai/usage.ts';
import { sumUsage } from '../translate/sum-usage.ts';
import type { GatewayServices } from './gateway-services.ts';
import { pipeToResponse } from './pipe-to-response.ts';
import { recordUsage } from './record-usage.ts';
import { answerFromCache, keepInCache } from './serve-cached-response.ts';
import { encodeSseData, endSseWithError, openEventStream, SSE_DONE } from './sse-writer.ts';
import { streamQueueHeartbeat } from './stream-queue-heartbeat.ts';

/** What differs between the OpenAI generation routes; the orchestration below is shared. */
export interface GenerationPlan<Answer, Body extends { choices: unknown[]; usage?: Usage | undefined }, Chunk> {
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
 * Runs a request's generations through the pipeline and answers in OpenAI's shape: one merged body
 * (choices in order, usage summed), or one SSE stream carrying every choice. A stream's headers go
 * out when the first generation has the upstream's answer, so an error before that keeps its status.
 */
export async function serveGenerations<Answer, Body extends { choices: unknown[]; usage?: Usage | undefined }, Chunk>(
  services: GatewayServices,
  res: Response,
  context: GenerationContext,
  model: ResolvedModel,
  plan: GenerationPlan<Answer, Body, Chunk>,
): Promise<void> {
  context.stream = plan.stream;
  // A cached answer is served before the model's queue: it costs no slot.
  if (await answerFromCache(services, res, plan.cache)) return;
  const count = plan.requests.length;
  const headers = outboundHeaders();
  const bodies = plan.requests.map((request) => JSON.stringify({ ...request, stream: plan.stream }));
  const options: GenerationOptions = { model: model.canonical, policy: model.policy, priority: plan.priority, context, bodyBytes: Number(res.req.headers['content-length'] ?? 0) };
  const requestOf = (index: number) => ({ path: plan.path, body: bodies[index]!, headers, stream: plan.stream });

  if (!plan.stream) {
    const answers = await runChoices(context, count, (index) => runGeneration(services.pipeline, requestOf(index), options, async (generation) => {
        const answer = await generation.answer();
        generation.noteAnswerTimings(answer);
        return plan.answerSchema.parse(answer);
      }),
    );
    const choices = answers.map((answer, index) => plan.toBody(answer, index));
    const body = count === 1 ? choices[0]! : { ...choices[0]!, choices: choices.flatMap((each) => each.choices), usage: sumUsage(choices.map((each) => each.usage)) };
    recordUsage(services.metrics, context, body.usage);
    keepInCache(services, plan.cache, { kind: 'json', body });
    res.json(body);
    return;
  }

  const heartbeat = streamQueueHeartbeat(services, res);
  const pipe = pipeToResponse(res);
  const mappers = Array.from({ length: count }, (_, index) => plan.createMapper(index));
  const streamOptions: GenerationOptions = {
    ...options,
    onQueued: heartbeat.onQueued,
    onAnswered: () => {
      heartbeat.stop();
      if (!res.headersSent) openEventStream(res);
    },
  };
  // Every event in the order it is sent, for the cache to replay; kept only when the stream completes.
  const sent: Chunk[] = [];
  try {
    await runChoices(context, count, (index) =>
      runGeneration(services.pipeline, requestOf(index), streamOptions, async (generation) => {
        const mapper = mappers[index]!;
        for await (const batch of generation.lines()) {
          const chunks: Chunk[] = [];
          for (const line of batch) chunks.push(...mapper.map(plan.answerSchema.parse(line)));
          if (chunks.length === 0) continue;
          if (plan.cache !== undefined) sent.push(...chunks);
          context.firstTokenMs ??= services.now() - context.startedAt;
          if (!pipe.write(encodeSseData(chunks)) && !(await pipe.drained())) return;
        }
      }),
    );
  } catch (error) {
    heartbeat.stop();
    if (!res.headersSent) throw error;
    // runGeneration raises only classified GatewayErrors.
    const failure = error as GatewayError;
    context.error = failure;
    endSseWithError(res, failure);
    return;
  }
  const finishing: Chunk[] = mappers.flatMap((mapper) => mapper.finish());
  const usage = sumUsage(mappers.map((mapper) => mapper.usage()));
  recordUsage(services.metrics, context, usage);
  if (plan.includeUsage) finishing.push(plan.usageChunk(usage));
  // Only a stream that reached `[DONE]`: not one whose client left before the end.
  if (!pipe.closed) keepInCache(services, plan.cache, { kind: 'sse', events: [...sent, ...finishing] });
  pipe.end(encodeSseData(finishing) + SSE_DONE);
}
