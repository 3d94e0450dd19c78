/** `POST /v1/chat/completions` body → `/api/chat` body (docs/ollama-api-notes.md, Chat request; with our improvements). */
import type { OllamaChatRequest, OllamaFormat } from '../ollama/wire.ts';
import type { ChatCompletionRequest, ResponseFormat } from '../openai/chat-completion-request.ts';
import { readOllamaOptionsExtension } from '../openai/ollama-options-extension.ts';
import { buildOllamaOptions, pickKeepAlive, type TranslationDefaults } from './build-ollama-options.ts';
import { mapReasoningEffort } from './map-reasoning-effort.ts';
import { refuseUnsupportedChatFields } from './refuse-unsupported-chat-fields.ts';
import { selectTools } from './select-tools.ts';
import { toOllamaMessages } from './to-ollama-messages.ts';

export interface ToOllamaRequestOptions {
  /** The canonical Ollama model name (aliases already resolved). */
  model: string;
  defaults?: TranslationDefaults | undefined;
}

/**
 * One native request; `n > 1` is served by sending it n times. `stream` is always an explicit boolean
 * (native streams default to on). Throws a 400 `GatewayError` naming the param for what cannot be sent.
 */
export function toOllamaChatRequest(request: ChatCompletionRequest, options: ToOllamaRequestOptions): OllamaChatRequest {
  refuseUnsupportedChatFields(request);
  const native: OllamaChatRequest = {
    model: options.model,
    messages: toOllamaMessages(request.messages),
    stream: request.stream === true,
  };
  const nativeOptions = buildOllamaOptions(
    {
      // max_completion_tokens replaces the deprecated max_tokens, so it wins when both are sent
      num_predict: request.max_completion_tokens ?? request.max_tokens,
      temperature: request.temperature,
      top_p: request.top_p,
      seed: request.seed,
      frequency_penalty: request.frequency_penalty,
      presence_penalty: request.presence_penalty,
      stop: request.stop,
    },
    options.defaults,
    readOllamaOptionsExtension(request),
  );
  if (nativeOptions !== undefined) native.options = nativeOptions;
  const format = mapResponseFormat(request.response_format);
  if (format !== undefined) native.format = format;
  const tools = selectTools(request.tools, request.tool_choice);
  if (tools !== undefined) native.tools = tools;
  const think = mapReasoningEffort(request.reasoning?.effort ?? request.reasoning_effort);
  if (think !== undefined) native.think = think;
  if (request.logprobs !== null && request.logprobs !== undefined) native.logprobs = request.logprobs;
  if (request.top_logprobs !== null && request.top_logprobs !== undefined) native.top_logprobs = request.top_logprobs;
  const keepAlive = pickKeepAlive(request.keep_alive, options.defaults);
  if (keepAlive !== undefined) native.keep_alive = keepAlive;
  return native;
}

/** `json_object` → `"json"`; `json_schema` → the bare schema (`"json"` when none was given); `text` → none. */
export function mapResponseFormat(responseFormat: ResponseFormat | null | undefined): OllamaFormat | undefined {
  if (responseFormat === null || responseFormat === undefined || responseFormat.type === 'text') return undefined;
  if (responseFormat.type === 'json_object') return 'json';
  return responseFormat.json_schema.schema ?? 'json';
}
