/** A non-streamed `/api/chat` answer → Anthropic's `Message` (DIALECTS.md §2.4). */
import type { Message, MessageUsage, ResponseContentBlock } from '../../anthropic/messages-response.ts';
import type { OllamaChatChunk, OllamaToolCall } from '../../ollama/wire.ts';
import type { IdGenerator } from '../generate-id.ts';
import { mapStopReason } from './map-stop-reason.ts';

export interface MessageIdentity {
  /** `msg_…`, made once per client request. */
  id: string;
  /** The model name as the client sent it. */
  model: string;
}

export interface FromOllamaMessageOptions extends MessageIdentity {
  /** Makes `toolu_…` ids for tool calls a native answer sent without one. */
  generateId: IdGenerator;
}

/** Blocks in Anthropic's order: thinking, text, then one `tool_use` per call (text and calls both kept). */
export function fromOllamaChatResponse(native: OllamaChatChunk, options: FromOllamaMessageOptions): Message {
  const content: ResponseContentBlock[] = [];
  const message = native.message;
  if (message?.thinking) content.push({ type: 'thinking', thinking: message.thinking, signature: '' });
  if (message?.content) content.push({ type: 'text', text: message.content });
  const toolCalls = message?.tool_calls ?? [];
  for (const call of toolCalls) content.push(toToolUseBlock(call, options.generateId));
  return {
    id: options.id,
    type: 'message',
    role: 'assistant',
    model: options.model,
    content,
    stop_reason: mapStopReason(native.done_reason, toolCalls.length > 0),
    stop_sequence: null,
    usage: toMessageUsage(native),
  };
}

/** The native call id is kept, since the client echoes it back as `tool_use_id`. */
export function toToolUseBlock(call: OllamaToolCall, generateId: IdGenerator): Extract<ResponseContentBlock, { type: 'tool_use' }> {
  return { type: 'tool_use', id: call.id ?? generateId('toolu_'), name: call.function.name, input: call.function.arguments };
}

export function toMessageUsage(counts: { prompt_eval_count?: number | undefined; eval_count?: number | undefined }): MessageUsage {
  return { input_tokens: counts.prompt_eval_count ?? 0, output_tokens: counts.eval_count ?? 0, cache_creation_input_tokens: null, cache_read_input_tokens: null };
}
