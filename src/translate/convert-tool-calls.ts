/** Ollama's parsed tool calls → OpenAI's, with arguments as a compact JSON string. */
import type { OllamaToolCall } from '../ollama/wire.ts';
import type { DeltaToolCall, ResponseToolCall } from '../openai/chat-completion-response.ts';
import type { IdGenerator } from './generate-id.ts';

/**
 * Keeps the native `call_…` id (a gateway must not invent a new one) and generates one only for older
 * servers that send none. Missing arguments become `"{}"`.
 */
export function convertToolCall(toolCall: OllamaToolCall, generateId: IdGenerator): ResponseToolCall {
  return {
    id: toolCall.id ?? generateId('call_'),
    type: 'function',
    function: { name: toolCall.function.name, arguments: JSON.stringify(toolCall.function.arguments ?? {}) },
  };
}

/** The streamed form: the same call, whole, with its position among the response's calls. */
export function convertToolCallDelta(toolCall: OllamaToolCall, index: number, generateId: IdGenerator): DeltaToolCall {
  return { index, ...convertToolCall(toolCall, generateId) };
}
