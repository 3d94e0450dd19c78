import { ollamaChatRequestSchema, type OllamaMessage } from '../ollama/wire.ts';
import { checkGenerationRequest, undecodedKeepAlive } from './check-generation-request.ts';
import { countWords } from './compose-text.ts';
import { deliverAnswer } from './deliver-answer.ts';
import { createChatEncoder } from './line-encoders.ts';
import { parseRequestBody } from './parse-request-body.ts';
import { planAnswer, readNumPredict } from './plan-answer.ts';
import { runGeneration } from './run-generation.ts';
import { answerModelLoad } from './answer-model-load.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { sendError } from './write-response.ts';

/** `POST /api/chat`. */
export async function handleChat(context: SimContext, exchange: Exchange, body: unknown): Promise<void> {
  const parsed = parseRequestBody(ollamaChatRequestSchema.partial({ model: true }).extend(undecodedKeepAlive), body, 'ChatRequest');
  if (!parsed.ok) return sendError(exchange.response, 400, parsed.error);
  const request = parsed.value;
  const checked = checkGenerationRequest(context.catalog, {
    route: 'chat',
    model: request.model,
    keepAlive: request.keep_alive,
    think: request.think,
    hasTools: (request.tools?.length ?? 0) > 0,
    options: request.options,
    topLogprobs: request.top_logprobs,
  });
  if ('status' in checked) return sendError(exchange.response, checked.status, checked.message);
  const modelName = request.model ?? '';
  const messages = request.messages ?? [];
  if (messages.length === 0) {
    return answerModelLoad(context, exchange, checked.model, checked.keepAliveMs, (doneReason) => ({
      model: modelName,
      created_at: context.timestamp(),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: doneReason,
    }));
  }
  const lastMessage = messages.at(-1);
  const isToolResult = lastMessage?.role.toLowerCase() === 'tool';
  const plan = planAnswer({
    prompt: isToolResult ? (lastMessage?.content ?? '') : findLastUserText(messages),
    ...(isToolResult ? { toolResult: lastMessage?.content ?? '' } : {}),
    tools: request.tools ?? [],
    format: request.format,
    think: checked.think,
    numPredict: readNumPredict(request.options),
    tokensPerAnswer: context.options.tokensPerAnswer,
  });
  const promptEvalCount = messages.reduce((total, message) => total + countWords(message.content), 0);
  await runGeneration(context, exchange, {
    model: checked.model,
    keepAliveMs: checked.keepAliveMs,
    deliver: (fault, readyNs, loadNs) =>
      deliverAnswer({
        response: exchange.response,
        signal: exchange.signal,
        encoder: createChatEncoder(modelName),
        plan,
        stream: request.stream ?? true,
        fault,
        timeToFirstTokenMs: context.options.timeToFirstTokenMs,
        tokensPerSecond: context.options.tokensPerSecond,
        timestamp: context.timestamp,
        destroySocket: exchange.destroySocket,
        startedNs: exchange.startedNs,
        readyNs,
        loadNs,
        promptEvalCount,
      }),
  });
}

function findLastUserText(messages: readonly OllamaMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role.toLowerCase() === 'user') return message.content;
  }
  return messages.at(-1)?.content ?? '';
}
