/** A non-streamed `/api/chat` answer → OpenAI's `chat.completion` (docs/ollama-api-notes.md, Done reasons). */
import type { OllamaChatChunk } from '../ollama/wire.ts';
import type { ChatCompletionResponse } from '../openai/chat-completion-response.ts';
import { convertLogprobs, type WithLogprobs } from './convert-logprobs.ts';
import { convertToolCall } from './convert-tool-calls.ts';
import { convertUsage } from './convert-usage.ts';
import type { IdGenerator } from './generate-id.ts';
import { mapDoneReason } from './map-done-reason.ts';

export interface ResponseIdentity {
  /** `chatcmpl-…` / `cmpl-…`, made once per client request. */
  id: string;
  /** Unix seconds, from the injected clock. */
  created: number;
  /** The model name as the client sent it (not the alias target). */
  model: string;
  systemFingerprint?: string | undefined;
}

export interface FromOllamaChatOptions extends ResponseIdentity {
  /** Makes ids for tool calls the native answer sent without one. */
  generateId: IdGenerator;
  /** The choice's position when several generations answer one request. */
  choiceIndex?: number | undefined;
}

/**
 * One choice. `content` is `null` when the model only called tools (OpenAI's shape; Ollama sends
 * `""`); its thinking is `reasoning`. Usage is always present.
 */
export function fromOllamaChatResponse(native: OllamaChatChunk & WithLogprobs, options: FromOllamaChatOptions): ChatCompletionResponse {
  const message = native.message;
  const toolCalls = (message?.tool_calls ?? []).map((call) => convertToolCall(call, options.generateId));
  const content = message?.content ?? '';
  return {
    id: options.id,
    object: 'chat.completion',
    created: options.created,
    model: options.model,
    ...(options.systemFingerprint === undefined ? {} : { system_fingerprint: options.systemFingerprint }),
    choices: [
      {
        index: options.choiceIndex ?? 0,
        message: {
          role: 'assistant',
          content: content === '' && toolCalls.length > 0 ? null : content,
          refusal: null,
          ...(message?.thinking ? { reasoning: message.thinking } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: mapDoneReason(native.done_reason, toolCalls.length > 0),
        logprobs: convertLogprobs(native.logprobs) ?? null,
      },
    ],
    usage: convertUsage(native),
  };
}
