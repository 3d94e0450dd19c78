import type { OllamaLogprob, OllamaToolCall } from '../ollama/wire.ts';
import { hashText } from './deterministic-random.ts';
import { encodeDoneMetrics, type DoneMetrics } from './encode-done-metrics.ts';
import type { AnswerPlan } from './plan-answer.ts';

/** Turns answer tokens into the NDJSON lines (each ending in `\n`) of one native route. */
export interface LineEncoder {
  content(token: string, createdAt: string): string;
  thinking(token: string, createdAt: string): string;
  toolCalls(calls: OllamaToolCall[], createdAt: string): string;
  done(metrics: DoneMetrics, createdAt: string): string;
  /** The single object of a `stream: false` answer (no trailing newline). */
  whole(plan: AnswerPlan, metrics: DoneMetrics, createdAt: string): string;
}

/** `/api/chat` lines: `{"model","created_at","message":{…},"done":…}`. */
export function createChatEncoder(model: string): LineEncoder {
  const head = `{"model":${JSON.stringify(model)},"created_at":"`;
  const message = '","message":{"role":"assistant","content":';
  return {
    content: (token, createdAt) => `${head}${createdAt}${message}${JSON.stringify(token)}},"done":false}\n`,
    thinking: (token, createdAt) => `${head}${createdAt}${message}"","thinking":${JSON.stringify(token)}},"done":false}\n`,
    toolCalls: (calls, createdAt) => `${head}${createdAt}${message}"","tool_calls":${JSON.stringify(calls)}},"done":false}\n`,
    done: (metrics, createdAt) => `${head}${createdAt}${message}""},"done":true${encodeDoneMetrics(metrics)}}\n`,
    whole(plan, metrics, createdAt) {
      let body = `${head}${createdAt}${message}${JSON.stringify(plan.content.join(''))}`;
      if (plan.thinking.length > 0) body += `,"thinking":${JSON.stringify(plan.thinking.join(''))}`;
      if (plan.toolCalls.length > 0) body += `,"tool_calls":${JSON.stringify(plan.toolCalls)}`;
      return `${body}},"done":true${encodeDoneMetrics(metrics)}}`;
    },
  };
}

/**
 * Deterministic log probabilities of a token, as Ollama reports them with `logprobs: true`: the token's
 * own, and `top` alternatives (the token first, as it was the most likely).
 */
export function simulateLogprobs(token: string, top: number): OllamaLogprob {
  const logprob = -(hashText(token) % 1000) / 1000;
  const alternatives = Array.from({ length: top }, (_, rank) => (rank === 0 ? { token, logprob } : { token: `${token}~${rank}`, logprob: logprob - rank }));
  return { token, logprob, top_logprobs: alternatives };
}

/**
 * `/api/generate` lines: `{"model","created_at","response","thinking"?,"done"}`; the done line adds `context`.
 * With `topLogprobs` set (the request asked for `logprobs`), content lines carry `logprobs`.
 */
export function createGenerateEncoder(model: string, context: readonly number[], topLogprobs?: number): LineEncoder {
  const head = `{"model":${JSON.stringify(model)},"created_at":"`;
  const contextText = context.length === 0 ? '' : `,"context":${JSON.stringify(context)}`;
  const withContext = (metrics: DoneMetrics): string => {
    const encoded = encodeDoneMetrics(metrics);
    // Ollama's struct order: done, done_reason, context, then the metrics.
    const reasonEnd = encoded.startsWith(',"done_reason"') ? encoded.indexOf(',', 1) : 0;
    const cut = reasonEnd === -1 ? encoded.length : reasonEnd;
    return `${encoded.slice(0, cut)}${contextText}${encoded.slice(cut)}`;
  };
  return {
    content: (token, createdAt) => {
      const logprobs = topLogprobs === undefined ? '' : `,"logprobs":${JSON.stringify([simulateLogprobs(token, topLogprobs)])}`;
      return `${head}${createdAt}","response":${JSON.stringify(token)},"done":false${logprobs}}\n`;
    },
    thinking: (token, createdAt) => `${head}${createdAt}","response":"","thinking":${JSON.stringify(token)},"done":false}\n`,
    toolCalls: (calls, createdAt) => `${head}${createdAt}","response":"","tool_calls":${JSON.stringify(calls)},"done":false}\n`,
    done: (metrics, createdAt) => `${head}${createdAt}","response":"","done":true${withContext(metrics)}}\n`,
    whole(plan, metrics, createdAt) {
      let body = `${head}${createdAt}","response":${JSON.stringify(plan.content.join(''))}`;
      if (plan.thinking.length > 0) body += `,"thinking":${JSON.stringify(plan.thinking.join(''))}`;
      if (topLogprobs !== undefined) body += `,"logprobs":${JSON.stringify(plan.content.map((token) => simulateLogprobs(token, topLogprobs)))}`;
      return `${body},"done":true${withContext(metrics)}}`;
    },
  };
}
