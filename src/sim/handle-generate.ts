import { ollamaGenerateRequestSchema } from '../ollama/wire.ts';
import { answerModelLoad } from './answer-model-load.ts';
import { checkGenerationRequest, undecodedKeepAlive } from './check-generation-request.ts';
import { countWords } from './compose-text.ts';
import { deliverAnswer } from './deliver-answer.ts';
import { hashText } from './deterministic-random.ts';
import { createGenerateEncoder } from './line-encoders.ts';
import { qualifyModelName } from './model-names.ts';
import { parseRequestBody } from './parse-request-body.ts';
import { planAnswer, readNumPredict, type AnswerPlan } from './plan-answer.ts';
import { runGeneration } from './run-generation.ts';
import type { Exchange, SimContext } from './sim-context.ts';
import { sendError } from './write-response.ts';

/** Vocabulary size the simulated `context` token ids fall within. */
const contextVocabularySize = 128_256;

/** `POST /api/generate`. */
export async function handleGenerate(context: SimContext, exchange: Exchange, body: unknown): Promise<void> {
  const parsed = parseRequestBody(ollamaGenerateRequestSchema.partial({ model: true }).extend(undecodedKeepAlive), body, 'GenerateRequest');
  if (!parsed.ok) return sendError(exchange.response, 400, parsed.error);
  const request = parsed.value;
  const checked = checkGenerationRequest(context.catalog, {
    route: 'generate',
    model: request.model,
    keepAlive: request.keep_alive,
    think: request.think,
    hasTools: false,
    options: request.options,
    topLogprobs: request.top_logprobs,
  });
  if ('status' in checked) return sendError(exchange.response, checked.status, checked.message);
  const modelName = request.model ?? '';
  if (request.raw === true && (request.template !== undefined || request.system !== undefined || request.context !== undefined)) {
    return sendError(exchange.response, 400, 'raw mode does not support template, system, or context');
  }
  if (request.suffix !== undefined && request.suffix !== '' && !checked.model.capabilities.includes('insert')) {
    return sendError(exchange.response, 400, `${qualifyModelName(modelName)} does not support insert`);
  }
  const prompt = request.prompt ?? '';
  if (prompt === '') {
    return answerModelLoad(context, exchange, checked.model, checked.keepAliveMs, (doneReason) => ({
      model: modelName,
      created_at: context.timestamp(),
      response: '',
      done: true,
      done_reason: doneReason,
    }));
  }
  const plan = planAnswer({
    prompt,
    tools: [],
    format: request.format,
    think: checked.think,
    numPredict: readNumPredict(request.options),
    tokensPerAnswer: context.options.tokensPerAnswer,
  });
  const promptText = `${request.system ?? ''} ${prompt} ${request.suffix ?? ''}`;
  await runGeneration(context, exchange, {
    model: checked.model,
    keepAliveMs: checked.keepAliveMs,
    deliver: (fault, readyNs, loadNs) =>
      deliverAnswer({
        response: exchange.response,
        signal: exchange.signal,
        // Ollama leaves `context` out in raw mode.
        encoder: createGenerateEncoder(modelName, request.raw === true ? [] : buildContext(promptText, plan), request.logprobs === true ? (request.top_logprobs ?? 0) : undefined),
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
        promptEvalCount: countWords(promptText),
      }),
  });
}

/** Token ids of the prompt and the answer, standing in for the KV context Ollama returns. */
function buildContext(promptText: string, plan: AnswerPlan): number[] {
  const words = [...promptText.split(/\s+/).filter(Boolean), ...plan.content];
  return words.map((word) => hashText(word) % contextVocabularySize);
}
