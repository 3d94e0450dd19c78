import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import type { Exchange, SimContext } from '../sim-context.ts';
import { delay, sendJson } from '../write-response.ts';
import { planOpenAiAnswer, usageOf } from './openai-answer.ts';
import { runOpenAiGeneration } from './run-openai-generation.ts';
import { streamOpenAiAnswer, type StreamFrames } from './stream-openai-answer.ts';
import { sendOpenAiError } from './write-openai-response.ts';

const messageSchema = z.object({ role: z.string(), content: z.unknown().optional() });
const commonSchema = z.object({
  model: z.string().min(1),
  stream: z.boolean().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  max_tokens: z.number().int().optional(),
});
const chatSchema = commonSchema.extend({ messages: z.array(messageSchema).min(1) });
const completionSchema = commonSchema.extend({ prompt: z.union([z.string(), z.array(z.string())]) });

/** `POST /v1/chat/completions` and `POST /v1/completions`, as an OpenAI-compatible server answers them. */
export async function handleOpenAiGeneration(context: SimContext, exchange: Exchange, body: unknown, kind: 'chat' | 'completion'): Promise<void> {
  const parsed = (kind === 'chat' ? chatSchema : completionSchema).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return sendOpenAiError(exchange.response, 400, `Invalid request: ${issue?.message ?? 'bad body'}`, 'invalid_request_error', null, issue?.path.join('.') || null);
  }
  const request = parsed.data;
  const model = context.catalog.find(request.model);
  if (model === undefined) return sendOpenAiError(exchange.response, 404, `The model \`${request.model}\` does not exist.`, 'invalid_request_error', 'model_not_found', 'model');
  const prompt = 'messages' in request ? lastUserText(request.messages) : [request.prompt].flat().join('\n');
  const plan = planOpenAiAnswer(prompt, request.max_tokens, context.options.tokensPerAnswer);
  const usage = usageOf(prompt, plan);
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${randomUUID().replaceAll('-', '').slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  const head = { id, object: kind === 'chat' ? 'chat.completion.chunk' : 'text_completion', created, model: request.model };
  const stream = request.stream === true;
  await runOpenAiGeneration(context, exchange, model.name, stream ? 'text/event-stream' : 'application/json', async (fault) => {
    const pacing = { timeToFirstTokenMs: context.options.timeToFirstTokenMs, tokensPerSecond: context.options.tokensPerSecond, signal: exchange.signal, fault, destroySocket: exchange.destroySocket };
    if (stream) return streamOpenAiAnswer(exchange.response, framesOf(kind, head, plan.content, plan.doneReason, request.stream_options?.include_usage === true ? usage : undefined), pacing);
    const generationMs = context.options.tokensPerSecond > 0 ? (plan.evalCount * 1000) / context.options.tokensPerSecond : 0;
    if (!(await delay(context.options.timeToFirstTokenMs + generationMs, exchange.signal))) return;
    const text = plan.content.join('');
    const choice = kind === 'chat' ? { index: 0, message: { role: 'assistant', content: text }, finish_reason: plan.doneReason } : { index: 0, text, logprobs: null, finish_reason: plan.doneReason };
    sendJson(exchange.response, 200, { ...head, object: kind === 'chat' ? 'chat.completion' : 'text_completion', choices: [choice], usage });
  });
}

function framesOf(kind: 'chat' | 'completion', head: Record<string, unknown>, tokens: readonly string[], finishReason: string, usage: unknown): StreamFrames {
  const extra = usage === undefined ? {} : { usage: null };
  const closing: unknown[] = [
    kind === 'chat'
      ? { ...head, choices: [{ index: 0, delta: {}, finish_reason: finishReason }], ...extra }
      : { ...head, choices: [{ index: 0, text: '', logprobs: null, finish_reason: finishReason }], ...extra },
  ];
  if (usage !== undefined) closing.push({ ...head, choices: [], usage });
  return {
    tokens,
    token: (text) =>
      kind === 'chat'
        ? { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }], ...extra }
        : { ...head, choices: [{ index: 0, text, logprobs: null, finish_reason: null }], ...extra },
    closing,
  };
}

function lastUserText(messages: ReadonlyArray<{ role: string; content?: unknown }>): string {
  const user = messages.findLast((message) => message.role === 'user') ?? messages.at(-1);
  return typeof user?.content === 'string' ? user.content : JSON.stringify(user?.content ?? '');
}
