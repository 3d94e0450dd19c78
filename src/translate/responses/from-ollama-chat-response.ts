/** A non-streamed `/api/chat` answer → the Responses `response` object (DIALECTS.md §1.4, real API order). */
import type { OllamaChatChunk } from '../../ollama/wire.ts';
import type { OutputItem, ResponseObject } from '../../openai/responses-object.ts';
import type { ResponsesRequest } from '../../openai/responses-request.ts';
import type { IdGenerator } from '../generate-id.ts';
import { buildResponseObject, toResponsesUsage, type ResponseIdentity } from './build-response-object.ts';

export interface FromOllamaResponsesOptions extends ResponseIdentity {
  generateId: IdGenerator;
  /** Unix seconds when the answer was complete. */
  completedAt: number;
}

/**
 * Output in the real API's order: the reasoning item, the message (kept when tool calls came with
 * text), then one `function_call` per call. Cut by `max_output_tokens` → `incomplete`.
 */
export function fromOllamaChatResponse(native: OllamaChatChunk, request: ResponsesRequest, options: FromOllamaResponsesOptions): ResponseObject {
  const incomplete = native.done_reason === 'length';
  const message = native.message;
  const output: OutputItem[] = [];
  if (message?.thinking) output.push({ id: options.generateId('rs_'), type: 'reasoning', summary: [{ type: 'summary_text', text: message.thinking }], encrypted_content: message.thinking });
  const toolCalls = message?.tool_calls ?? [];
  const text = message?.content ?? '';
  if (text !== '' || toolCalls.length === 0) {
    output.push({
      id: options.generateId('msg_'),
      type: 'message',
      status: incomplete ? 'incomplete' : 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
    });
  }
  for (const call of toolCalls) {
    output.push({
      id: options.generateId('fc_'),
      type: 'function_call',
      status: 'completed',
      call_id: call.id ?? options.generateId('call_'),
      name: call.function.name,
      arguments: JSON.stringify(call.function.arguments),
    });
  }
  return buildResponseObject(request, options, {
    status: incomplete ? 'incomplete' : 'completed',
    output,
    usage: toResponsesUsage(native),
    completedAt: options.completedAt,
  });
}
