import type { BenchApi } from './parse-bench-args.ts';
import type { BenchMessage, BenchPrompt } from './load-prompts.ts';

/** What every request of a run shares. */
export interface RequestTemplate {
  api: BenchApi;
  model: string;
  stream: boolean;
  maxTokens: number | null;
}

/** Path (relative to the base URL's path) and JSON body of one request. */
export interface BenchRequest {
  path: string;
  body: string;
}

const apiPaths: Record<BenchApi, string> = {
  'openai-chat': '/chat/completions',
  'openai-completions': '/completions',
  'ollama-chat': '/api/chat',
  'ollama-generate': '/api/generate',
};

/** True when the API takes a conversation; the others take one prompt string. */
export function acceptsMessages(api: BenchApi): boolean {
  return api === 'openai-chat' || api === 'ollama-chat';
}

/**
 * Builds one request for the target API. Conversations are only accepted by chat APIs: callers
 * check with `acceptsMessages` first, and this throws rather than flatten a conversation silently.
 */
export function buildBenchRequest(basePath: string, template: RequestTemplate, prompt: BenchPrompt): BenchRequest {
  const path = basePath.replace(/\/+$/, '') + apiPaths[template.api];
  return { path, body: JSON.stringify(buildBody(template, prompt)) };
}

function buildBody(template: RequestTemplate, prompt: BenchPrompt): Record<string, unknown> {
  const { api, model, stream, maxTokens } = template;
  const limit = maxTokens ?? undefined;
  switch (api) {
    case 'openai-chat':
      return {
        model,
        messages: toMessages(prompt),
        stream,
        // Ollama's own /v1 ignores max_completion_tokens, so the older field reaches every target.
        max_tokens: limit,
        stream_options: stream ? { include_usage: true } : undefined,
      };
    case 'openai-completions':
      return {
        model,
        prompt: toText(api, prompt),
        stream,
        max_tokens: limit,
        stream_options: stream ? { include_usage: true } : undefined,
      };
    case 'ollama-chat':
      return { model, messages: toMessages(prompt), stream, options: toOllamaOptions(limit) };
    case 'ollama-generate':
      return { model, prompt: toText(api, prompt), stream, options: toOllamaOptions(limit) };
  }
}

function toMessages(prompt: BenchPrompt): BenchMessage[] {
  return prompt.kind === 'messages' ? prompt.messages : [{ role: 'user', content: prompt.text }];
}

function toText(api: BenchApi, prompt: BenchPrompt): string {
  if (prompt.kind === 'text') return prompt.text;
  throw new Error(`--api ${api} takes text prompts, not chat messages`);
}

function toOllamaOptions(maxTokens: number | undefined): { num_predict: number } | undefined {
  return maxTokens === undefined ? undefined : { num_predict: maxTokens };
}
